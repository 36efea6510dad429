import * as cloudwatch from "@pulumi/aws/cloudwatch";
import type * as input from "@pulumi/aws/types/input";
import * as wafv2 from "@pulumi/aws/wafv2";
import * as pulumi from "@pulumi/pulumi";
import { ArgProblems, DEFAULT_LOG_RETENTION_DAYS, integerIn, logRetentionDays, matches } from "../shared/validation";

/** The AWS managed rule groups on the API, in evaluation order. */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;

/**
 * Rules of the common rule set that only count. An ALB forwards just the first 8 KiB of a
 * body to WAF (a fixed limit for ALBs), and `SizeRestrictions_BODY` blocks every body
 * larger than that, which would reject every real CSV upload.
 */
export const COUNT_ONLY_RULES: Readonly<Partial<Record<(typeof MANAGED_RULE_GROUPS)[number], readonly string[]>>> = {
    AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"],
};

/**
 * The label the common rule set's `SizeRestrictions_BODY` rule adds to a request whose body
 * is over 8 KiB, whatever that rule's action; a later rule can act on it.
 */
export const OVERSIZED_BODY_LABEL = "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body";

/** Name of the rule that blocks oversized bodies outside the upload paths (when there are any). */
export const OVERSIZED_BODY_RULE = "BlockOversizedBodyOutsideUploads";

/**
 * The managed rules that judge the request body, and the label each adds to a request it
 * matches, whatever its action. On the upload paths a CSV may well hold SQL- or script-like text,
 * so with upload paths these rules only count, and `BODY_ATTACK_RULE` blocks on their labels
 * everywhere else. Rule names and labels: AWS WAF developer guide, "Baseline rule groups" (core
 * rule set) and "Use-case specific rule groups" (SQL database):
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-use-case.html
 */
export const BODY_RULES: Readonly<
    Partial<Record<(typeof MANAGED_RULE_GROUPS)[number], Readonly<Record<string, string>>>>
> = {
    AWSManagedRulesCommonRuleSet: {
        CrossSiteScripting_BODY: "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body",
        GenericLFI_BODY: "awswaf:managed:aws:core-rule-set:GenericLFI_Body",
        GenericRFI_BODY: "awswaf:managed:aws:core-rule-set:GenericRFI_Body",
        EC2MetaDataSSRF_BODY: "awswaf:managed:aws:core-rule-set:EC2MetaDataSSRF_Body",
    },
    AWSManagedRulesSQLiRuleSet: {
        SQLi_BODY: "awswaf:managed:aws:sql-database:SQLi_Body",
        SQLiExtendedPatterns_BODY: "awswaf:managed:aws:sql-database:SQLiExtendedPatterns_Body",
    },
};

/** Name of the rule that blocks what `BODY_RULES` found, outside the upload paths (when there are any). */
export const BODY_ATTACK_RULE = "BlockBodyAttacksOutsideUploads";

/** A web ACL name as WAFv2 accepts it (it also serves as the ACL's metric name). */
export const webAclNameCheck = matches(/^[A-Za-z0-9_-]{1,128}$/, "1 to 128 letters, digits, hyphens or underscores");

/** Longest path prefix: WAF's limit on a byte match's search string. */
export const MAX_UPLOAD_PATH_PREFIX = 200;

/** The WebAcl's defaults: its constructor, the `@default`s below and ApiService read these. */
export const WEB_ACL_DEFAULTS = {
    rateLimitPer5Minutes: 2000,
    uploadPathPrefixes: [],
    logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
} as const;

/** The WebAcl's limits. */
export const WEB_ACL_LIMITS = {
    rateLimitPer5Minutes: { min: 100, max: 2000000000 },
} as const;

/** Records every problem with a list of upload path prefixes, each named `<field>[<index>]`. */
export function uploadPathPrefixProblems(
    prefixes: readonly string[] | undefined,
    field: string,
    problems: ArgProblems = new ArgProblems(),
): ArgProblems {
    (prefixes ?? []).forEach((prefix, i) => {
        const name = `\`${field}[${i}]\``;
        problems
            .add(!prefix.startsWith("/"), `${name} must start with "/"; got ${JSON.stringify(prefix)}.`)
            .add(
                prefix.length > MAX_UPLOAD_PATH_PREFIX,
                `${name} must be at most ${MAX_UPLOAD_PATH_PREFIX} characters (WAF's limit for a search string); got ${prefix.length}.`,
            )
            .add(
                !/^[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/.test(prefix),
                `${name} must contain only URL path characters (letters, digits and -._~!$&'()*+,;=:@/); got ${JSON.stringify(prefix)}.`,
            );
    });
    return problems;
}

export interface WebAclArgs {
    /** ARN of the regional resource to protect (the load balancer). */
    readonly resourceArn: pulumi.Input<string>;
    /**
     * Requests per client IP per 5 minutes before the rate-based rule blocks.
     * @default 2000
     */
    readonly rateLimitPer5Minutes?: number;
    /** KMS key of the WAF log group (a key that allows CloudWatch Logs). */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /**
     * Retention of the WAF log group, a CloudWatch-allowed value.
     * @default 365
     */
    readonly logRetentionDays?: number;
    /**
     * The ACL's name, also its ACL-level metric name (the `WebACL` dimension of its CloudWatch
     * metrics). Unique per account, region and scope: 1 to 128 letters, digits, `-` or `_`.
     * @default - the component's name
     */
    readonly aclName?: string;
    /**
     * URL path prefixes (e.g. "/uploads") that take CSV uploads. There, bodies over the 8 KiB
     * WAF inspects pass and the body-inspecting managed rules (`BODY_RULES`) only count; on any
     * other path both block. With none, oversized bodies are only counted, never blocked, and
     * the body rules block everywhere. Each prefix starts with "/" and has at most 200 URL path
     * characters; it matches the raw path, case-sensitively.
     * @default []
     */
    readonly uploadPathPrefixes?: readonly string[];
}

/** Names of the fields in messages, for a caller that hands its own args on under other names. */
export interface WebAclFieldNames {
    readonly rateLimitPer5Minutes?: string;
    readonly aclName?: string;
    readonly uploadPathPrefixes?: string;
}

/** Every problem with a WebAcl's args; also run by ApiService before it builds anything. */
export function webAclArgProblems(
    args: Pick<WebAclArgs, "rateLimitPer5Minutes" | "logRetentionDays" | "aclName" | "uploadPathPrefixes">,
    problems: ArgProblems = new ArgProblems(),
    fields: WebAclFieldNames = {},
): ArgProblems {
    problems
        .check(
            fields.rateLimitPer5Minutes ?? "rateLimitPer5Minutes",
            args.rateLimitPer5Minutes,
            integerIn(WEB_ACL_LIMITS.rateLimitPer5Minutes),
        )
        .check("logRetentionDays", args.logRetentionDays, logRetentionDays)
        .check(fields.aclName ?? "aclName", args.aclName, webAclNameCheck);
    return uploadPathPrefixProblems(
        args.uploadPathPrefixes,
        fields.uploadPathPrefixes ?? "uploadPathPrefixes",
        problems,
    );
}

/** "The URI path starts with one of the prefixes"; WAF's OR takes at least two statements, so one stands alone. */
function onUploadPath(prefixes: readonly string[]) {
    const startsWith = prefixes.map((prefix) => ({
        byteMatchStatement: {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: "STARTS_WITH",
            searchString: prefix,
            textTransformations: [{ priority: 0, type: "NONE" }],
        },
    }));
    return startsWith.length === 1 ? startsWith[0] : { orStatement: { statements: startsWith } };
}

/**
 * The statement of the rule that blocks oversized bodies outside the upload paths: the body
 * size label AND NOT (the URI path starts with one of the prefixes). Nesting AND > NOT > OR >
 * byte match is within the three logical levels the provider's `rules` accept.
 */
export function oversizedBodyStatement(prefixes: readonly string[]): input.wafv2.WebAclRuleStatement {
    return {
        andStatement: {
            statements: [
                { labelMatchStatement: { scope: "LABEL", key: OVERSIZED_BODY_LABEL } },
                { notStatement: { statement: onUploadPath(prefixes) } },
            ],
        },
    };
}

/** Every label of `BODY_RULES`, in rule-group order. */
export const BODY_RULE_LABELS: readonly string[] = Object.values(BODY_RULES).flatMap((rules) =>
    Object.values(rules ?? {}),
);

/**
 * The statement of the rule that blocks body attacks outside the upload paths: (any body
 * rule's label) AND NOT (the URI path starts with one of the prefixes).
 */
export function bodyAttackStatement(prefixes: readonly string[]): input.wafv2.WebAclRuleStatement {
    return {
        andStatement: {
            statements: [
                {
                    orStatement: {
                        statements: BODY_RULE_LABELS.map((key) => ({ labelMatchStatement: { scope: "LABEL", key } })),
                    },
                },
                { notStatement: { statement: onUploadPath(prefixes) } },
            ],
        },
    };
}

type RuleWithoutPriority = Omit<input.wafv2.WebAclRule, "priority">;

/**
 * A regional WAFv2 web ACL on the load balancer: IP reputation, the common rule set (body
 * size rule counting only, so uploads pass), optionally a rule blocking oversized bodies
 * outside the upload paths, known bad inputs, SQL injection, optionally a rule blocking body
 * attacks outside the upload paths, and a rate limit per client IP;
 * logs to a KMS-encrypted log group with the Authorization header redacted.
 */
export class WebAcl extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    /** The ACL's name (`aclName`). */
    public readonly name: pulumi.Output<string>;
    /** The ACL-level metric name, equal to its name: the `WebACL` dimension of its CloudWatch metrics. */
    public readonly metricName: pulumi.Output<string>;

    constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:api:WebAcl", name, {}, opts);
        const rateLimitPer5Minutes = args.rateLimitPer5Minutes ?? WEB_ACL_DEFAULTS.rateLimitPer5Minutes;
        const retentionDays = args.logRetentionDays ?? WEB_ACL_DEFAULTS.logRetentionDays;
        const aclName = args.aclName ?? name;
        const uploadPathPrefixes = args.uploadPathPrefixes ?? WEB_ACL_DEFAULTS.uploadPathPrefixes;
        webAclArgProblems({ ...args, aclName }).throwIfAny(this, `WebAcl ${name}`);

        const metric = (metricName: string) => ({
            cloudwatchMetricsEnabled: true,
            sampledRequestsEnabled: true,
            metricName: `${name}-${metricName}`,
        });
        const uploads = uploadPathPrefixes.length > 0;
        // With upload paths, the body rules count (everywhere: WAF overrides a rule, not a path)
        // and BODY_ATTACK_RULE blocks on their labels off the upload paths.
        const countOnly = (group: (typeof MANAGED_RULE_GROUPS)[number]) => [
            ...(COUNT_ONLY_RULES[group] ?? []),
            ...(uploads ? Object.keys(BODY_RULES[group] ?? {}) : []),
        ];
        const managedRule = (group: (typeof MANAGED_RULE_GROUPS)[number]): RuleWithoutPriority => ({
            name: group,
            overrideAction: { none: {} },
            statement: {
                managedRuleGroupStatement: {
                    vendorName: "AWS",
                    name: group,
                    ruleActionOverrides: countOnly(group).map((rule) => ({ name: rule, actionToUse: { count: {} } })),
                },
            },
            visibilityConfig: metric(group),
        });
        const blockRule = (ruleName: string, statement: input.wafv2.WebAclRuleStatement) => ({
            name: ruleName,
            action: { block: {} },
            statement,
            visibilityConfig: metric(ruleName),
        });
        // A label is visible only to rules evaluated after the rule that adds it: the body size
        // rule comes right after the common rule set, the body attack rule after the SQLi set.
        // Priorities follow this order.
        const ordered: RuleWithoutPriority[] = MANAGED_RULE_GROUPS.flatMap((group) => [
            managedRule(group),
            ...(group === "AWSManagedRulesCommonRuleSet" && uploads
                ? [blockRule(OVERSIZED_BODY_RULE, oversizedBodyStatement(uploadPathPrefixes))]
                : []),
            ...(group === "AWSManagedRulesSQLiRuleSet" && uploads
                ? [blockRule(BODY_ATTACK_RULE, bodyAttackStatement(uploadPathPrefixes))]
                : []),
        ]);
        ordered.push({
            name: "RateLimitPerIp",
            action: { block: {} },
            statement: {
                rateBasedStatement: {
                    limit: rateLimitPer5Minutes,
                    aggregateKeyType: "IP",
                    evaluationWindowSec: 300,
                },
            },
            visibilityConfig: metric("RateLimitPerIp"),
        });
        const acl = new wafv2.WebAcl(
            name,
            {
                name: aclName,
                scope: "REGIONAL",
                description: `Protects the load balancer of ${name}`,
                defaultAction: { allow: {} },
                rules: ordered.map((rule, priority) => ({ ...rule, priority })),
                // WAF's `WebACL` metric dimension is this metric name; it equals the ACL's name.
                visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: aclName },
            },
            { parent: this },
        );
        new wafv2.WebAclAssociation(
            `${name}-association`,
            { resourceArn: args.resourceArn, webAclArn: acl.arn },
            { parent: this },
        );
        // WAF only logs to log groups whose name starts with "aws-waf-logs-".
        const logGroup = new cloudwatch.LogGroup(
            `${name}-logs`,
            { namePrefix: `aws-waf-logs-${name}-`, retentionInDays: retentionDays, kmsKeyId: args.logsKmsKeyArn },
            { parent: this },
        );
        new wafv2.WebAclLoggingConfiguration(
            `${name}-logging`,
            {
                resourceArn: acl.arn,
                logDestinationConfigs: [logGroup.arn],
                redactedFields: [{ singleHeader: { name: "authorization" } }],
            },
            { parent: this },
        );

        this.arn = acl.arn;
        this.name = acl.name;
        this.metricName = acl.visibilityConfig.metricName;
        this.registerOutputs({ arn: this.arn, name: this.name, metricName: this.metricName });
    }
}
