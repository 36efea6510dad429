import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import * as pulumi from "@pulumi/pulumi";
import { executionRolePath } from "../components/api";

/**
 * ARN pattern of the ECS execution roles of every stack of `project` in this account: the app
 * puts them under `executionRolePath(project)`, and IAM writes a role's path into its ARN
 * (`arn:aws:iam::<account>:role/<path><name>`,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
 */
export function executionRolePathPattern(project: string): pulumi.Output<string> {
    const account = getCallerIdentityOutput().accountId;
    const partition = getPartitionOutput().partition;
    return pulumi.interpolate`arn:${partition}:iam::${account}:role${executionRolePath(project)}*`;
}
