import * as pulumi from "@pulumi/pulumi";

/*
 * IAM database authentication: who may log in as which database user, on which endpoint.
 * `rds-db:connect` takes `arn:<partition>:rds-db:<region>:<account>:dbuser:<resource id>/<user>`,
 * where the resource id is the cluster's (`cluster-...`) for a direct connection and the proxy's
 * (`prx-...`) for a connection through RDS Proxy:
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-connecting.html#rds-proxy-connecting-iam
 * (and the Service Authorization Reference, "Amazon RDS IAM Authentication", resource type db-user).
 */

/** The `rds-db:connect` resource for `user` on the cluster or proxy with `resourceId`. */
export function dbUserArn(
    p: { partition: pulumi.Input<string>; region: pulumi.Input<string>; account: pulumi.Input<string> },
    resourceId: pulumi.Input<string>,
    user: pulumi.Input<string>,
): pulumi.Output<string> {
    return pulumi.interpolate`arn:${p.partition}:rds-db:${p.region}:${p.account}:dbuser:${resourceId}/${user}`;
}

/** A proxy's resource id (`prx-...`): the last field of its ARN `arn:...:rds:<region>:<account>:db-proxy:prx-...`. */
export function proxyResourceId(proxyArn: string): string {
    const match = /:db-proxy:(prx-[a-z0-9]+)$/.exec(proxyArn);
    if (!match) throw new Error(`not an RDS Proxy ARN: ${JSON.stringify(proxyArn)}`);
    return match[1];
}
