import type { RecordedResource } from "../sim/runStack";
import type { Pricing, PricingContext } from "./model";
import { forResource, Usage } from "./usage";

type Pricer = (r: RecordedResource, ctx: PricingContext, usage: Usage) => Pricing;

const num = (v: unknown, fallback = 0): number => (v === undefined || v === null ? fallback : Number(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const GB_PER_KB = 1 / (1024 * 1024);

/** vCPUs of the Aurora instance classes the price table covers (RDS User Guide, "DB instance classes"). */
export const INSTANCE_VCPUS: Readonly<Record<string, number>> = {
    "db.r6g.large": 2,
    "db.r6g.xlarge": 4,
    "db.r7g.large": 2,
    "db.t4g.medium": 2,
};

/** Task count split over capacity providers: `base` first, the rest by weight (ECS capacity provider strategy). */
export function splitTasks(
    count: number,
    strategies: readonly { capacityProvider?: string; base?: number; weight?: number }[],
) {
    if (strategies.length === 0) return { onDemand: count, spot: 0 };
    let onDemand = 0;
    let spot = 0;
    let left = count;
    for (const s of strategies) {
        const base = Math.min(num(s.base), left);
        if (s.capacityProvider === "FARGATE_SPOT") spot += base;
        else onDemand += base;
        left -= base;
    }
    const weights = strategies.reduce((sum, s) => sum + num(s.weight), 0);
    for (const s of strategies) {
        const share = weights > 0 ? (left * num(s.weight)) / weights : 0;
        if (s.capacityProvider === "FARGATE_SPOT") spot += share;
        else onDemand += share;
    }
    return { onDemand, spot };
}

function taskSize(def: RecordedResource) {
    return { vcpu: num(def.inputs.cpu) / 1024, gb: num(def.inputs.memory) / 1024 };
}

const fargate: Pricer = (service, ctx) => {
    const def = ctx.resources.find(
        (r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && r.state.arn === service.inputs.taskDefinition,
    );
    if (!def) return { unpriced: "its task definition is not among the stack's resources" };
    const { vcpu, gb } = taskSize(def);
    const split = splitTasks(num(service.inputs.desiredCount), list(service.inputs.capacityProviderStrategies) as []);
    const h = ctx.hoursPerMonth;
    const lines = [
        ctx.line(
            `${split.onDemand} on-demand tasks x ${vcpu} vCPU`,
            split.onDemand * vcpu * h,
            "fargate.vcpuHour",
            "fixed",
        ),
        ctx.line(`${split.onDemand} on-demand tasks x ${gb} GB`, split.onDemand * gb * h, "fargate.gbHour", "fixed"),
    ];
    if (split.spot > 0)
        lines.push(
            ctx.line(`${split.spot} Spot tasks x ${vcpu} vCPU`, split.spot * vcpu * h, "fargateSpot.vcpuHour", "fixed"),
            ctx.line(`${split.spot} Spot tasks x ${gb} GB`, split.spot * gb * h, "fargateSpot.gbHour", "fixed"),
        );
    return lines;
};

const taskDefinition: Pricer = (def, ctx, usage) => {
    const arn = def.state.arn;
    if (ctx.resources.some((r) => r.type === "aws:ecs/service:Service" && r.inputs.taskDefinition === arn))
        return { free: "its tasks are priced with the service that runs them" };
    const { vcpu, gb } = taskSize(def);
    const hours = usage.migrationTaskHoursPerMonth;
    const assumption = `migrationTaskHoursPerMonth=${hours}`;
    return [
        ctx.line(`one-off task x ${vcpu} vCPU`, hours * vcpu, "fargate.vcpuHour", "usage", assumption),
        ctx.line(`one-off task x ${gb} GB`, hours * gb, "fargate.gbHour", "usage", assumption),
    ];
};

const loadBalancer: Pricer = (lb, ctx, usage) => {
    const h = ctx.hoursPerMonth;
    const lines = [ctx.line("load balancer-hours", h, "alb.hour", "fixed")];
    const zones = list(lb.inputs.subnets).length || list(lb.inputs.subnetMappings).length;
    if (lb.inputs.internal !== true)
        lines.push(ctx.line(`${zones} public IPv4 addresses (one per AZ)`, zones * h, "publicIpv4.hour", "fixed"));
    // LCU: the largest dimension; processed bytes (1 GB/h) and new connections (25/s, one per request) modelled.
    const responseGb = usage.requestsPerMonth * usage.averageResponseKb * GB_PER_KB;
    const bytesLcu = (responseGb + usage.uploadGbPerMonth) / h;
    const connLcu = usage.requestsPerMonth / (h * 3600) / 25;
    const assumption = `requestsPerMonth=${usage.requestsPerMonth}, averageResponseKb=${usage.averageResponseKb}, uploadGbPerMonth=${usage.uploadGbPerMonth}`;
    lines.push(
        ctx.line(
            "LCU-hours (max of bytes and new connections)",
            Math.max(bytesLcu, connLcu) * h,
            "alb.lcuHour",
            "usage",
            assumption,
        ),
    );
    lines.push(ctx.line("responses to the internet, GB", responseGb, "dataTransfer.internetGb", "usage", assumption));
    return lines;
};

const clusterInstance: Pricer = (inst, ctx, usage) => {
    const cls = String(inst.inputs.instanceClass);
    const h = ctx.hoursPerMonth;
    if (cls === "db.serverless") {
        const cluster = ctx.resources.find((r) => r.type === "aws:rds/cluster:Cluster");
        const scaling = (cluster?.inputs.serverlessv2ScalingConfiguration ?? {}) as {
            minCapacity?: number;
            maxCapacity?: number;
        };
        const acu = Math.min(
            Math.max(usage.dbServerlessAverageAcu, num(scaling.minCapacity)),
            num(scaling.maxCapacity, Infinity),
        );
        return [
            ctx.line(
                `${acu} ACU on average`,
                acu * h,
                "aurora.acuHour",
                "usage",
                `dbServerlessAverageAcu=${usage.dbServerlessAverageAcu} (within the cluster's min-max ACUs)`,
            ),
        ];
    }
    return [ctx.line(`${cls} instance-hours`, h, `aurora.instanceHour.${cls}`, "fixed")];
};

const cluster: Pricer = (c, ctx, usage) => {
    const lines = [
        ctx.line(
            "storage, GB-month",
            usage.dbStorageGb,
            "aurora.storageGbMonth",
            "usage",
            `dbStorageGb=${usage.dbStorageGb}`,
        ),
        ctx.line(
            "I/O, millions",
            usage.dbIoMillionsPerMonth,
            "aurora.ioMillion",
            "usage",
            `dbIoMillionsPerMonth=${usage.dbIoMillionsPerMonth}`,
        ),
        ctx.line(
            "backup storage beyond the free amount, GB-month",
            usage.dbBackupGb,
            "aurora.backupGbMonth",
            "usage",
            `dbBackupGb=${usage.dbBackupGb}`,
        ),
    ];
    // manageMasterUserPassword: RDS keeps the master password in a Secrets Manager secret it owns.
    if (c.inputs.manageMasterUserPassword === true)
        lines.push(
            ctx.line("managed master-user secret", 1, "secretsManager.secretMonth", "fixed"),
            ctx.line(
                "secret API calls, 10,000s",
                usage.secretsApiCallsPerMonth / 10_000,
                "secretsManager.api10k",
                "usage",
                `secretsApiCallsPerMonth=${usage.secretsApiCallsPerMonth}`,
            ),
        );
    return lines;
};

const proxy: Pricer = (_p, ctx, usage) => {
    const instances = ctx.resources.filter((r) => r.type === "aws:rds/clusterInstance:ClusterInstance");
    const h = ctx.hoursPerMonth;
    if (instances.every((i) => i.inputs.instanceClass === "db.serverless")) {
        const acu = Math.max(8, instances.length * usage.dbServerlessAverageAcu);
        return [
            ctx.line(
                `${acu} ACUs behind the proxy (minimum 8)`,
                acu * h,
                "rdsProxy.acuHour",
                "usage",
                `dbServerlessAverageAcu=${usage.dbServerlessAverageAcu}`,
            ),
        ];
    }
    const unknown = instances.filter((i) => INSTANCE_VCPUS[String(i.inputs.instanceClass)] === undefined);
    if (unknown.length > 0)
        return { unpriced: `vCPUs of ${String(unknown[0].inputs.instanceClass)} not in INSTANCE_VCPUS` };
    const vcpus = instances.reduce((sum, i) => sum + INSTANCE_VCPUS[String(i.inputs.instanceClass)], 0);
    return [ctx.line(`${vcpus} vCPUs behind the proxy`, vcpus * h, "rdsProxy.vcpuHour", "fixed")];
};

const kmsKey: Pricer = (_k, ctx, usage) => {
    const rotations = Math.min(2, Math.floor(usage.kmsKeyAgeYears));
    const lines = [
        ctx.line("key-month", 1, "kms.keyMonth", "fixed"),
        ctx.line(
            "requests, 10,000s",
            usage.kmsRequestsPerKeyPerMonth / 10_000,
            "kms.requests10k",
            "usage",
            `kmsRequestsPerKeyPerMonth=${usage.kmsRequestsPerKeyPerMonth}`,
        ),
    ];
    if (rotations > 0)
        lines.push(
            ctx.line(
                `${rotations} rotated key versions`,
                rotations,
                "kms.rotatedVersionMonth",
                "usage",
                `kmsKeyAgeYears=${usage.kmsKeyAgeYears}`,
            ),
        );
    return lines;
};

const logGroup: Pricer = (g, ctx, usage) => {
    const perDay = forResource(usage.logGbPerDay, g.name);
    // CloudWatch keeps logs forever without a retention setting: count a year then.
    const retention = num(g.inputs.retentionInDays) || 365;
    const assumption = `logGbPerDay[${g.name}]=${perDay}, retention ${retention} days`;
    return [
        ctx.line("ingested, GB", perDay * 30.4, "cloudwatch.logsIngestGb", "usage", assumption),
        // Steady state: the retention window of logs, counted uncompressed (CloudWatch bills compressed: an upper bound).
        ctx.line("stored, GB-month", perDay * retention, "cloudwatch.logsStorageGbMonth", "usage", assumption),
    ];
};

const metricAlarm: Pricer = (a, ctx) => {
    const metrics =
        list(a.inputs.metricQueries).filter((q) => (q as { metric?: unknown }).metric !== undefined).length || 1;
    return [ctx.line(`${metrics} alarm metric(s)`, metrics, "cloudwatch.alarmMetricMonth", "fixed")];
};

const bucket: Pricer = (b, ctx, usage) => {
    const n = b.name;
    const lines = [
        ctx.line(
            "S3 Standard, GB-month",
            forResource(usage.s3StandardGb, n),
            "s3.standardGbMonth",
            "usage",
            `s3StandardGb[${n}]`,
        ),
        ctx.line(
            "S3 Standard-IA, GB-month",
            forResource(usage.s3StandardIaGb, n),
            "s3.standardIaGbMonth",
            "usage",
            `s3StandardIaGb[${n}]`,
        ),
        ctx.line(
            "S3 Glacier, GB-month",
            forResource(usage.s3GlacierGb, n),
            "s3.glacierGbMonth",
            "usage",
            `s3GlacierGb[${n}]`,
        ),
        ctx.line(
            "GET requests, 1,000s",
            forResource(usage.s3GetRequestsPerMonth, n) / 1000,
            "s3.get1k",
            "usage",
            `s3GetRequestsPerMonth[${n}]`,
        ),
        ctx.line(
            "PUT requests, 1,000s",
            forResource(usage.s3PutRequestsPerMonth, n) / 1000,
            "s3.put1k",
            "usage",
            `s3PutRequestsPerMonth[${n}]`,
        ),
    ];
    return lines;
};

const replication: Pricer = (_r, ctx, usage) => [
    ctx.line(
        "replicated to the DR Region, GB",
        usage.uploadGbPerMonth,
        "s3.replicationGb",
        "usage",
        `uploadGbPerMonth=${usage.uploadGbPerMonth}`,
    ),
    ctx.line(
        "replication PUT requests, 1,000s",
        (usage.uploadGbPerMonth * 1024) / usage.averageUploadMb / 1000,
        "s3.put1k",
        "usage",
        `uploadGbPerMonth=${usage.uploadGbPerMonth}, averageUploadMb=${usage.averageUploadMb}`,
    ),
];

const vpcEndpoint: Pricer = (e, ctx, usage) => {
    if (e.inputs.vpcEndpointType !== "Interface") return { free: "gateway endpoints have no charge" };
    const zones = list(e.inputs.subnetIds).length;
    const interfaces = ctx.resources.filter(
        (r) => r.type === e.type && r.inputs.vpcEndpointType === "Interface",
    ).length;
    return [
        ctx.line(`${zones} AZs x endpoint-hours`, zones * ctx.hoursPerMonth, "vpcEndpoint.interfaceHour", "fixed"),
        ctx.line(
            "processed, GB (an equal share)",
            usage.interfaceEndpointGbPerMonth / interfaces,
            "vpcEndpoint.gb",
            "usage",
            `interfaceEndpointGbPerMonth=${usage.interfaceEndpointGbPerMonth}`,
        ),
    ];
};

const natGateway: Pricer = (n, ctx, usage) => {
    const gateways = ctx.resources.filter((r) => r.type === n.type).length;
    return [
        ctx.line("NAT gateway-hours", ctx.hoursPerMonth, "natGateway.hour", "fixed"),
        ctx.line(
            "processed, GB (an equal share)",
            usage.natGbPerMonth / gateways,
            "natGateway.gb",
            "usage",
            `natGbPerMonth=${usage.natGbPerMonth}`,
        ),
    ];
};

const webAcl: Pricer = (w, ctx, usage) => [
    ctx.line("web ACL-month", 1, "waf.aclMonth", "fixed"),
    ctx.line(`${list(w.inputs.rules).length} rules`, list(w.inputs.rules).length, "waf.ruleMonth", "fixed"),
    ctx.line(
        "requests inspected, millions",
        usage.requestsPerMonth / 1e6,
        "waf.requestsMillion",
        "usage",
        `requestsPerMonth=${usage.requestsPerMonth}`,
    ),
];

const samplingRule: Pricer = (s, ctx, usage) => {
    // The reservoir traces the first `reservoirSize` requests each second, then `fixedRate` of the rest.
    const seconds = ctx.hoursPerMonth * 3600;
    const reservoir = Math.min(usage.requestsPerMonth, num(s.inputs.reservoirSize) * seconds);
    const traces = reservoir + num(s.inputs.fixedRate) * (usage.requestsPerMonth - reservoir);
    const billable = Math.max(0, traces - 100_000);
    return [
        ctx.line(
            "traces recorded beyond the free 100,000, millions",
            billable / 1e6,
            "xray.tracesMillion",
            "usage",
            `requestsPerMonth=${usage.requestsPerMonth}`,
        ),
    ];
};

const route53Record: Pricer = (rec, ctx, usage) => {
    if (list(rec.inputs.aliases).length > 0) return { free: "queries to alias records of AWS resources are free" };
    const records = ctx.resources.filter((r) => r.type === rec.type && list(r.inputs.aliases).length === 0).length;
    return [
        ctx.line(
            "queries, millions (an equal share)",
            usage.route53QueriesPerMonth / records / 1e6,
            "route53.queriesMillion",
            "usage",
            `route53QueriesPerMonth=${usage.route53QueriesPerMonth}`,
        ),
    ];
};

const backupVault: Pricer = (_v, ctx, usage) => [
    ctx.line(
        "recovery points, GB-month",
        usage.awsBackupGb,
        "backup.auroraGbMonth",
        "usage",
        `awsBackupGb=${usage.awsBackupGb}`,
    ),
];

const backupPlan: Pricer = (p, ctx, usage) => {
    const rules = list(p.state.rules ?? p.inputs.rules) as { copyActions?: unknown[] }[];
    if (!rules.some((r) => list(r?.copyActions).length > 0))
        return { free: "a plan without copy actions has no charge of its own" };
    return [
        ctx.line(
            "copied to the DR Region, GB",
            usage.backupCopyGbPerMonth,
            "backup.crossRegionCopyGb",
            "usage",
            `backupCopyGbPerMonth=${usage.backupCopyGbPerMonth}`,
        ),
    ];
};

const fixed =
    (item: string, key: string): Pricer =>
    (_r, ctx) => [ctx.line(item, 1, key, "fixed")];

/** Resource types with a price model. */
export const PRICERS: Readonly<Record<string, Pricer>> = {
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": (_e, ctx) => [
        ctx.line("public IPv4 address-hours", ctx.hoursPerMonth, "publicIpv4.hour", "fixed"),
    ],
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:ecs/service:Service": fargate,
    "aws:ecs/taskDefinition:TaskDefinition": taskDefinition,
    "aws:rds/cluster:Cluster": cluster,
    "aws:rds/clusterInstance:ClusterInstance": clusterInstance,
    "aws:rds/proxy:Proxy": proxy,
    "aws:kms/key:Key": kmsKey,
    "aws:secretsmanager/secret:Secret": (_s, ctx, usage) => [
        ctx.line("secret-month", 1, "secretsManager.secretMonth", "fixed"),
        ctx.line(
            "API calls, 10,000s",
            usage.secretsApiCallsPerMonth / 10_000,
            "secretsManager.api10k",
            "usage",
            `secretsApiCallsPerMonth=${usage.secretsApiCallsPerMonth}`,
        ),
    ],
    "aws:cloudwatch/metricAlarm:MetricAlarm": metricAlarm,
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": fixed("composite alarm-month", "cloudwatch.compositeAlarmMonth"),
    "aws:cloudwatch/dashboard:Dashboard": fixed("dashboard-month", "cloudwatch.dashboardMonth"),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": fixed("custom metric-month", "cloudwatch.customMetricMonth"),
    "aws:cloudwatch/logGroup:LogGroup": logGroup,
    "aws:wafv2/webAcl:WebAcl": webAcl,
    "aws:s3/bucket:Bucket": bucket,
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": replication,
    "aws:route53/zone:Zone": fixed("hosted zone-month", "route53.hostedZoneMonth"),
    "aws:route53/record:Record": route53Record,
    "aws:backup/vault:Vault": backupVault,
    "aws:backup/plan:Plan": backupPlan,
    "aws:ecr/repository:Repository": (_r, ctx, usage) => [
        ctx.line(
            "image storage, GB-month",
            usage.ecrStorageGb,
            "ecr.storageGbMonth",
            "usage",
            `ecrStorageGb=${usage.ecrStorageGb}`,
        ),
    ],
    "aws:xray/samplingRule:SamplingRule": samplingRule,
};

/** Resource types AWS does not charge for by themselves, with why. */
export const FREE_TYPES: Readonly<Record<string, string>> = {
    "aws:iam/role:Role": "IAM has no charge",
    "aws:iam/rolePolicy:RolePolicy": "IAM has no charge",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "IAM has no charge",
    "aws:iam/policy:Policy": "IAM has no charge",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "IAM has no charge",
    "aws:ec2/vpc:Vpc": "a VPC has no charge",
    "aws:ec2/subnet:Subnet": "subnets have no charge",
    "aws:ec2/routeTable:RouteTable": "route tables have no charge",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "route tables have no charge",
    "aws:ec2/route:Route": "routes have no charge",
    "aws:ec2/internetGateway:InternetGateway":
        "an internet gateway has no charge (data transfer is priced on the load balancer)",
    "aws:ec2/securityGroup:SecurityGroup": "security groups have no charge",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "security groups have no charge",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "security groups have no charge",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "security groups have no charge",
    "aws:ec2/flowLog:FlowLog": "priced as ingestion into its log group",
    "aws:kms/alias:Alias": "aliases have no charge",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "priced with the bucket",
    "aws:s3/bucketLogging:BucketLogging": "priced as storage of the log bucket",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "bucket settings have no charge",
    "aws:s3/bucketPolicy:BucketPolicy": "bucket settings have no charge",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "bucket settings have no charge",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
        "KMS requests are priced on the key",
    "aws:s3/bucketVersioning:BucketVersioning": "noncurrent versions are part of the bucket's stored GB",
    "aws:rds/subnetGroup:SubnetGroup": "no charge",
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": "no charge",
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": "priced with the proxy",
    "aws:rds/proxyTarget:ProxyTarget": "priced with the proxy",
    "aws:ecs/cluster:Cluster": "ECS has no charge of its own (Fargate is priced on the service)",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": "no charge",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": "no charge",
    "aws:lb/listener:Listener": "priced with the load balancer (LCUs)",
    "aws:lb/targetGroup:TargetGroup": "priced with the load balancer (LCUs)",
    "aws:appautoscaling/target:Target": "Application Auto Scaling has no charge",
    "aws:appautoscaling/policy:Policy": "Application Auto Scaling has no charge (its alarms are AWS-managed)",
    "aws:cloudwatch/eventRule:EventRule": "events from AWS services on the default bus are free",
    "aws:cloudwatch/eventTarget:EventTarget": "events from AWS services on the default bus are free",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "no charge",
    "aws:sns/topic:Topic": "alarm notifications stay within SNS's free tier (1,000 emails a month)",
    "aws:sns/topicPolicy:TopicPolicy": "no charge",
    "aws:sns/topicSubscription:TopicSubscription": "no charge",
    "aws:backup/selection:Selection": "priced on the vault and plan",
    "aws:acm/certificate:Certificate": "public ACM certificates are free",
    "aws:acm/certificateValidation:CertificateValidation": "no charge",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "priced with the web ACL",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "priced as ingestion into its log group",
    "random:index/randomId:RandomId": "not a cloud resource",
};
