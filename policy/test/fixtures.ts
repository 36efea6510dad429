import { Policy } from "@pulumi/policy";
import { EvaluateOptions, evaluatePolicies, PolicyReport } from "../evaluator";
import { EvaluatorResource } from "../resources";

/** Small typed builders for policy tests: a compliant stack, and one-field variants of it. */

export const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-a444-555555555555";
export const TAGS = {
    Project: "migration-api",
    Environment: "production",
    ManagedBy: "pulumi",
    Stack: "production",
    CostCenter: "platform-production",
};

export const urnOf = (type: string, name: string) => `urn:pulumi:production::migration-api::${type}::${name}`;

/** One resource; AWS resources get the stack's tags in `tagsAll`, as the provider's defaultTags give them. */
export function res(type: string, name: string, props: Record<string, unknown>): EvaluatorResource {
    const tagged = type.startsWith("aws:") ? { tagsAll: { ...TAGS } } : {};
    return { urn: urnOf(type, name), type, name, props: { ...tagged, ...props } };
}

/** `r` with the resource `type`/`name` as its parent. */
export function child(r: EvaluatorResource, type: string, name: string): EvaluatorResource {
    return { ...r, parent: urnOf(type, name) };
}

const doc = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const kms = (keyId = KEY_ARN) => ({ sseAlgorithm: "aws:kms", kmsMasterKeyId: keyId });

/** A small stack that satisfies every policy under the production config. */
export function baseline(): EvaluatorResource[] {
    return [
        res("aws:kms/key:Key", "data-key", {
            enableKeyRotation: true,
            policy: doc([{ Effect: "Allow", Principal: { AWS: "root" }, Action: "kms:*", Resource: "*" }]),
        }),
        res("aws:rds/cluster:Cluster", "db", {
            engine: "aurora-postgresql",
            clusterIdentifier: "db-cluster",
            storageEncrypted: true,
            kmsKeyId: KEY_ARN,
            backupRetentionPeriod: 35,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "db-final",
            dbClusterParameterGroupName: "db-params",
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: KEY_ARN,
        }),
        res("aws:rds/clusterParameterGroup:ClusterParameterGroup", "db-params", {
            name: "db-params",
            family: "aurora-postgresql16",
            parameters: [{ name: "rds.force_ssl", value: "1" }],
        }),
        ...["a", "b"].map((zone, i) =>
            res("aws:rds/clusterInstance:ClusterInstance", `db-${i + 1}`, {
                clusterIdentifier: "db-cluster",
                availabilityZone: `us-east-1${zone}`,
                engine: "aurora-postgresql",
                publiclyAccessible: false,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: KEY_ARN,
            }),
        ),
        res("aws:rds/instance:Instance", "reports-db", {
            engine: "postgres",
            storageEncrypted: true,
            kmsKeyId: KEY_ARN,
            multiAz: true,
            backupRetentionPeriod: 35,
            deletionProtection: true,
            finalSnapshotIdentifier: "reports-final",
            parameterGroupName: "reports-params",
            publiclyAccessible: false,
        }),
        res("aws:rds/parameterGroup:ParameterGroup", "reports-params", {
            name: "reports-params",
            parameters: [{ name: "rds.force_ssl", value: "1" }],
        }),
        res("aws:s3/bucket:Bucket", "uploads", { bucket: "uploads-bucket" }),
        res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "uploads-sse", {
            bucket: "uploads-bucket",
            rules: [{ applyServerSideEncryptionByDefault: kms(), bucketKeyEnabled: true }],
        }),
        res("aws:s3/bucketVersioning:BucketVersioning", "uploads-versioning", {
            bucket: "uploads-bucket",
            versioningConfiguration: { status: "Enabled" },
        }),
        res("aws:s3/bucket:Bucket", "alb-logs", { bucket: "alb-logs-bucket" }),
        res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "alb-logs-sse", {
            bucket: "alb-logs-bucket",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }),
        res("aws:cloudwatch/logGroup:LogGroup", "api-logs", { kmsKeyId: KEY_ARN, retentionInDays: 365 }),
        res("aws:sns/topic:Topic", "alarms", { kmsMasterKeyId: KEY_ARN }),
        res("aws:ecr/repository:Repository", "api-repo", {
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY_ARN }],
        }),
        res("aws:secretsmanager/secret:Secret", "api-secret", { kmsKeyId: KEY_ARN }),
        res("aws:lb/loadBalancer:LoadBalancer", "alb", {
            internal: false,
            loadBalancerType: "application",
            subnets: ["subnet-public-a", "subnet-public-b"],
            securityGroups: ["sg-alb"],
            accessLogs: { bucket: "alb-logs-bucket", enabled: true },
        }),
        res("aws:lb/listener:Listener", "https", {
            protocol: "HTTPS",
            port: 443,
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            defaultActions: [{ type: "forward" }],
        }),
        res("aws:lb/listener:Listener", "http", {
            protocol: "HTTP",
            port: 80,
            defaultActions: [
                { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
            ],
        }),
        res("aws:ec2/securityGroup:SecurityGroup", "alb-sg", { id: "sg-alb" }),
        res("aws:ec2/securityGroup:SecurityGroup", "api-sg", { id: "sg-api" }),
        ...[80, 443].map((port) =>
            res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `alb-in-${port}`, {
                securityGroupId: "sg-alb",
                cidrIpv4: "0.0.0.0/0",
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
            }),
        ),
        res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "api-in", {
            securityGroupId: "sg-api",
            referencedSecurityGroupId: "sg-alb",
            ipProtocol: "tcp",
            fromPort: 8000,
            toPort: 8000,
        }),
        // An awsx VPC as the engine sees it: the component with empty props and its real children.
        res("awsx:ec2:Vpc", "network", {}),
        child(res("aws:ec2/vpc:Vpc", "vpc", { id: "vpc-1" }), "awsx:ec2:Vpc", "network"),
        ...(["a", "b"] as const).flatMap((z) => [
            child(
                res("aws:ec2/subnet:Subnet", `public-${z}`, {
                    id: `subnet-public-${z}`,
                    availabilityZone: `us-east-1${z}`,
                }),
                "aws:ec2/vpc:Vpc",
                "vpc",
            ),
            child(
                res("aws:ec2/subnet:Subnet", `private-${z}`, {
                    id: `subnet-private-${z}`,
                    availabilityZone: `us-east-1${z}`,
                }),
                "aws:ec2/vpc:Vpc",
                "vpc",
            ),
            child(res("aws:ec2/natGateway:NatGateway", `nat-${z}`, {}), "aws:ec2/subnet:Subnet", `public-${z}`),
        ]),
        res("aws:ecs/service:Service", "api", {
            desiredCount: 3,
            networkConfiguration: {
                subnets: ["subnet-private-a", "subnet-private-b"],
                assignPublicIp: false,
                securityGroups: ["sg-api"],
            },
        }),
        res("aws:ecs/taskDefinition:TaskDefinition", "api-task", {
            family: "api",
            containerDefinitions: JSON.stringify([
                { name: "api", readonlyRootFilesystem: true },
                { name: "collector", readonlyRootFilesystem: true },
            ]),
        }),
        res("aws:iam/policy:Policy", "api-policy", {
            policy: doc([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::uploads-bucket/*"] }]),
        }),
        res("aws:iam/rolePolicy:RolePolicy", "task-policy", {
            policy: doc([{ Sid: "Logs", Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }]),
        }),
        res("aws:iam/role:Role", "task-role", {
            inlinePolicies: [
                { name: "read", policy: doc([{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::x" }]) },
            ],
        }),
        res("aws:backup/plan:Plan", "db-backup", {
            rules: [
                {
                    ruleName: "daily",
                    lifecycle: { deleteAfter: 35 },
                    copyActions: [
                        {
                            destinationVaultArn: "arn:aws:backup:us-west-2:123456789012:backup-vault:dr",
                            lifecycle: { deleteAfter: 35 },
                        },
                    ],
                },
            ],
        }),
    ];
}

/** The resources with `patch` laid over the props of the resource named `name` (`undefined` removes a prop). */
export function withProps(
    resources: EvaluatorResource[],
    name: string,
    patch: Record<string, unknown>,
): EvaluatorResource[] {
    if (!resources.some((r) => r.name === name)) throw new Error(`fixture has no resource named ${name}`);
    return resources.map((r) => {
        if (r.name !== name) return r;
        const props = { ...r.props, ...patch };
        for (const [k, v] of Object.entries(patch)) if (v === undefined) delete props[k];
        return { ...r, props };
    });
}

/** The resources without those named. */
export function without(resources: EvaluatorResource[], ...names: string[]): EvaluatorResource[] {
    return resources.filter((r) => !names.includes(r.name));
}

/** Runs one policy (mandatory unless the config says otherwise). */
export function runPolicy(
    policy: Policy,
    resources: EvaluatorResource[],
    config: Record<string, unknown> = {},
    opts: EvaluateOptions = {},
): Promise<PolicyReport> {
    return evaluatePolicies(resources, {
        policies: [policy as never],
        config: { [policy.name]: config } as never,
        ...opts,
    });
}

/** The messages one policy reports. */
export async function messages(
    policy: Policy,
    resources: EvaluatorResource[],
    config: Record<string, unknown> = {},
): Promise<string[]> {
    return (await runPolicy(policy, resources, config)).violations.map((v) => v.message);
}
