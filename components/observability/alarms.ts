import type * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as pulumi from "@pulumi/pulumi";

/**
 * The API's alarm definitions as plain data, and the helpers that turn them into
 * `aws.cloudwatch.MetricAlarm` args. The Observability component creates one alarm per
 * definition; tests read the definitions directly.
 *
 * `treatMissingData` follows one rule, stated per alarm:
 * - traffic-driven signals (error rates, latency, rejected connections, error lines):
 *   `notBreaching`, because no requests means nothing is failing;
 * - presence signals (healthy hosts, running tasks): `breaching`, because a target group
 *   or service that stops reporting is down;
 * - utilisation and database signals: `notBreaching`, because a gap is no evidence of
 *   load; the presence alarms above catch a component that stopped reporting.
 */

export type TreatMissingData = "missing" | "ignore" | "breaching" | "notBreaching";
export type Comparison =
    "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

export type Dimensions = Readonly<Record<string, pulumi.Input<string>>>;

/** A single metric the alarm watches. */
export interface AlarmMetric {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Dimensions;
    /** `Sum`, `Average`, `Minimum`, `Maximum`, or a percentile such as `p99`. */
    readonly stat: string;
}

/** A metric that feeds a math expression. */
export interface AlarmMathInput extends AlarmMetric {
    readonly id: string;
}

export interface AlarmDefinition {
    /** Suffix of the alarm's name (`<namePrefix>-<key>`); unique within the component. */
    readonly key: string;
    readonly description: string;
    /** Either `metric` or `math` is set. */
    readonly metric?: AlarmMetric;
    readonly math?: { readonly expression: string; readonly label: string; readonly inputs: readonly AlarmMathInput[] };
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
    readonly threshold: number;
    readonly comparison: Comparison;
    readonly treatMissingData: TreatMissingData;
    /** Part of the composite "API down" alarm. */
    readonly critical: boolean;
}

/** Dimension values: the names and ids of the resources the alarms watch. */
export interface AlarmTargets {
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    readonly ecsClusterName: pulumi.Input<string>;
    readonly ecsServiceName: pulumi.Input<string>;
    readonly dbClusterIdentifier: pulumi.Input<string>;
    readonly applicationMetricNamespace: string;
    readonly applicationErrorMetricName: string;
}

export interface AlarmThresholds {
    readonly evaluationPeriods: number;
    readonly http5xxRatePercent: number;
    readonly minRequestsPerMinuteForRate: number;
    readonly latencyP95ThresholdMs: number;
    readonly latencyP99ThresholdMs: number;
    readonly minHealthyHosts: number;
    readonly ecsCpuThresholdPercent: number;
    readonly ecsMemoryThresholdPercent: number;
    readonly dbCpuThresholdPercent: number;
    readonly dbConnectionsThresholdPercent: number;
    readonly dbMaxConnections: number;
    readonly dbReplicaLagThresholdMs: number;
    readonly dbFreeableMemoryThresholdMiB: number;
    readonly dbFreeLocalStorageThresholdMiB: number;
    readonly appErrorThresholdPer5Minutes: number;
}

const MINUTE = 60;
const MIB = 1024 * 1024;

/** Every alarm of the API, in dashboard order. */
export function apiAlarmDefinitions(t: AlarmTargets, th: AlarmThresholds): AlarmDefinition[] {
    const lb = { LoadBalancer: t.loadBalancerArnSuffix };
    const tg = { TargetGroup: t.targetGroupArnSuffix, LoadBalancer: t.loadBalancerArnSuffix };
    const svc = { ClusterName: t.ecsClusterName, ServiceName: t.ecsServiceName };
    const writer = { DBClusterIdentifier: t.dbClusterIdentifier, Role: "WRITER" };
    const reader = { DBClusterIdentifier: t.dbClusterIdentifier, Role: "READER" };
    const every = { periodSeconds: MINUTE, evaluationPeriods: th.evaluationPeriods };
    const elb = (metricName: string, dimensions: Dimensions, stat: string): AlarmMetric => ({
        namespace: "AWS/ApplicationELB",
        metricName,
        dimensions,
        stat,
    });
    const rate = (errors: string, dimensions: Dimensions) => ({
        // Below the request floor a single failure would read as a huge rate: report 0.
        expression: `IF(requests >= ${th.minRequestsPerMinuteForRate}, 100 * FILL(errors, 0) / requests, 0)`,
        label: "5xx % of requests",
        inputs: [
            { id: "errors", ...elb(errors, dimensions, "Sum") },
            { id: "requests", ...elb("RequestCount", dimensions, "Sum") },
        ],
    });
    const rds = (metricName: string, dimensions: Dimensions, stat: string): AlarmMetric => ({
        namespace: "AWS/RDS",
        metricName,
        dimensions,
        stat,
    });
    const bothRoles = (metricName: string, stat: string): AlarmMathInput[] => [
        { id: "writer", ...rds(metricName, writer, stat) },
        { id: "reader", ...rds(metricName, reader, stat) },
    ];

    return [
        {
            key: "target-5xx-rate",
            description: `API targets answered more than ${th.http5xxRatePercent}% of requests with 5xx.`,
            math: rate("HTTPCode_Target_5XX_Count", tg),
            ...every,
            threshold: th.http5xxRatePercent,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            critical: true,
        },
        {
            key: "elb-5xx-rate",
            description: `The load balancer itself answered more than ${th.http5xxRatePercent}% of requests with 5xx (no healthy target, timeouts).`,
            math: rate("HTTPCode_ELB_5XX_Count", lb),
            ...every,
            threshold: th.http5xxRatePercent,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            critical: true,
        },
        {
            key: "latency-p95",
            description: `p95 target response time above ${th.latencyP95ThresholdMs} ms.`,
            metric: elb("TargetResponseTime", tg, "p95"),
            ...every,
            threshold: th.latencyP95ThresholdMs / 1000,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            critical: false,
        },
        {
            key: "latency-p99",
            description: `p99 target response time above ${th.latencyP99ThresholdMs} ms.`,
            metric: elb("TargetResponseTime", tg, "p99"),
            ...every,
            threshold: th.latencyP99ThresholdMs / 1000,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            critical: false,
        },
        {
            key: "unhealthy-hosts",
            description: "At least one API target fails its load balancer health check.",
            metric: elb("UnHealthyHostCount", tg, "Maximum"),
            ...every,
            threshold: 0,
            comparison: "GreaterThanThreshold",
            // The healthy-hosts alarm covers a target group that stops reporting.
            treatMissingData: "notBreaching",
            critical: false,
        },
        {
            key: "healthy-hosts-low",
            description: `Fewer than ${th.minHealthyHosts} healthy API targets (the service's minimum).`,
            metric: elb("HealthyHostCount", tg, "Minimum"),
            ...every,
            threshold: th.minHealthyHosts,
            comparison: "LessThanThreshold",
            treatMissingData: "breaching",
            critical: true,
        },
        {
            key: "rejected-connections",
            description: "The load balancer rejected connections: it reached its connection limit.",
            metric: elb("RejectedConnectionCount", lb, "Sum"),
            ...every,
            threshold: 0,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            critical: false,
        },
        {
            key: "ecs-cpu-high",
            description: `API service CPU above ${th.ecsCpuThresholdPercent}% of its reservation.`,
            metric: { namespace: "AWS/ECS", metricName: "CPUUtilization", dimensions: svc, stat: "Average" },
            ...every,
            threshold: th.ecsCpuThresholdPercent,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            critical: false,
        },
        {
            key: "ecs-memory-high",
            description: `API service memory above ${th.ecsMemoryThresholdPercent}% of its reservation.`,
            metric: { namespace: "AWS/ECS", metricName: "MemoryUtilization", dimensions: svc, stat: "Average" },
            ...every,
            threshold: th.ecsMemoryThresholdPercent,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            critical: false,
        },
        {
            key: "ecs-running-tasks-low",
            description: "Fewer API tasks running than the service wants (Container Insights).",
            math: {
                expression: "desired - running",
                label: "Tasks missing",
                inputs: [
                    {
                        id: "desired",
                        namespace: "ECS/ContainerInsights",
                        metricName: "DesiredTaskCount",
                        dimensions: svc,
                        stat: "Maximum",
                    },
                    {
                        id: "running",
                        namespace: "ECS/ContainerInsights",
                        metricName: "RunningTaskCount",
                        dimensions: svc,
                        stat: "Minimum",
                    },
                ],
            },
            ...every,
            threshold: 0,
            comparison: "GreaterThanThreshold",
            // No task counts at all means the service (or Container Insights) is gone.
            treatMissingData: "breaching",
            critical: false,
        },
        {
            key: "db-writer-cpu-high",
            description: `Aurora writer CPU above ${th.dbCpuThresholdPercent}% (follows the writer across failovers).`,
            metric: rds("CPUUtilization", writer, "Average"),
            ...every,
            threshold: th.dbCpuThresholdPercent,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            critical: false,
        },
        {
            key: "db-freeable-memory-low",
            description: `An Aurora instance has less than ${th.dbFreeableMemoryThresholdMiB} MiB of freeable memory.`,
            math: {
                expression: `MIN([writer, reader]) / ${MIB}`,
                label: "Lowest freeable memory (MiB)",
                inputs: bothRoles("FreeableMemory", "Minimum"),
            },
            ...every,
            threshold: th.dbFreeableMemoryThresholdMiB,
            comparison: "LessThanThreshold",
            treatMissingData: "notBreaching",
            critical: false,
        },
        {
            key: "db-connections-high",
            description: `An Aurora instance uses more than ${th.dbConnectionsThresholdPercent}% of its ${th.dbMaxConnections} connections.`,
            math: {
                expression: `100 * MAX([writer, reader]) / ${th.dbMaxConnections}`,
                label: "Connections (% of max_connections)",
                inputs: bothRoles("DatabaseConnections", "Maximum"),
            },
            ...every,
            threshold: th.dbConnectionsThresholdPercent,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            critical: false,
        },
        {
            key: "db-replica-lag-high",
            description: `Aurora replica lag above ${th.dbReplicaLagThresholdMs} ms.`,
            metric: rds("AuroraReplicaLag", reader, "Maximum"),
            ...every,
            threshold: th.dbReplicaLagThresholdMs,
            comparison: "GreaterThanThreshold",
            // A cluster without readers reports no lag.
            treatMissingData: "notBreaching",
            critical: false,
        },
        {
            key: "db-free-local-storage-low",
            description: `An Aurora instance has less than ${th.dbFreeLocalStorageThresholdMiB} MiB of local (temporary) storage.`,
            math: {
                expression: `MIN([writer, reader]) / ${MIB}`,
                label: "Lowest free local storage (MiB)",
                inputs: bothRoles("FreeLocalStorage", "Minimum"),
            },
            ...every,
            threshold: th.dbFreeLocalStorageThresholdMiB,
            comparison: "LessThanThreshold",
            treatMissingData: "notBreaching",
            critical: false,
        },
        {
            key: "db-deadlocks",
            description: "Deadlocks on the Aurora writer in every evaluated minute.",
            metric: rds("Deadlocks", writer, "Maximum"),
            ...every,
            threshold: 0,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            critical: false,
        },
        {
            key: "app-errors",
            description: `More than ${th.appErrorThresholdPer5Minutes} ERROR lines in the API's log in 5 minutes.`,
            metric: {
                namespace: t.applicationMetricNamespace,
                metricName: t.applicationErrorMetricName,
                dimensions: {},
                stat: "Sum",
            },
            periodSeconds: 5 * MINUTE,
            evaluationPeriods: 1,
            threshold: th.appErrorThresholdPer5Minutes,
            comparison: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            critical: false,
        },
    ];
}

const PERCENTILE = /^p\d{1,2}(\.\d+)?$/;

/** Turns a definition into MetricAlarm args, with alarm and OK actions on `topicArn`. */
export function metricAlarmArgs(
    definition: AlarmDefinition,
    alarmName: string,
    topicArn: pulumi.Input<string>,
): cloudwatch.MetricAlarmArgs {
    const common: cloudwatch.MetricAlarmArgs = {
        name: alarmName,
        alarmDescription: definition.description,
        comparisonOperator: definition.comparison,
        threshold: definition.threshold,
        evaluationPeriods: definition.evaluationPeriods,
        datapointsToAlarm: definition.evaluationPeriods,
        treatMissingData: definition.treatMissingData,
        actionsEnabled: true,
        alarmActions: [topicArn],
        okActions: [topicArn],
    };
    if (definition.math) {
        return {
            ...common,
            metricQueries: [
                ...definition.math.inputs.map((input) => ({
                    id: input.id,
                    returnData: false,
                    metric: {
                        namespace: input.namespace,
                        metricName: input.metricName,
                        dimensions: input.dimensions,
                        stat: input.stat,
                        period: definition.periodSeconds,
                    },
                })),
                {
                    id: "result",
                    expression: definition.math.expression,
                    label: definition.math.label,
                    returnData: true,
                },
            ],
        };
    }
    const m = definition.metric;
    if (!m) throw new Error(`alarm ${definition.key} has neither a metric nor a math expression`);
    const percentile = PERCENTILE.test(m.stat);
    return {
        ...common,
        namespace: m.namespace,
        metricName: m.metricName,
        dimensions: Object.keys(m.dimensions).length > 0 ? m.dimensions : undefined,
        period: definition.periodSeconds,
        ...(percentile ? { extendedStatistic: m.stat, evaluateLowSampleCountPercentiles: "ignore" } : {}),
        ...(percentile ? {} : { statistic: m.stat }),
    };
}

/** The composite rule: in alarm when any of the named alarms is. */
export function anyAlarmRule(alarmNames: readonly string[]): string {
    return alarmNames.map((name) => `ALARM(${JSON.stringify(name)})`).join(" OR ");
}

/**
 * The default `max_connections` of Aurora PostgreSQL: LEAST(DBInstanceClassMemory/9531392,
 * 5000), with memory taken from the instance class or, for Serverless v2, from the maximum
 * capacity (2 GiB per ACU; capped at 2000 when the minimum is 0.5 ACU or less). An estimate
 * for the connections alarm; a parameter group that sets `max_connections` overrides it.
 */
export function auroraPostgresMaxConnections(
    instanceClass: string,
    serverless: { readonly minAcu: number; readonly maxAcu: number } = { minAcu: 0.5, maxAcu: 1 },
): number {
    const fromMemory = (gib: number) => Math.min(Math.floor((gib * 1e9) / 9531392), 5000);
    if (instanceClass === "db.serverless") {
        const connections = fromMemory(serverless.maxAcu * 2);
        return serverless.minAcu <= 0.5 ? Math.min(connections, 2000) : connections;
    }
    const gib = instanceMemoryGiB(instanceClass);
    if (gib === undefined) throw new Error(`unknown Aurora instance class ${JSON.stringify(instanceClass)}`);
    return fromMemory(gib);
}

const SIZE_FACTOR: Readonly<Record<string, number>> = {
    large: 1,
    xlarge: 2,
    "2xlarge": 4,
    "4xlarge": 8,
    "8xlarge": 16,
    "12xlarge": 24,
    "16xlarge": 32,
    "24xlarge": 48,
    "32xlarge": 64,
    "48xlarge": 96,
};

/** Memory (GiB) of the instance classes Aurora PostgreSQL offers. */
function instanceMemoryGiB(instanceClass: string): number | undefined {
    const fixed: Readonly<Record<string, number>> = {
        "db.t3.medium": 4,
        "db.t4g.medium": 4,
        "db.t4g.large": 8,
    };
    if (fixed[instanceClass] !== undefined) return fixed[instanceClass];
    const match = /^db\.(r5|r6g|r6gd|r6i|r7g|r7i|r8g|x2g)\.([0-9]*x?large)$/.exec(instanceClass);
    const factor = match ? SIZE_FACTOR[match[2]] : undefined;
    if (!match || factor === undefined) return undefined;
    // Memory-optimised classes have 16 GiB per `large`; x2g has 32.
    return (match[1] === "x2g" ? 32 : 16) * factor;
}
