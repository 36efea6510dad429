import * as assert from "node:assert/strict";
import { diffStack } from "../../tools/diff";
import { differenceLines } from "../../tools/diff/render";

/**
 * Every way staging is meant to differ from production (DESIGN.md "Environments"), one pattern per
 * reason. Any other difference fails the test: staging must mirror production's topology.
 */
const INTENDED: [RegExp, string][] = [
    [
        /^only in production: (acm\/certificate(Validation)? api-lb-cert(-validation)?|route53\/record api-lb-(alias|cert-validation)|lb\/listener api-lb-https|vpc\/securityGroupIngressRule api-lb-in-443-0)$/,
        "HTTPS on its own domain in production",
    ],
    [
        /^differs: (lb\/listener api-lb-http defaultActions\[\]\.(redirect|targetGroupArn|type)|ec2\/securityGroup api-lb-sg description)$/,
        "staging without a domain serves HTTP; production redirects to HTTPS",
    ],
    [
        /^only in production: (wafv2\/\w+|cloudwatch\/logGroup) api-waf(-logs|-association|-logging)?$/,
        "WAF in production",
    ],
    [
        /^only in production: (backup\/(plan|selection|vault)|iam\/(role|rolePolicyAttachment)) database-(backup|dr|vault)[-\w]*$/,
        "AWS Backup with a DR-region copy in production",
    ],
    [
        /^only in production: (kms\/key database-dr-key-key|pulumi:providers dr)$/,
        "the DR region (its provider and the backup-copy key)",
    ],
    [
        /^only in production: ((ec2\/securityGroup|rds\/\w+|iam\/\w+) database-proxy[-\w]*|vpc\/security\w+ database-(proxy-to-cluster|from-proxy|proxy-from-api-tasks))$/,
        "RDS Proxy in production",
    ],
    [
        /^only in production: rds\/clusterInstance database-instance-3$/,
        "three Aurora instances in production, two in staging",
    ],
    [/^differs: rds\/clusterInstance database-instance-[12] instanceClass$/, "Serverless v2 in staging"],
    [/^differs: rds\/cluster database-cluster serverlessv2ScalingConfiguration$/, "Serverless v2 in staging"],
    [
        /^only in production: (ec2\/securityGroup network-endpoints-sg|ec2\/vpcEndpoint network-[\w-]+|vpc\/securityGroupIngressRule network-endpoints-https)$/,
        "interface endpoints in production only (staging goes through its NAT)",
    ],
    [
        /^only in production: (kms\/key storage-replica-key-key|s3\/\w+ storage-replica[-\w]*|iam\/\w+ storage-replication[-\w]*|s3\/bucketReplicationConfig storage-replication)$/,
        "uploads replicated to the DR region in production",
    ],
    [/^only in production: xray\/samplingRule observability-sampling$/, "X-Ray tracing in production"],
    [
        /^differs: (iam\/rolePolicy api-roles-task policy\.Statement\[\]\.(Action|Sid)|ecs\/service api-service enableExecuteCommand|ecs\/taskDefinition api-(task|migrate) (volumes|containerDefinitions(\[\]\.mountPoints)?))$/,
        "ECS Exec in staging, X-Ray sidecar in production",
    ],
    [
        /^only in (staging|production): sns\/topicSubscription observability-email-[\w-]+$/,
        "each environment's alarm recipients",
    ],
    [/^differs: ecs\/taskDefinition api-(task|migrate) (cpu|memory)$/, "smaller tasks in staging"],
    [
        /^differs: (ecs\/service api-service desiredCount|appautoscaling\/target api-scaling (min|max)Capacity)$/,
        "fewer tasks in staging",
    ],
    [
        /^differs: (ecs\/service api-service capacityProviderStrategies|ecs\/clusterCapacityProviders api-capacity defaultCapacityProviderStrategies)$/,
        "Fargate Spot in staging",
    ],
    [
        /^differs: (ecs\/service api-service networkConfiguration\.subnets|lb\/loadBalancer api-lb subnets|rds\/subnetGroup database-subnets subnetIds|ec2\/vpcEndpoint network-s3 routeTableIds)$/,
        "two AZs in staging, three in production",
    ],
    [
        /^only in production: ec2\/(subnet|routeTable|routeTableAssociation|route) network-vpc-(public|private|isolated)-3$/,
        "two AZs in staging, three in production (awsx's subnets and routes)",
    ],
    [
        /^only in production: ec2\/(natGateway|eip) network-vpc-[23]$/,
        "one NAT gateway in staging, one per AZ in production",
    ],
    [
        /^differs: ec2\/route network-vpc-private-2 natGatewayId$/,
        "one NAT gateway in staging: every private subnet routes through it",
    ],
    [/^differs: cloudwatch\/logGroup [\w-]+ retentionInDays$/, "30-day logs in staging, 365 in production"],
    [/^differs: rds\/cluster database-cluster backupRetentionPeriod$/, "7-day backups in staging, 35 in production"],
    [
        /^differs: (rds\/cluster database-cluster (deletionProtection|skipFinalSnapshot|finalSnapshotIdentifier)|lb\/loadBalancer api-lb enableDeletionProtection|s3\/bucket storage-(uploads|logs) forceDestroy)$/,
        "deletion protection and final snapshot off in staging",
    ],
    [
        /^differs: (rds\/\w+|kms\/\w+|s3\/bucket) [\w-]+ \[(protect|retainOnDelete)\]$/,
        "Pulumi protect/retainOnDelete on stateful resources in production only",
    ],
    [/^differs: budgets\/budget observability-budget limitAmount$/, "each environment's budget"],
    [
        /^only in production: random:index\/randomId database-final-snapshot-id$/,
        "staging skips the final snapshot, so it needs no unique snapshot id",
    ],
    [
        /^differs: iam\/rolePolicy api-roles-task policy\.Statement\[\]\.Resource$/,
        "the API connects through the RDS Proxy in production: rds-db:connect on the proxy's id, not the cluster's",
    ],
    [
        /^differs: rds\/(cluster database-cluster|clusterInstance database-instance-[12]) performanceInsights(Enabled|KmsKeyId|RetentionPeriod)$/,
        "Performance Insights off in staging: AWS advises at least 2 ACUs with it, staging runs from 0.5",
    ],
    [
        /^differs: cloudwatch\/metricAlarm observability-[\w-]+ (alarmDescription|threshold|datapointsToAlarm|evaluationPeriods|metricQueries\[\]\.expression)$/,
        "looser alarm thresholds in staging (and connection limits of its instance size)",
    ],
    [
        /^differs: cloudwatch\/dashboard observability-dashboard dashboardBody\.widgets$/,
        "the dashboard shows the stack's own alarms and instances",
    ],
];

describe("environment parity: staging against production", function () {
    this.timeout(120_000);
    let lines: string[];
    before(async () => {
        lines = differenceLines(await diffStack("staging", { against: "production" }));
    });

    it("differs from production only as intended", () => {
        const unexpected = lines.filter((line) => !INTENDED.some(([pattern]) => pattern.test(line)));
        assert.deepEqual(unexpected, [], "differences not in the intended list");
    });

    it("every intended difference is still there (the list stays exact)", () => {
        for (const [pattern, why] of INTENDED)
            assert.ok(
                lines.some((line) => pattern.test(line)),
                `no longer differs: ${why} (${pattern})`,
            );
    });

    it("an unintended difference fails (wrong case)", async () => {
        const drifted = differenceLines(
            await diffStack("staging", { against: "production", overrides: ["dbPreferredBackupWindow=05:00-06:00"] }),
        );
        const unexpected = drifted.filter((line) => !INTENDED.some(([pattern]) => pattern.test(line)));
        assert.deepEqual(unexpected, ["differs: rds/cluster database-cluster preferredBackupWindow"]);
    });
});
