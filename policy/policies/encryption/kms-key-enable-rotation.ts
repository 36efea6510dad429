import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { KmsKey } from "../awsTypes";
import { show } from "../common";
import { label } from "../labels";

interface Config {
    maximumRotationPeriodDays: number;
}

export const kmsKeyEnableRotation: ResourceValidationPolicy = {
    name: "kms-key-enable-rotation",
    description: "Symmetric customer-managed KMS keys must rotate their key material automatically.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maximumRotationPeriodDays: {
                type: "integer",
                minimum: 90,
                maximum: 2560,
                default: 365,
                description: "Longest rotation period (days) a key may set with rotationPeriodInDays.",
            },
        },
    },
    validateResource: validateResourceOfType(KmsKey, (key, args, report) => {
        const spec = key.keySpec ?? key.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
        if (spec !== "SYMMETRIC_DEFAULT") args.notApplicable(`KMS cannot rotate ${spec} keys`);
        const what = label("KMS key", args.name);
        const { maximumRotationPeriodDays } = args.getConfig<Config>();
        if (key.enableKeyRotation !== true) {
            report(`${what} has enableKeyRotation ${show(key.enableKeyRotation)}; it must be true.`);
        } else if (key.rotationPeriodInDays !== undefined && key.rotationPeriodInDays > maximumRotationPeriodDays) {
            report(
                `${what} has rotationPeriodInDays ${key.rotationPeriodInDays}; it must be at most ${maximumRotationPeriodDays}.`,
            );
        }
    }),
};
