import { Secret } from "../awsTypes";
import { requireKmsKeyPolicy } from "../kmsField";

export const secretsmanagerSecretRequireKms = requireKmsKeyPolicy({
    name: "secretsmanager-secret-require-kms",
    description: "Secrets Manager secrets must be encrypted with a customer-managed KMS key.",
    resource: Secret,
    kind: "Secrets Manager secret",
    field: "kmsKeyId",
});
