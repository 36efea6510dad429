import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { EcrRepository } from "../awsTypes";
import { allowAwsManagedKeysSchema, keyProblem, show } from "../common";
import { label } from "../labels";

const KMS_TYPES = ["KMS", "KMS_DSSE"];

export const ecrRepositoryRequireKms: ResourceValidationPolicy = {
    name: "ecr-repository-require-kms",
    description: "ECR repositories must encrypt images with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowAwsManagedKeys: allowAwsManagedKeysSchema } },
    validateResource: validateResourceOfType(EcrRepository, (repo, args, report) => {
        const { allowAwsManagedKeys } = args.getConfig<{ allowAwsManagedKeys: boolean }>();
        const what = label("ECR repository", args.name);
        const config = repo.encryptionConfigurations?.[0];
        const type = config?.encryptionType ?? "AES256";
        if (!KMS_TYPES.includes(type)) {
            report(`${what} has encryptionType ${show(type)}; it must be "KMS".`);
        } else if (!allowAwsManagedKeys && keyProblem(config?.kmsKey, false)) {
            // Without kmsKey, ECR uses the AWS-managed aws/ecr key.
            report(`${what} has kmsKey ${show(config?.kmsKey)}; it must be a customer-managed KMS key.`);
        }
    }),
};
