import {
    ResourceValidationArgs,
    ResourceValidationPolicy,
    ReportViolation,
    validateResourceOfType,
} from "@pulumi/policy";
import { IamGroupPolicy, IamPolicy, IamRole, IamRolePolicy, IamUserPolicy } from "../awsTypes";
import { asList, parseJson } from "../common";
import { label } from "../labels";

interface Statement {
    Sid?: string;
    Effect?: string;
    Action?: string | string[];
    Resource?: string | string[];
}

/** The `Sid`s (or positions) of statements that allow every action on every resource. */
export function wildcardStatements(document: unknown): string[] {
    const doc = parseJson(document) as { Statement?: Statement | Statement[] } | undefined;
    if (!doc || typeof doc !== "object") return [];
    return asList(doc.Statement)
        .map((s, i) => ({ s, id: s.Sid ? JSON.stringify(s.Sid) : `#${i + 1}` }))
        .filter(
            ({ s }) =>
                s.Effect === "Allow" &&
                asList(s.Action).some((a) => a === "*" || a === "*:*") &&
                asList(s.Resource).includes("*"),
        )
        .map(({ id }) => id);
}

function reportWildcards(what: string, document: unknown, report: ReportViolation): void {
    for (const sid of wildcardStatements(document)) {
        report(
            `${what} has statement ${sid} allowing Action "*" on Resource "*"; no statement may allow every action on every resource.`,
        );
    }
}

const kinds: Record<string, string> = {
    "aws:iam/policy:Policy": "IAM policy",
    "aws:iam/rolePolicy:RolePolicy": "IAM role policy",
    "aws:iam/userPolicy:UserPolicy": "IAM user policy",
    "aws:iam/groupPolicy:GroupPolicy": "IAM group policy",
};

function checkPolicy(p: { policy?: unknown }, args: ResourceValidationArgs, report: ReportViolation): void {
    reportWildcards(label(kinds[args.type], args.name), p.policy, report);
}

/** Only IAM policies: KMS key policies rightly give the account root `kms:*` on `*`. */
export const iamPolicyDisallowWildcardAdmin: ResourceValidationPolicy = {
    name: "iam-policy-disallow-wildcard-admin",
    description: "No IAM policy may allow every action on every resource.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: [
        validateResourceOfType(IamPolicy, checkPolicy),
        validateResourceOfType(IamRolePolicy, checkPolicy),
        validateResourceOfType(IamUserPolicy, checkPolicy),
        validateResourceOfType(IamGroupPolicy, checkPolicy),
        validateResourceOfType(IamRole, (role, args, report) => {
            for (const inline of asList(role.inlinePolicies)) {
                reportWildcards(
                    `${label("IAM role", args.name)} inline policy ${JSON.stringify(inline.name ?? "")}`,
                    inline.policy,
                    report,
                );
            }
        }),
    ],
};
