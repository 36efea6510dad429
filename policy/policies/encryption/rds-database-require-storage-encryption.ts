import {
    ResourceValidationArgs,
    ResourceValidationPolicy,
    ReportViolation,
    validateResourceOfType,
} from "@pulumi/policy";
import { RdsCluster, RdsInstance } from "../awsTypes";
import { allowAwsManagedKeysSchema, keyProblem, show } from "../common";
import { label, rdsKind } from "../labels";

interface Config {
    allowAwsManagedKeys: boolean;
}

function check(
    db: { storageEncrypted?: boolean; kmsKeyId?: string },
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    const { allowAwsManagedKeys } = args.getConfig<Config>();
    const what = label(rdsKind(args), args.name);
    if (db.storageEncrypted !== true) {
        report(`${what} has storageEncrypted ${show(db.storageEncrypted)}; it must be true.`);
    } else if (keyProblem(db.kmsKeyId, allowAwsManagedKeys)) {
        report(`${what} has kmsKeyId ${show(db.kmsKeyId)}; it must be a customer-managed KMS key.`);
    }
}

export const rdsDatabaseRequireStorageEncryption: ResourceValidationPolicy = {
    name: "rds-database-require-storage-encryption",
    description: "RDS and Aurora storage must be encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowAwsManagedKeys: allowAwsManagedKeysSchema } },
    validateResource: [validateResourceOfType(RdsCluster, check), validateResourceOfType(RdsInstance, check)],
};
