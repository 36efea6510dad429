import * as iam from "@pulumi/aws/iam";
import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";

/**
 * RDS Proxy with end-to-end IAM authentication (`defaultAuthScheme: IAM_AUTH`): clients log in
 * with IAM tokens, and the proxy logs in to the cluster with IAM tokens of its own role, as the
 * same database user. No secret sits between proxy and database, so the master secret's rotation
 * never touches the application's path. AWS added this in September 2025 for RDS and Aurora
 * PostgreSQL and MySQL (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-iam-setup.html);
 * @pulumi/aws 7.48.0 exposes it as `defaultAuthScheme` with `auths` optional
 * (hashicorp/terraform-provider-aws#44309). The proxy's role may connect as `appUsername` only.
 */
export function createRdsProxy(
    name: string,
    p: {
        parent: pulumi.Resource;
        securityGroupId: pulumi.Input<string>;
        subnetIds: pulumi.Input<string[]>;
        /** `rds-db:connect` ARN of the application user on the cluster. */
        clusterDbUserArn: pulumi.Output<string>;
        clusterIdentifier: pulumi.Output<string>;
        dependsOn: pulumi.Resource[];
    },
): rds.Proxy {
    const role = new iam.Role(
        `${name}-proxy-role`,
        { assumeRolePolicy: assumeRolePolicy("rds.amazonaws.com", p.parent) },
        { parent: p.parent },
    );
    const permissions = iam.getPolicyDocumentOutput(
        { statements: [{ sid: "ConnectAsAppUser", actions: ["rds-db:connect"], resources: [p.clusterDbUserArn] }] },
        { parent: p.parent },
    );
    const policy = new iam.RolePolicy(
        `${name}-proxy-connect`,
        { role: role.id, policy: permissions.json },
        { parent: p.parent },
    );
    const proxy = new rds.Proxy(
        `${name}-proxy`,
        {
            engineFamily: "POSTGRESQL",
            defaultAuthScheme: "IAM_AUTH",
            requireTls: true,
            roleArn: role.arn,
            vpcSubnetIds: p.subnetIds,
            vpcSecurityGroupIds: [p.securityGroupId],
            idleClientTimeout: 1800,
            debugLogging: false,
        },
        { parent: p.parent, dependsOn: [policy] },
    );
    const targetGroup = new rds.ProxyDefaultTargetGroup(
        `${name}-proxy-targets`,
        {
            dbProxyName: proxy.id, // a proxy's id is its name
            connectionPoolConfig: { maxConnectionsPercent: 90, connectionBorrowTimeout: 120 },
        },
        { parent: p.parent },
    );
    new rds.ProxyTarget(
        `${name}-proxy-target`,
        { dbProxyName: proxy.id, targetGroupName: targetGroup.name, dbClusterIdentifier: p.clusterIdentifier },
        { parent: p.parent, dependsOn: p.dependsOn },
    );
    return proxy;
}

/** A role trust policy for one AWS service principal. */
export function assumeRolePolicy(service: string, parent: pulumi.Resource): pulumi.Output<string> {
    return iam.getPolicyDocumentOutput(
        {
            statements: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: [service] }] }],
        },
        { parent },
    ).json;
}
