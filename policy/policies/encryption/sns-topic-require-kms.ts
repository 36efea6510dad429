import { SnsTopic } from "../awsTypes";
import { requireKmsKeyPolicy } from "../kmsField";

export const snsTopicRequireKms = requireKmsKeyPolicy({
    name: "sns-topic-require-kms",
    description: "SNS topics must be encrypted at rest with a customer-managed KMS key.",
    resource: SnsTopic,
    kind: "SNS topic",
    field: "kmsMasterKeyId",
});
