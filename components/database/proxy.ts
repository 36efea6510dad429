import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** RDS Proxy: TLS and IAM auth required; it reads the managed master secret to reach the cluster. */
export function createRdsProxy(
    name: string,
    p: {
        parent: pulumi.Resource;
        securityGroupId: pulumi.Input<string>;
        subnetIds: pulumi.Input<string[]>;
        secretArn: pulumi.Output<string>;
        keyArn: pulumi.Output<string>;
        region: pulumi.Output<string>;
        clusterIdentifier: pulumi.Output<string>;
        dependsOn: pulumi.Resource[];
    },
): pulumi.Output<string> {
    const role = new aws.iam.Role(
        `${name}-proxy-role`,
        { assumeRolePolicy: assumeRolePolicy("rds.amazonaws.com", p.parent) },
        { parent: p.parent },
    );
    const permissions = aws.iam.getPolicyDocumentOutput(
        {
            statements: [
                { actions: ["secretsmanager:GetSecretValue"], resources: [p.secretArn] },
                {
                    actions: ["kms:Decrypt"],
                    resources: [p.keyArn],
                    conditions: [
                        {
                            test: "StringEquals",
                            variable: "kms:ViaService",
                            values: [pulumi.interpolate`secretsmanager.${p.region}.amazonaws.com`],
                        },
                    ],
                },
            ],
        },
        { parent: p.parent },
    );
    new aws.iam.RolePolicy(`${name}-proxy-secret`, { role: role.id, policy: permissions.json }, { parent: p.parent });
    const proxy = new aws.rds.Proxy(
        `${name}-proxy`,
        {
            engineFamily: "POSTGRESQL",
            requireTls: true,
            roleArn: role.arn,
            vpcSubnetIds: p.subnetIds,
            vpcSecurityGroupIds: [p.securityGroupId],
            idleClientTimeout: 1800,
            debugLogging: false,
            auths: [
                {
                    authScheme: "SECRETS",
                    iamAuth: "REQUIRED",
                    clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
                    secretArn: p.secretArn,
                },
            ],
        },
        { parent: p.parent },
    );
    const targetGroup = new aws.rds.ProxyDefaultTargetGroup(
        `${name}-proxy-targets`,
        {
            dbProxyName: proxy.id, // a proxy's id is its name
            connectionPoolConfig: { maxConnectionsPercent: 90, connectionBorrowTimeout: 120 },
        },
        { parent: p.parent },
    );
    new aws.rds.ProxyTarget(
        `${name}-proxy-target`,
        { dbProxyName: proxy.id, targetGroupName: targetGroup.name, dbClusterIdentifier: p.clusterIdentifier },
        { parent: p.parent, dependsOn: p.dependsOn },
    );
    return proxy.endpoint;
}

/** A role trust policy for one AWS service principal. */
export function assumeRolePolicy(service: string, parent: pulumi.Resource): pulumi.Output<string> {
    return aws.iam.getPolicyDocumentOutput(
        {
            statements: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: [service] }] }],
        },
        { parent },
    ).json;
}
