import {
    ResourceValidationArgs,
    ResourceValidationPolicy,
    ReportViolation,
    validateResourceOfType,
} from "@pulumi/policy";
import { RdsCluster, RdsInstance } from "../awsTypes";
import { show } from "../common";
import { label, rdsKind } from "../labels";

function check(db: { backupRetentionPeriod?: number }, args: ResourceValidationArgs, report: ReportViolation): void {
    const { minimumDays } = args.getConfig<{ minimumDays: number }>();
    const days = db.backupRetentionPeriod;
    if (days === undefined || days < minimumDays) {
        report(
            `${label(rdsKind(args), args.name)} has backupRetentionPeriod ${show(days)}; it must be at least ${minimumDays} (days).`,
        );
    }
}

export const rdsDatabaseConfigureBackupRetention: ResourceValidationPolicy = {
    name: "rds-database-configure-backup-retention",
    description: "RDS and Aurora automated backups must be kept for at least the configured number of days.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumDays: {
                type: "integer",
                minimum: 1,
                maximum: 35,
                default: 7,
                description: "Fewest days of automated backups (point-in-time recovery window).",
            },
        },
    },
    validateResource: [validateResourceOfType(RdsCluster, check), validateResourceOfType(RdsInstance, check)],
};
