import {
    ResourceValidationArgs,
    ResourceValidationPolicy,
    ReportViolation,
    validateResourceOfType,
} from "@pulumi/policy";
import { RdsClusterInstance, RdsInstance } from "../awsTypes";
import { label, rdsKind } from "../labels";

function check(db: { publiclyAccessible?: boolean }, args: ResourceValidationArgs, report: ReportViolation): void {
    if (db.publiclyAccessible === true) {
        report(`${label(rdsKind(args), args.name)} has publiclyAccessible true; it must be false.`);
    }
}

export const rdsDatabaseDisallowPublicAccess: ResourceValidationPolicy = {
    name: "rds-database-disallow-public-access",
    description: "RDS and Aurora database instances must not be publicly accessible.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: [validateResourceOfType(RdsClusterInstance, check), validateResourceOfType(RdsInstance, check)],
};
