import {
    ResourceValidationArgs,
    ResourceValidationPolicy,
    ReportViolation,
    validateResourceOfType,
} from "@pulumi/policy";
import { RdsCluster, RdsInstance } from "../awsTypes";
import { requiredSchema } from "../common";
import { label, rdsKind } from "../labels";

function check(
    db: { skipFinalSnapshot?: boolean; finalSnapshotIdentifier?: string },
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (!args.getConfig<{ required: boolean }>().required) args.notApplicable("not required by this stack's config");
    const what = label(rdsKind(args), args.name);
    if (db.skipFinalSnapshot === true) {
        report(`${what} has skipFinalSnapshot true; it must be false.`);
    } else if (!db.finalSnapshotIdentifier) {
        report(`${what} has finalSnapshotIdentifier unset; it must name the final snapshot, or destroy fails.`);
    }
}

export const rdsDatabaseRequireFinalSnapshot: ResourceValidationPolicy = {
    name: "rds-database-require-final-snapshot",
    description:
        "Where the stack's policy config requires it, RDS and Aurora databases must take a named final snapshot when deleted.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: { required: requiredSchema("Require a final snapshot (production); false for disposable stacks.") },
    },
    validateResource: [
        validateResourceOfType(RdsCluster, check),
        // Non-Aurora instances only: Aurora instances belong to a cluster, which takes the snapshot.
        validateResourceOfType(RdsInstance, check),
    ],
};
