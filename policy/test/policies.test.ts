import * as assert from "node:assert/strict";
import { Policy } from "@pulumi/policy";
import * as p from "../policies";
import { EvaluatorResource, UNKNOWN } from "../resources";
import { baseline, KEY_ARN, messages, res, runPolicy, withProps, without } from "./fixtures";

/**
 * Every policy: the compliant baseline passes; each variant (one field changed) fails with the
 * exact message; a resource of another type carrying the offending value is skipped.
 */
interface Variant {
    what: string;
    change: (resources: EvaluatorResource[]) => EvaluatorResource[];
    config?: Record<string, unknown>;
    expect: string[];
}
interface Spec {
    policy: Policy;
    variants: Variant[];
    /** A resource of another type whose props would violate the policy if the type were not checked. */
    otherType: EvaluatorResource;
}

const set = (name: string, patch: Record<string, unknown>) => (r: EvaluatorResource[]) => withProps(r, name, patch);
const drop =
    (...names: string[]) =>
    (r: EvaluatorResource[]) =>
        without(r, ...names);
const add =
    (...extra: EvaluatorResource[]) =>
    (r: EvaluatorResource[]) => [...r, ...extra];
const then =
    (...steps: ((r: EvaluatorResource[]) => EvaluatorResource[])[]) =>
    (r: EvaluatorResource[]) =>
        steps.reduce((acc, step) => step(acc), r);

const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const sse = (sseAlgorithm: string, kmsMasterKeyId?: string) => ({
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm, kmsMasterKeyId } }],
});
const wildcard = JSON.stringify({ Statement: [{ Sid: "Admin", Effect: "Allow", Action: "*", Resource: "*" }] });

const specs: Spec[] = [
    // Encryption
    {
        policy: p.rdsDatabaseRequireStorageEncryption,
        variants: [
            {
                what: "cluster unencrypted",
                change: set("db", { storageEncrypted: false }),
                expect: ['RDS cluster "db" has storageEncrypted false; it must be true.'],
            },
            {
                what: "cluster storageEncrypted unset",
                change: set("db", { storageEncrypted: undefined }),
                expect: ['RDS cluster "db" has storageEncrypted unset; it must be true.'],
            },
            {
                what: "cluster on the AWS-managed key",
                change: set("db", { kmsKeyId: "alias/aws/rds" }),
                expect: ['RDS cluster "db" has kmsKeyId "alias/aws/rds"; it must be a customer-managed KMS key.'],
            },
            {
                what: "instance without a key",
                change: set("reports-db", { kmsKeyId: undefined }),
                expect: ['RDS instance "reports-db" has kmsKeyId unset; it must be a customer-managed KMS key.'],
            },
        ],
        otherType: res("aws:docdb/cluster:Cluster", "doc", { storageEncrypted: false }),
    },
    {
        policy: p.rdsDatabaseRequirePerformanceInsightsEncryption,
        variants: [
            {
                what: "instance PI on the AWS-managed key",
                change: set("db-1", { performanceInsightsKmsKeyId: "alias/aws/rds" }),
                expect: [
                    'Aurora instance "db-1" has performanceInsightsKmsKeyId "alias/aws/rds"; it must be a customer-managed KMS key.',
                ],
            },
            {
                what: "cluster PI without a key",
                change: set("db", { performanceInsightsKmsKeyId: undefined }),
                expect: [
                    'RDS cluster "db" has performanceInsightsKmsKeyId unset; it must be a customer-managed KMS key.',
                ],
            },
            {
                what: "PI off needs no key",
                change: set("db-2", { performanceInsightsEnabled: false, performanceInsightsKmsKeyId: undefined }),
                expect: [],
            },
        ],
        otherType: res("aws:neptune/clusterInstance:ClusterInstance", "n", { performanceInsightsEnabled: true }),
    },
    {
        policy: p.s3BucketRequireEncryption,
        variants: [
            {
                what: "data bucket without a configuration",
                change: drop("uploads-sse"),
                expect: [
                    'S3 bucket "uploads" has no server-side encryption configuration; it must have one using "aws:kms" with a customer-managed key.',
                ],
            },
            {
                what: "data bucket on SSE-S3",
                change: set("uploads-sse", sse("AES256")),
                expect: ['S3 bucket "uploads" has sseAlgorithm "AES256"; it must be "aws:kms".'],
            },
            {
                what: "data bucket on the AWS-managed key",
                change: set("uploads-sse", sse("aws:kms")),
                expect: ['S3 bucket "uploads" has kmsMasterKeyId unset; it must be a customer-managed KMS key.'],
            },
            {
                what: "log bucket without a configuration",
                change: drop("alb-logs-sse"),
                expect: [
                    'S3 bucket "alb-logs" has no server-side encryption configuration; it must have one using "AES256" (SSE-S3), as it receives access logs.',
                ],
            },
            {
                what: "log bucket on KMS",
                change: set("alb-logs-sse", sse("aws:kms", KEY_ARN)),
                expect: [
                    'S3 bucket "alb-logs" has sseAlgorithm "aws:kms"; it must be "AES256" (SSE-S3), as it receives access logs, which AWS delivers only to SSE-S3 buckets.',
                ],
            },
            {
                what: "a bucket that is no longer a log target loses its exemption",
                change: set("alb", { accessLogs: { bucket: "alb-logs-bucket", enabled: false } }),
                expect: ['S3 bucket "alb-logs" has sseAlgorithm "AES256"; it must be "aws:kms".'],
            },
            {
                what: "an S3 server-access-log target may use SSE-S3",
                change: then(
                    set("alb", { accessLogs: undefined }),
                    add(
                        res("aws:s3/bucketLogging:BucketLogging", "uploads-logging", {
                            bucket: "uploads-bucket",
                            targetBucket: "alb-logs-bucket",
                        }),
                    ),
                ),
                expect: [],
            },
            {
                what: "an inline configuration of a stack export counts",
                change: then(
                    drop("uploads-sse"),
                    set("uploads", { serverSideEncryptionConfiguration: { rule: sse("aws:kms", KEY_ARN).rules[0] } }),
                ),
                expect: [],
            },
            {
                what: "an unknown link cannot be judged",
                change: then(
                    drop("uploads-sse"),
                    add(res(SSE, "other-sse", { bucket: UNKNOWN, ...sse("aws:kms", KEY_ARN) })),
                ),
                expect: [],
            },
        ],
        otherType: res("aws:s3/directoryBucket:DirectoryBucket", "dir", { bucket: "dir" }),
    },
    {
        policy: p.kmsKeyEnableRotation,
        variants: [
            {
                what: "rotation off",
                change: set("data-key", { enableKeyRotation: false }),
                expect: ['KMS key "data-key" has enableKeyRotation false; it must be true.'],
            },
            {
                what: "rotation period too long",
                change: set("data-key", { rotationPeriodInDays: 730 }),
                expect: ['KMS key "data-key" has rotationPeriodInDays 730; it must be at most 365.'],
            },
            {
                what: "asymmetric keys cannot rotate",
                change: set("data-key", { enableKeyRotation: false, keySpec: "RSA_2048" }),
                expect: [],
            },
        ],
        otherType: res("aws:kms/replicaKey:ReplicaKey", "replica", { enableKeyRotation: false }),
    },
    {
        policy: p.cloudwatchLogGroupRequireKms,
        variants: [
            {
                what: "no key",
                change: set("api-logs", { kmsKeyId: undefined }),
                expect: ['CloudWatch log group "api-logs" has kmsKeyId unset; it must be a customer-managed KMS key.'],
            },
        ],
        otherType: res("aws:cloudwatch/logStream:LogStream", "s", { kmsKeyId: undefined }),
    },
    {
        policy: p.snsTopicRequireKms,
        variants: [
            {
                what: "no key",
                change: set("alarms", { kmsMasterKeyId: undefined }),
                expect: ['SNS topic "alarms" has kmsMasterKeyId unset; it must be a customer-managed KMS key.'],
            },
            {
                what: "AWS-managed key",
                change: set("alarms", { kmsMasterKeyId: "alias/aws/sns" }),
                expect: [
                    'SNS topic "alarms" has kmsMasterKeyId "alias/aws/sns"; it must be a customer-managed KMS key.',
                ],
            },
            {
                what: "AWS-managed key allowed by config",
                change: set("alarms", { kmsMasterKeyId: "alias/aws/sns" }),
                config: { allowAwsManagedKeys: true },
                expect: [],
            },
        ],
        otherType: res("aws:sqs/queue:Queue", "q", { kmsMasterKeyId: undefined }),
    },
    {
        policy: p.ecrRepositoryRequireKms,
        variants: [
            {
                what: "AES256",
                change: set("api-repo", { encryptionConfigurations: [{ encryptionType: "AES256" }] }),
                expect: ['ECR repository "api-repo" has encryptionType "AES256"; it must be "KMS".'],
            },
            {
                what: "no configuration (AES256 by default)",
                change: set("api-repo", { encryptionConfigurations: undefined }),
                expect: ['ECR repository "api-repo" has encryptionType "AES256"; it must be "KMS".'],
            },
            {
                what: "KMS on the AWS-managed key",
                change: set("api-repo", { encryptionConfigurations: [{ encryptionType: "KMS" }] }),
                expect: ['ECR repository "api-repo" has kmsKey unset; it must be a customer-managed KMS key.'],
            },
        ],
        otherType: res("aws:ecr/pullThroughCacheRule:PullThroughCacheRule", "c", { encryptionConfigurations: [] }),
    },
    {
        policy: p.secretsmanagerSecretRequireKms,
        variants: [
            {
                what: "default key",
                change: set("api-secret", { kmsKeyId: undefined }),
                expect: [
                    'Secrets Manager secret "api-secret" has kmsKeyId unset; it must be a customer-managed KMS key.',
                ],
            },
        ],
        otherType: res("aws:ssm/parameter:Parameter", "param", { kmsKeyId: undefined }),
    },
    {
        policy: p.lbListenerRequireHttps,
        variants: [
            {
                what: "old TLS policy",
                change: set("https", { sslPolicy: "ELBSecurityPolicy-2016-08" }),
                expect: [
                    'Load balancer listener "https" has sslPolicy "ELBSecurityPolicy-2016-08"; it must be one of "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06".',
                ],
            },
            {
                what: "TLS policy from config",
                change: set("https", { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }),
                config: { allowedSslPolicies: ["ELBSecurityPolicy-TLS13-1-3-2021-06"] },
                expect: [
                    'Load balancer listener "https" has sslPolicy "ELBSecurityPolicy-TLS13-1-2-2021-06"; it must be one of "ELBSecurityPolicy-TLS13-1-3-2021-06".',
                ],
            },
            {
                what: "plain HTTP forwarding",
                change: set("http", { defaultActions: [{ type: "forward" }] }),
                expect: [
                    'Load balancer listener "http" has protocol "HTTP" with default actions [forward]; it must be "HTTPS", or "HTTP" whose only action is a redirect to HTTPS.',
                ],
            },
            {
                what: "HTTP redirecting to HTTP",
                change: set("http", { defaultActions: [{ type: "redirect", redirect: { protocol: "HTTP" } }] }),
                expect: [
                    'Load balancer listener "http" has protocol "HTTP" with default actions [redirect to HTTP]; it must be "HTTPS", or "HTTP" whose only action is a redirect to HTTPS.',
                ],
            },
            {
                what: "TCP listeners are out of scope",
                change: set("http", { protocol: "TCP", defaultActions: [{ type: "forward" }] }),
                expect: [],
            },
        ],
        otherType: res("aws:lb/listenerRule:ListenerRule", "rule", {
            protocol: "HTTP",
            actions: [{ type: "forward" }],
        }),
    },
    {
        policy: p.rdsDatabaseRequireTls,
        variants: [
            {
                what: "force_ssl off",
                change: set("db-params", { parameters: [{ name: "rds.force_ssl", value: "0" }] }),
                expect: ['RDS cluster "db" uses parameter group "db-params" with rds.force_ssl "0"; it must be "1".'],
            },
            {
                what: "force_ssl missing",
                change: set("reports-params", { parameters: [] }),
                expect: [
                    'RDS instance "reports-db" uses parameter group "reports-params" with rds.force_ssl unset; it must be "1".',
                ],
            },
            {
                what: "default parameter group",
                change: set("db", { dbClusterParameterGroupName: undefined }),
                expect: [
                    'RDS cluster "db" has dbClusterParameterGroupName unset; it must be a parameter group from this stack that sets rds.force_ssl to "1".',
                ],
            },
            {
                what: "a group outside the stack",
                change: set("db", { dbClusterParameterGroupName: "default.aurora-postgresql16" }),
                expect: [
                    'RDS cluster "db" has dbClusterParameterGroupName "default.aurora-postgresql16"; it must be a parameter group from this stack that sets rds.force_ssl to "1".',
                ],
            },
            {
                what: "an unknown group name cannot be judged",
                change: set("db", { dbClusterParameterGroupName: UNKNOWN }),
                expect: [],
            },
        ],
        otherType: res("aws:docdb/cluster:Cluster", "doc", { engine: "postgres" }),
    },
    // Availability
    {
        policy: p.auroraClusterRequireMultiAzInstances,
        variants: [
            {
                what: "one instance",
                change: drop("db-2"),
                expect: ['Aurora cluster "db" has 1 instance; it must have at least 2.'],
            },
            {
                what: "more instances required by config",
                change: (r) => r,
                config: { minInstanceCount: 3 },
                expect: ['Aurora cluster "db" has 2 instances; it must have at least 3.'],
            },
            {
                what: "both in one zone",
                change: set("db-2", { availabilityZone: "us-east-1a" }),
                expect: [
                    'Aurora cluster "db" has instances in 1 availability zone [us-east-1a]; they must span at least 2 (set availabilityZone on each instance).',
                ],
            },
            {
                what: "an instance placed by AWS",
                change: set("db-2", { availabilityZone: undefined }),
                expect: [
                    'Aurora cluster "db" has instances in 1 availability zone [us-east-1a]; they must span at least 2 (set availabilityZone on each instance).',
                ],
            },
            {
                what: "an unknown zone cannot be judged",
                change: set("db-2", { availabilityZone: UNKNOWN }),
                expect: [],
            },
            {
                what: "an unknown cluster link cannot be judged",
                change: set("db-2", { clusterIdentifier: UNKNOWN }),
                expect: [],
            },
        ],
        otherType: res("aws:docdb/cluster:Cluster", "doc", { engine: "aurora-postgresql", clusterIdentifier: "doc" }),
    },
    {
        policy: p.rdsInstanceEnableMultiAz,
        variants: [
            {
                what: "single-AZ",
                change: set("reports-db", { multiAz: false }),
                expect: ['RDS instance "reports-db" has multiAz false; it must be true.'],
            },
        ],
        otherType: res("aws:rds/clusterInstance:ClusterInstance", "x", { multiAz: false }),
    },
    {
        policy: p.ecsServiceRequireMultiAzTasks,
        variants: [
            {
                what: "one task",
                change: set("api", { desiredCount: 1 }),
                expect: ['ECS service "api" has desiredCount 1; it must be at least 2.'],
            },
            {
                what: "fewer tasks than production asks",
                change: (r) => r,
                config: { minTaskCount: 4 },
                expect: ['ECS service "api" has desiredCount 3; it must be at least 4.'],
            },
            {
                what: "subnets in one zone",
                change: set("private-b", { availabilityZone: "us-east-1a" }),
                expect: ['ECS service "api" has subnets in 1 availability zone; it must use subnets in at least 2.'],
            },
            {
                what: "one subnet from outside the list",
                change: set("api", { networkConfiguration: { subnets: ["subnet-x"], assignPublicIp: false } }),
                expect: ['ECS service "api" has subnets in 1 availability zone; it must use subnets in at least 2.'],
            },
            {
                what: "two subnets from a remote awsx VPC count as two zones",
                change: set("api", { networkConfiguration: { subnets: ["subnet-x", "subnet-y"] } }),
                expect: [],
            },
            {
                what: "unknown subnets cannot be judged",
                change: set("api", { networkConfiguration: { subnets: UNKNOWN } }),
                expect: [],
            },
        ],
        otherType: res("aws:ecs/taskSet:TaskSet", "ts", { desiredCount: 1 }),
    },
    {
        policy: p.lbLoadBalancerRequireMultiAzSubnets,
        variants: [
            {
                what: "one subnet",
                change: set("alb", { subnets: ["subnet-public-a"] }),
                expect: ['Load balancer "alb" has 1 subnet; it must span at least 2, one per availability zone.'],
            },
            {
                what: "subnet mappings count",
                change: set("alb", { subnets: undefined, subnetMappings: [{ subnetId: "a" }, { subnetId: "b" }] }),
                expect: [],
            },
        ],
        otherType: res("aws:lb/targetGroup:TargetGroup", "tg", { subnets: [] }),
    },
    {
        policy: p.vpcNetworkRequireMultiAz,
        variants: [
            {
                what: "one zone",
                change: drop("public-b", "private-b", "nat-b"),
                expect: ['VPC "vpc" has subnets in 1 availability zone; it must span at least 2.'],
            },
            {
                what: "three zones required",
                change: (r) => r,
                config: { minAvailabilityZoneCount: 3 },
                expect: ['VPC "vpc" has subnets in 2 availability zones; it must span at least 3.'],
            },
            {
                what: "a plain VPC whose subnets name it by vpcId",
                change: add(
                    res("aws:ec2/vpc:Vpc", "plain", { id: "vpc-2" }),
                    res("aws:ec2/subnet:Subnet", "plain-a", { vpcId: "vpc-2", availabilityZone: "us-east-1a" }),
                ),
                expect: ['VPC "plain" has subnets in 1 availability zone; it must span at least 2.'],
            },
            {
                what: "a VPC with no subnets",
                change: add(res("aws:ec2/vpc:Vpc", "empty", { id: "vpc-3" })),
                expect: ['VPC "empty" has subnets in 0 availability zones; it must span at least 2.'],
            },
        ],
        otherType: res("aws:ec2/subnet:Subnet", "lonely", { vpcId: "vpc-9", availabilityZone: "us-east-1a" }),
    },
    {
        policy: p.vpcNatGatewayRequireOnePerAz,
        variants: [
            {
                what: "a single NAT gateway",
                change: drop("nat-b"),
                expect: [
                    'VPC "vpc" has NAT gateways in 1 of its 2 availability zones (none in us-east-1b); it must have one per zone.',
                ],
            },
            {
                what: "staging does not require it",
                change: drop("nat-b"),
                config: { required: false },
                expect: [],
            },
            {
                what: "two NAT gateways in one zone",
                change: (r) =>
                    r.map((x) =>
                        x.name === "nat-b" ? { ...x, parent: r.find((y) => y.name === "public-a")!.urn } : x,
                    ),
                expect: [
                    'VPC "vpc" has NAT gateways in 1 of its 2 availability zones (none in us-east-1b); it must have one per zone.',
                ],
            },
            {
                what: "a NAT gateway found through its subnetId",
                change: (r) =>
                    r.map((x) =>
                        x.name === "nat-b" ? { ...x, parent: undefined, props: { subnetId: "subnet-public-b" } } : x,
                    ),
                expect: [],
            },
        ],
        otherType: res("aws:ec2/subnet:Subnet", "lonely", { vpcId: "vpc-9", availabilityZone: "us-east-1a" }),
    },
    // Backup
    {
        policy: p.rdsDatabaseConfigureBackupRetention,
        variants: [
            {
                what: "cluster below the production minimum",
                change: set("db", { backupRetentionPeriod: 7 }),
                config: { minimumDays: 35 },
                expect: ['RDS cluster "db" has backupRetentionPeriod 7; it must be at least 35 (days).'],
            },
            {
                what: "instance retention unset",
                change: set("reports-db", { backupRetentionPeriod: undefined }),
                expect: ['RDS instance "reports-db" has backupRetentionPeriod unset; it must be at least 7 (days).'],
            },
        ],
        otherType: res("aws:docdb/cluster:Cluster", "doc", { backupRetentionPeriod: 1 }),
    },
    {
        policy: p.rdsDatabaseEnableDeletionProtection,
        variants: [
            {
                what: "cluster unprotected",
                change: set("db", { deletionProtection: false }),
                expect: ['RDS cluster "db" has deletionProtection false; it must be true.'],
            },
            {
                what: "instance unprotected",
                change: set("reports-db", { deletionProtection: undefined }),
                expect: ['RDS instance "reports-db" has deletionProtection unset; it must be true.'],
            },
            {
                what: "not required in staging",
                change: set("db", { deletionProtection: false }),
                config: { required: false },
                expect: [],
            },
        ],
        otherType: res("aws:docdb/cluster:Cluster", "doc", { deletionProtection: false }),
    },
    {
        policy: p.rdsDatabaseRequireFinalSnapshot,
        variants: [
            {
                what: "snapshot skipped",
                change: set("db", { skipFinalSnapshot: true }),
                expect: ['RDS cluster "db" has skipFinalSnapshot true; it must be false.'],
            },
            {
                what: "no snapshot name",
                change: set("reports-db", { finalSnapshotIdentifier: undefined }),
                expect: [
                    'RDS instance "reports-db" has finalSnapshotIdentifier unset; it must name the final snapshot, or destroy fails.',
                ],
            },
            {
                what: "not required in staging",
                change: set("db", { skipFinalSnapshot: true }),
                config: { required: false },
                expect: [],
            },
        ],
        otherType: res("aws:docdb/cluster:Cluster", "doc", { skipFinalSnapshot: true }),
    },
    {
        policy: p.s3BucketEnableVersioning,
        variants: [
            {
                what: "no versioning",
                change: drop("uploads-versioning"),
                expect: ['S3 bucket "uploads" has versioning unset; it must be "Enabled".'],
            },
            {
                what: "versioning suspended",
                change: set("uploads-versioning", { versioningConfiguration: { status: "Suspended" } }),
                expect: ['S3 bucket "uploads" has versioning "Suspended"; it must be "Enabled".'],
            },
            {
                what: "log targets are versioned when not exempt",
                change: (r) => r,
                config: { exemptLogTargets: false },
                expect: ['S3 bucket "alb-logs" has versioning unset; it must be "Enabled".'],
            },
            {
                what: "inline versioning of a stack export counts",
                change: then(drop("uploads-versioning"), set("uploads", { versioning: { enabled: true } })),
                expect: [],
            },
        ],
        otherType: res("aws:s3/directoryBucket:DirectoryBucket", "dir", { bucket: "dir" }),
    },
    {
        policy: p.backupPlanConfigureRetention,
        variants: [
            {
                what: "rule below the minimum",
                change: set("db-backup", { rules: [{ ruleName: "daily", lifecycle: { deleteAfter: 14 } }] }),
                config: { minimumDays: 35 },
                expect: [
                    'Backup plan "db-backup" rule "daily" has lifecycle.deleteAfter 14; it must be at least 35 (days).',
                ],
            },
            {
                what: "copy below the minimum",
                change: set("db-backup", {
                    rules: [
                        {
                            ruleName: "daily",
                            lifecycle: { deleteAfter: 35 },
                            copyActions: [{ lifecycle: { deleteAfter: 3 } }],
                        },
                    ],
                }),
                expect: [
                    'Backup plan "db-backup" rule "daily" copies to a vault with lifecycle.deleteAfter 3; it must be at least 7 (days).',
                ],
            },
            {
                what: "no lifecycle keeps recovery points",
                change: set("db-backup", { rules: [{ ruleName: "daily" }] }),
                expect: [],
            },
        ],
        otherType: res("aws:backup/vault:Vault", "vault", { rules: [{ lifecycle: { deleteAfter: 1 } }] }),
    },
    // Network
    {
        policy: p.ec2SecurityGroupDisallowPublicIngress,
        variants: [
            {
                what: "SSH from anywhere on the load balancer's group",
                change: set("alb-in-80", { fromPort: 22, toPort: 22 }),
                expect: [
                    'Security group ingress rule "alb-in-80" allows ingress from 0.0.0.0/0 on port 22; only an internet-facing load balancer\'s security group may, on TCP port 80 or 443.',
                ],
            },
            {
                what: "HTTPS from anywhere to the tasks",
                change: set("api-in", { cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 }),
                expect: [
                    'Security group ingress rule "api-in" allows ingress from 0.0.0.0/0 on port 443; only an internet-facing load balancer\'s security group may, on TCP port 80 or 443.',
                ],
            },
            {
                what: "an internal load balancer",
                change: set("alb", { internal: true }),
                expect: [80, 443].map(
                    (port) =>
                        `Security group ingress rule "alb-in-${port}" allows ingress from 0.0.0.0/0 on port ${port}; only an internet-facing load balancer's security group may, on TCP port 80 or 443.`,
                ),
            },
            {
                what: "an inline IPv6 rule on all ports",
                change: set("api-sg", {
                    ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }],
                }),
                expect: [
                    'Security group "api-sg" allows ingress from ::/0 on all ports; only an internet-facing load balancer\'s security group may, on TCP port 80 or 443.',
                ],
            },
            {
                what: "a port range",
                change: add(
                    res("aws:ec2/securityGroupRule:SecurityGroupRule", "wide", {
                        type: "ingress",
                        securityGroupId: "sg-alb",
                        cidrBlocks: ["0.0.0.0/0"],
                        protocol: "tcp",
                        fromPort: 80,
                        toPort: 443,
                    }),
                ),
                expect: [
                    'Security group rule "wide" allows ingress from 0.0.0.0/0 on ports 80-443; only an internet-facing load balancer\'s security group may, on TCP port 80 or 443.',
                ],
            },
            {
                what: "an unknown group on 443 cannot be judged",
                change: set("alb-in-443", { securityGroupId: UNKNOWN }),
                expect: [],
            },
        ],
        otherType: res("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "out", {
            cidrIpv4: "0.0.0.0/0",
            ipProtocol: "-1",
        }),
    },
    {
        policy: p.rdsDatabaseDisallowPublicAccess,
        variants: [
            {
                what: "public Aurora instance",
                change: set("db-1", { publiclyAccessible: true }),
                expect: ['Aurora instance "db-1" has publiclyAccessible true; it must be false.'],
            },
            {
                what: "public RDS instance",
                change: set("reports-db", { publiclyAccessible: true }),
                expect: ['RDS instance "reports-db" has publiclyAccessible true; it must be false.'],
            },
        ],
        otherType: res("aws:redshift/cluster:Cluster", "rs", { publiclyAccessible: true }),
    },
    {
        policy: p.ecsServiceDisallowPublicIp,
        variants: [
            {
                what: "public IP",
                change: set("api", { networkConfiguration: { subnets: ["subnet-private-a"], assignPublicIp: true } }),
                expect: ['ECS service "api" has networkConfiguration.assignPublicIp true; it must be false.'],
            },
        ],
        otherType: res("aws:ecs/taskSet:TaskSet", "ts", { networkConfiguration: { assignPublicIp: true } }),
    },
    // Security
    {
        policy: p.iamPolicyDisallowWildcardAdmin,
        variants: [
            {
                what: "managed policy",
                change: set("api-policy", { policy: wildcard }),
                expect: [
                    'IAM policy "api-policy" has statement "Admin" allowing Action "*" on Resource "*"; no statement may allow every action on every resource.',
                ],
            },
            {
                what: "role policy, as an object, without Sid",
                change: set("task-policy", {
                    policy: { Statement: { Effect: "Allow", Action: ["*:*"], Resource: ["*"] } },
                }),
                expect: [
                    'IAM role policy "task-policy" has statement #1 allowing Action "*" on Resource "*"; no statement may allow every action on every resource.',
                ],
            },
            {
                what: "role inline policy",
                change: set("task-role", { inlinePolicies: [{ name: "admin", policy: wildcard }] }),
                expect: [
                    'IAM role "task-role" inline policy "admin" has statement "Admin" allowing Action "*" on Resource "*"; no statement may allow every action on every resource.',
                ],
            },
            {
                what: "Deny statements are fine",
                change: set("api-policy", {
                    policy: JSON.stringify({ Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] }),
                }),
                expect: [],
            },
        ],
        // A KMS key policy legitimately gives the account root kms:* (and here even *) on *.
        otherType: res("aws:kms/key:Key", "k", { policy: wildcard }),
    },
    {
        policy: p.ecsTaskDefinitionRequireReadOnlyRoot,
        variants: [
            {
                what: "writable root in the sidecar",
                change: set("api-task", {
                    containerDefinitions: JSON.stringify([
                        { name: "api", readonlyRootFilesystem: true },
                        { name: "collector" },
                    ]),
                }),
                expect: [
                    'ECS task definition "api-task" has container "collector" with readonlyRootFilesystem unset; it must be true.',
                ],
            },
            {
                what: "unparseable definitions",
                change: set("api-task", { containerDefinitions: "not json" }),
                expect: [
                    'ECS task definition "api-task" has containerDefinitions that are not a JSON list; it must list its containers.',
                ],
            },
        ],
        otherType: res("aws:batch/jobDefinition:JobDefinition", "job", { containerDefinitions: "[{}]" }),
    },
    // Observability
    {
        policy: p.cloudwatchLogGroupConfigureRetention,
        variants: [
            {
                what: "never expires",
                change: set("api-logs", { retentionInDays: 0 }),
                expect: [
                    'CloudWatch log group "api-logs" has retentionInDays 0 (never expire); it must be at least 30.',
                ],
            },
            {
                what: "unset",
                change: set("api-logs", { retentionInDays: undefined }),
                expect: ['CloudWatch log group "api-logs" has retentionInDays unset; it must be at least 30.'],
            },
            {
                what: "below the production minimum",
                change: set("api-logs", { retentionInDays: 30 }),
                config: { minimumDays: 365 },
                expect: ['CloudWatch log group "api-logs" has retentionInDays 30; it must be at least 365.'],
            },
        ],
        otherType: res("aws:cloudwatch/logStream:LogStream", "s", { retentionInDays: 0 }),
    },
    // Cost
    {
        policy: p.awsResourceRequireCostTags,
        variants: [
            {
                what: "missing tags",
                change: set("uploads", {
                    tagsAll: { Project: "migration-api", Environment: "production", ManagedBy: "pulumi" },
                }),
                expect: [
                    'aws:s3/bucket:Bucket "uploads" is missing the tags Stack, CostCenter; it must carry Project, Environment, ManagedBy, Stack, CostCenter.',
                ],
            },
            {
                // A live preview of a new resource: the default tags are not merged yet, so no judgement.
                what: "tags without tagsAll",
                change: set("alarms", { tagsAll: undefined, tags: { Project: "migration-api" } }),
                expect: [],
            },
            {
                what: "tags from config",
                change: (r) => r,
                config: { requiredTags: ["Owner"] },
                expect: [],
            },
        ],
        otherType: res("awsx:ec2:Vpc", "v", { tags: {} }),
    },
];

// The "tags from config" variant expects one message per tagged resource; fill it from the baseline.
const tagSpec = specs.find((s) => s.policy === p.awsResourceRequireCostTags) as Spec;
const fromConfig = tagSpec.variants.find((v) => v.what === "tags from config") as Variant;
fromConfig.expect = baseline()
    .filter((r) => r.type.startsWith("aws:") && r.props.tagsAll !== undefined)
    .map((r) => `${r.type} "${r.name}" is missing the tags Owner; it must carry Owner.`);

describe("policies", () => {
    it("every policy of the pack has a spec here", () => {
        const covered = new Set(specs.map((s) => s.policy.name));
        assert.deepEqual(
            p.allPolicies.map((x) => x.name).filter((n) => !covered.has(n)),
            [],
        );
    });

    for (const spec of specs) {
        describe(spec.policy.name, () => {
            it("passes the compliant baseline", async () => {
                assert.deepEqual(await messages(spec.policy, baseline()), []);
            });
            for (const variant of spec.variants) {
                it(`${variant.expect.length ? "fails" : "passes"}: ${variant.what}`, async () => {
                    const got = await messages(spec.policy, variant.change(baseline()), variant.config);
                    assert.deepEqual([...got].sort(), [...variant.expect].sort());
                });
            }
            it("skips resources of other types", async () => {
                const report = await runPolicy(spec.policy, [spec.otherType]);
                assert.deepEqual(report.violations, []);
                assert.deepEqual(report.undetermined, []);
            });
            if (spec.variants.some((v) => v.expect.length > 0)) {
                it("reports against the offending resource's URN", async () => {
                    const failing = spec.variants.find((v) => v.expect.length > 0) as Variant;
                    const report = await runPolicy(spec.policy, failing.change(baseline()), failing.config);
                    const urns = new Set(failing.change(baseline()).map((r) => r.urn));
                    for (const v of report.violations)
                        assert.ok(urns.has(v.urn), `${v.urn} is a resource of the stack`);
                });
            }
        });
    }
});
