import {
    ResourceValidationArgs,
    ResourceValidationPolicy,
    ReportViolation,
    validateResourceOfType,
} from "@pulumi/policy";
import { RdsCluster, RdsClusterInstance, RdsInstance } from "../awsTypes";
import { allowAwsManagedKeysSchema, keyProblem, show } from "../common";
import { label, rdsKind } from "../labels";

interface Config {
    allowAwsManagedKeys: boolean;
}

function check(
    db: { performanceInsightsEnabled?: boolean; performanceInsightsKmsKeyId?: string },
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    if (db.performanceInsightsEnabled !== true) args.notApplicable("Performance Insights is off");
    const { allowAwsManagedKeys } = args.getConfig<Config>();
    if (keyProblem(db.performanceInsightsKmsKeyId, allowAwsManagedKeys)) {
        report(
            `${label(rdsKind(args), args.name)} has performanceInsightsKmsKeyId ${show(db.performanceInsightsKmsKeyId)}; it must be a customer-managed KMS key.`,
        );
    }
}

export const rdsDatabaseRequirePerformanceInsightsEncryption: ResourceValidationPolicy = {
    name: "rds-database-require-performance-insights-encryption",
    description: "Performance Insights data must be encrypted with a customer-managed KMS key wherever it is on.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowAwsManagedKeys: allowAwsManagedKeysSchema } },
    validateResource: [
        validateResourceOfType(RdsCluster, check),
        validateResourceOfType(RdsClusterInstance, check),
        validateResourceOfType(RdsInstance, check),
    ],
};
