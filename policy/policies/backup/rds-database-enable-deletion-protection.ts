import {
    ResourceValidationArgs,
    ResourceValidationPolicy,
    ReportViolation,
    validateResourceOfType,
} from "@pulumi/policy";
import { RdsCluster, RdsInstance } from "../awsTypes";
import { requiredSchema, show } from "../common";
import { label, rdsKind } from "../labels";

function check(db: { deletionProtection?: boolean }, args: ResourceValidationArgs, report: ReportViolation): void {
    if (!args.getConfig<{ required: boolean }>().required) args.notApplicable("not required by this stack's config");
    if (db.deletionProtection !== true) {
        report(
            `${label(rdsKind(args), args.name)} has deletionProtection ${show(db.deletionProtection)}; it must be true.`,
        );
    }
}

export const rdsDatabaseEnableDeletionProtection: ResourceValidationPolicy = {
    name: "rds-database-enable-deletion-protection",
    description:
        "Where the stack's policy config requires it, RDS and Aurora databases must have deletion protection on.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            required: requiredSchema("Require deletion protection (production); false for disposable stacks."),
        },
    },
    validateResource: [validateResourceOfType(RdsCluster, check), validateResourceOfType(RdsInstance, check)],
};
