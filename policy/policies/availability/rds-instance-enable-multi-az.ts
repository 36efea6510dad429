import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { RdsInstance } from "../awsTypes";
import { show } from "../common";
import { label } from "../labels";

export const rdsInstanceEnableMultiAz: ResourceValidationPolicy = {
    name: "rds-instance-enable-multi-az",
    description: "Non-Aurora RDS instances must run Multi-AZ with a standby in another availability zone.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: validateResourceOfType(RdsInstance, (db, args, report) => {
        if (db.multiAz !== true) {
            report(`${label("RDS instance", args.name)} has multiAz ${show(db.multiAz)}; it must be true.`);
        }
    }),
};
