import { LogGroup } from "../awsTypes";
import { requireKmsKeyPolicy } from "../kmsField";

export const cloudwatchLogGroupRequireKms = requireKmsKeyPolicy({
    name: "cloudwatch-log-group-require-kms",
    description: "CloudWatch log groups must be encrypted with a customer-managed KMS key.",
    resource: LogGroup,
    kind: "CloudWatch log group",
    field: "kmsKeyId",
});
