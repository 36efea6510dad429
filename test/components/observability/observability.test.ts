import * as assert from "node:assert/strict";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ecs from "@pulumi/aws/ecs";
import * as lb from "@pulumi/aws/lb";
import * as rds from "@pulumi/aws/rds";
import { Observability, ObservabilityArgs } from "../../../components/observability";
import { parseStackConfig } from "../../../config";
import { observabilityArgs } from "../../../lib/stackArgs";
import { ofType, RecordedResource, settingsFor, simulate, StackRun } from "../../../tools/sim";
import { keyPolicyAllowsLogs, logGroupProblems } from "../../support/stackChecks";

/** Names in the shape the other components' resources have under simulated AWS. */
const LB = "app/migration-api-alb-1a2b3c4/0123456789abcdef";
const TG = "targetgroup/migration-api-tg-5d6e7f8/fedcba9876543210";
const CLUSTER = "migration-api-cluster-9a8b7c6";
const SERVICE = "migration-api-api-1f2e3d4";
const LOG_GROUP = "/ecs/migration-api-staging/api";
const DB = "migration-api-staging-db";

const baseArgs: ObservabilityArgs = {
    loadBalancerArnSuffix: LB,
    targetGroupArnSuffix: TG,
    ecsClusterName: CLUSTER,
    ecsServiceName: SERVICE,
    apiLogGroupName: LOG_GROUP,
    dbClusterIdentifier: DB,
    dbMaxConnections: 839,
    minHealthyHosts: 2,
    monthlyBudgetUsd: 300,
    alarmEmails: ["platform-staging-alerts@example.com", "dev-lead@example.com"],
};

async function build(
    args: Partial<ObservabilityArgs> = {},
    stack: "staging" | "production" = "staging",
): Promise<{ run: StackRun; outputs: Record<string, unknown> }> {
    const run = await simulate(settingsFor(stack), () => {
        const obs = new Observability("obs", { ...baseArgs, ...args });
        return {
            dashboardUrl: obs.dashboardUrl,
            dashboardName: obs.dashboardName,
            alarmTopicArn: obs.alarmTopicArn,
            apiDownAlarmName: obs.apiDownAlarmName,
            alarmNames: obs.alarmNames,
            applicationErrorMetric: obs.applicationErrorMetric,
            samplingRuleName: obs.samplingRuleName,
            budgetName: obs.budgetName,
            alarmHistoryLogGroupName: obs.alarmHistoryLogGroupName,
        };
    });
    return { run, outputs: run.outputs };
}

const one = (run: StackRun, type: string): RecordedResource => {
    const found = ofType(run, type);
    assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
    return found[0];
};

const alarmsByName = (run: StackRun): Map<string, RecordedResource> =>
    new Map(ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => [String(r.inputs.name), r]));

interface Query {
    id: string;
    expression?: string;
    returnData?: boolean;
    metric?: {
        namespace: string;
        metricName: string;
        dimensions: Record<string, string>;
        stat: string;
        period: number;
    };
}

/** Every expected metric alarm: what it watches and how it fires (staging defaults of the component). */
const EXPECTED: Record<
    string,
    {
        namespace: string;
        metrics: string[];
        dimensions: Record<string, string>;
        stat: string;
        threshold: number;
        comparison: string;
        missing: string;
    }
> = {
    "target-5xx-rate": {
        namespace: "AWS/ApplicationELB",
        metrics: ["HTTPCode_Target_5XX_Count", "RequestCount"],
        dimensions: { TargetGroup: TG, LoadBalancer: LB },
        stat: "Sum",
        threshold: 1,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
    "elb-5xx-rate": {
        namespace: "AWS/ApplicationELB",
        metrics: ["HTTPCode_ELB_5XX_Count", "RequestCount"],
        dimensions: { LoadBalancer: LB },
        stat: "Sum",
        threshold: 1,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
    "latency-p95": {
        namespace: "AWS/ApplicationELB",
        metrics: ["TargetResponseTime"],
        dimensions: { TargetGroup: TG, LoadBalancer: LB },
        stat: "p95",
        threshold: 1,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
    "latency-p99": {
        namespace: "AWS/ApplicationELB",
        metrics: ["TargetResponseTime"],
        dimensions: { TargetGroup: TG, LoadBalancer: LB },
        stat: "p99",
        threshold: 3,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
    "unhealthy-hosts": {
        namespace: "AWS/ApplicationELB",
        metrics: ["UnHealthyHostCount"],
        dimensions: { TargetGroup: TG, LoadBalancer: LB },
        stat: "Maximum",
        threshold: 0,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
    "healthy-hosts-low": {
        namespace: "AWS/ApplicationELB",
        metrics: ["HealthyHostCount"],
        dimensions: { TargetGroup: TG, LoadBalancer: LB },
        stat: "Minimum",
        threshold: 2,
        comparison: "LessThanThreshold",
        missing: "breaching",
    },
    "rejected-connections": {
        namespace: "AWS/ApplicationELB",
        metrics: ["RejectedConnectionCount"],
        dimensions: { LoadBalancer: LB },
        stat: "Sum",
        threshold: 0,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
    "ecs-cpu-high": {
        namespace: "AWS/ECS",
        metrics: ["CPUUtilization"],
        dimensions: { ClusterName: CLUSTER, ServiceName: SERVICE },
        stat: "Average",
        threshold: 80,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
    "ecs-memory-high": {
        namespace: "AWS/ECS",
        metrics: ["MemoryUtilization"],
        dimensions: { ClusterName: CLUSTER, ServiceName: SERVICE },
        stat: "Average",
        threshold: 80,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
    "ecs-running-tasks-low": {
        namespace: "ECS/ContainerInsights",
        metrics: ["DesiredTaskCount", "RunningTaskCount"],
        dimensions: { ClusterName: CLUSTER, ServiceName: SERVICE },
        stat: "Maximum",
        threshold: 0,
        comparison: "GreaterThanThreshold",
        missing: "breaching",
    },
    "db-writer-cpu-high": {
        namespace: "AWS/RDS",
        metrics: ["CPUUtilization"],
        dimensions: { DBClusterIdentifier: DB, Role: "WRITER" },
        stat: "Average",
        threshold: 80,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
    "db-freeable-memory-low": {
        namespace: "AWS/RDS",
        metrics: ["FreeableMemory", "FreeableMemory"],
        dimensions: { DBClusterIdentifier: DB, Role: "WRITER" },
        stat: "Minimum",
        threshold: 1024,
        comparison: "LessThanThreshold",
        missing: "notBreaching",
    },
    "db-connections-high": {
        namespace: "AWS/RDS",
        metrics: ["DatabaseConnections", "DatabaseConnections"],
        dimensions: { DBClusterIdentifier: DB, Role: "WRITER" },
        stat: "Maximum",
        threshold: 80,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
    "db-replica-lag-high": {
        namespace: "AWS/RDS",
        metrics: ["AuroraReplicaLag"],
        dimensions: { DBClusterIdentifier: DB, Role: "READER" },
        stat: "Maximum",
        threshold: 1000,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
    "db-free-local-storage-low": {
        namespace: "AWS/RDS",
        metrics: ["FreeLocalStorage", "FreeLocalStorage"],
        dimensions: { DBClusterIdentifier: DB, Role: "WRITER" },
        stat: "Minimum",
        threshold: 2048,
        comparison: "LessThanThreshold",
        missing: "notBreaching",
    },
    "db-deadlocks": {
        namespace: "AWS/RDS",
        metrics: ["Deadlocks"],
        dimensions: { DBClusterIdentifier: DB, Role: "WRITER" },
        stat: "Maximum",
        threshold: 0,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
    "app-errors": {
        namespace: "migration-api-staging/Application",
        metrics: ["ErrorLogLines"],
        dimensions: {},
        stat: "Sum",
        threshold: 10,
        comparison: "GreaterThanThreshold",
        missing: "notBreaching",
    },
};

describe("Observability", () => {
    let run: StackRun;
    let outputs: Record<string, unknown>;
    let topicArn: string;
    before(async () => {
        ({ run, outputs } = await build());
        topicArn = String(one(run, "aws:sns/topic:Topic").state.arn);
    });

    describe("alarm topic", () => {
        it("is encrypted with the component's KMS key", () => {
            const key = one(run, "aws:kms/key:Key");
            assert.equal(one(run, "aws:sns/topic:Topic").inputs.kmsMasterKeyId, key.state.arn);
            assert.equal(key.inputs.enableKeyRotation, true);
            assert.equal(outputs.alarmTopicArn, topicArn);
        });

        it("has a key policy that lets CloudWatch, Budgets and CloudWatch Logs use the key", () => {
            const policy = JSON.parse(String(one(run, "aws:kms/key:Key").inputs.policy)) as {
                Statement: { Sid: string; Principal: { Service?: string }; Action: string[] }[];
            };
            const services = policy.Statement.map((s) => s.Principal.Service).filter(Boolean);
            assert.deepEqual(services, [
                "cloudwatch.amazonaws.com",
                "budgets.amazonaws.com",
                "logs.us-east-1.amazonaws.com",
            ]);
            const cloudwatchUse = policy.Statement.find((s) => s.Sid === "CloudwatchUse");
            assert.deepEqual(cloudwatchUse?.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
        });

        it("has a topic policy that lets CloudWatch and Budgets publish, scoped to the account", () => {
            const topicPolicy = one(run, "aws:sns/topicPolicy:TopicPolicy");
            assert.equal(topicPolicy.inputs.arn, topicArn);
            const doc = JSON.parse(String(topicPolicy.inputs.policy)) as {
                Statement: {
                    Sid: string;
                    Effect: string;
                    Principal: unknown;
                    Action: string | string[];
                    Resource: string;
                    Condition?: Record<string, Record<string, string>>;
                }[];
            };
            const bySid = new Map(doc.Statement.map((s) => [s.Sid, s]));
            for (const [sid, service] of [
                ["CloudWatchAlarmsPublish", "cloudwatch.amazonaws.com"],
                ["BudgetsPublish", "budgets.amazonaws.com"],
            ]) {
                const statement = bySid.get(sid);
                assert.deepEqual(statement?.Principal, { Service: service });
                assert.equal(statement?.Action, "SNS:Publish");
                assert.equal(statement?.Resource, topicArn);
                assert.equal(statement?.Condition?.StringEquals["aws:SourceAccount"], "123456789012");
            }
            assert.equal(bySid.get("DenyInsecureTransport")?.Effect, "Deny");
        });

        it("subscribes every alarm email", () => {
            const subscriptions = ofType(run, "aws:sns/topicSubscription:TopicSubscription");
            assert.deepEqual(
                subscriptions.map((s) => [s.inputs.protocol, s.inputs.endpoint, s.inputs.topic]),
                [
                    ["email", "platform-staging-alerts@example.com", topicArn],
                    ["email", "dev-lead@example.com", topicArn],
                ],
            );
        });
    });

    describe("metric alarms", () => {
        it("creates exactly the expected alarms, named from the stack", () => {
            assert.deepEqual(
                [...alarmsByName(run).keys()].sort(),
                Object.keys(EXPECTED)
                    .map((key) => `migration-api-staging-${key}`)
                    .sort(),
            );
        });

        for (const [key, want] of Object.entries(EXPECTED)) {
            it(`${key}: watches ${want.metrics.join(" and ")} and notifies the topic`, () => {
                const alarm = alarmsByName(run).get(`migration-api-staging-${key}`);
                assert.ok(alarm, `alarm ${key} missing`);
                const i = alarm.inputs;
                assert.equal(i.threshold, want.threshold);
                assert.equal(i.comparisonOperator, want.comparison);
                assert.equal(i.treatMissingData, want.missing);
                assert.deepEqual(i.alarmActions, [topicArn]);
                assert.deepEqual(i.okActions, [topicArn]);
                assert.equal(i.actionsEnabled, true);
                assert.equal(i.datapointsToAlarm, i.evaluationPeriods);
                assert.ok(String(i.alarmDescription).length > 10);
                const queries = i.metricQueries as Query[] | undefined;
                if (queries) {
                    const metrics = queries.filter((q) => q.metric).map((q) => q.metric!);
                    assert.deepEqual(
                        metrics.map((m) => m.metricName),
                        want.metrics,
                    );
                    assert.ok(metrics.every((m) => m.namespace === want.namespace));
                    assert.deepEqual(metrics[0].dimensions, want.dimensions);
                    assert.equal(metrics[0].stat, want.stat);
                    const results = queries.filter((q) => q.returnData);
                    assert.equal(results.length, 1, "exactly one query returns data");
                    assert.ok(results[0].expression, "the returned query is an expression");
                    assert.equal(i.metricName, undefined);
                } else {
                    assert.equal(i.namespace, want.namespace);
                    assert.deepEqual([i.metricName], want.metrics);
                    assert.deepEqual(i.dimensions ?? {}, want.dimensions);
                    assert.equal(i.extendedStatistic ?? i.statistic, want.stat);
                }
            });
        }

        it("computes 5xx rates by metric math, ignoring minutes below the request floor", () => {
            const queries = alarmsByName(run).get("migration-api-staging-target-5xx-rate")!.inputs
                .metricQueries as Query[];
            assert.deepEqual(
                queries.map((q) => [q.id, q.expression, q.returnData]),
                [
                    ["errors", undefined, false],
                    ["requests", undefined, false],
                    ["result", "IF(requests >= 10, 100 * FILL(errors, 0) / requests, 0)", true],
                ],
            );
            assert.ok(queries.filter((q) => q.metric).every((q) => q.metric!.period === 60));
        });

        it("reads database memory, storage and connections from both roles", () => {
            const alarms = alarmsByName(run);
            const connections = alarms.get("migration-api-staging-db-connections-high")!.inputs
                .metricQueries as Query[];
            assert.deepEqual(
                connections.map((q) => q.metric?.dimensions.Role ?? q.expression),
                ["WRITER", "READER", "100 * MAX([writer, reader]) / 839"],
            );
            const memory = alarms.get("migration-api-staging-db-freeable-memory-low")!.inputs.metricQueries as Query[];
            assert.equal(memory[2].expression, "MIN([writer, reader]) / 1048576");
        });

        it("alarms on the application's ERROR metric over 5 minutes", () => {
            const alarm = alarmsByName(run).get("migration-api-staging-app-errors")!;
            assert.equal(alarm.inputs.period, 300);
            assert.equal(alarm.inputs.evaluationPeriods, 1);
            assert.equal(outputs.applicationErrorMetric, "migration-api-staging/Application/ErrorLogLines");
        });

        it("uses thresholds and evaluation periods from args", async () => {
            const { run: custom } = await build({
                evaluationPeriods: 5,
                http5xxRatePercent: 2.5,
                latencyP95ThresholdMs: 1500,
                latencyP99ThresholdMs: 4000,
                minHealthyHosts: 3,
                ecsCpuThresholdPercent: 70,
                ecsMemoryThresholdPercent: 75,
                dbCpuThresholdPercent: 65,
                dbConnectionsThresholdPercent: 90,
                dbReplicaLagThresholdMs: 500,
                dbFreeableMemoryThresholdMiB: 256,
                dbFreeLocalStorageThresholdMiB: 512,
                appErrorThresholdPer5Minutes: 0,
            });
            const thresholds = Object.fromEntries(
                [...alarmsByName(custom)].map(([name, r]) => [
                    name.replace("migration-api-staging-", ""),
                    r.inputs.threshold,
                ]),
            );
            assert.deepEqual(thresholds, {
                "target-5xx-rate": 2.5,
                "elb-5xx-rate": 2.5,
                "latency-p95": 1.5,
                "latency-p99": 4,
                "unhealthy-hosts": 0,
                "healthy-hosts-low": 3,
                "rejected-connections": 0,
                "ecs-cpu-high": 70,
                "ecs-memory-high": 75,
                "ecs-running-tasks-low": 0,
                "db-writer-cpu-high": 65,
                "db-freeable-memory-low": 256,
                "db-connections-high": 90,
                "db-replica-lag-high": 500,
                "db-free-local-storage-low": 512,
                "db-deadlocks": 0,
                "app-errors": 0,
            });
            const periods = new Set(
                ofType(custom, "aws:cloudwatch/metricAlarm:MetricAlarm")
                    .filter((r) => r.inputs.name !== "migration-api-staging-app-errors")
                    .map((r) => r.inputs.evaluationPeriods),
            );
            assert.deepEqual([...periods], [5]);
        });
    });

    describe("composite alarm", () => {
        it('is "API down" when the healthy hosts or either 5xx rate alarm fires', () => {
            const composite = one(run, "aws:cloudwatch/compositeAlarm:CompositeAlarm");
            assert.equal(composite.inputs.alarmName, "migration-api-staging-api-down");
            assert.equal(
                composite.inputs.alarmRule,
                'ALARM("migration-api-staging-target-5xx-rate") OR ALARM("migration-api-staging-elb-5xx-rate") OR ALARM("migration-api-staging-healthy-hosts-low")',
            );
            for (const name of String(composite.inputs.alarmRule).match(/"[^"]+"/g)!) {
                assert.ok(alarmsByName(run).has(JSON.parse(name) as string), `${name} is not an alarm of the stack`);
            }
            assert.deepEqual(composite.inputs.alarmActions, [topicArn]);
            assert.deepEqual(composite.inputs.okActions, [topicArn]);
            assert.equal(outputs.apiDownAlarmName, "migration-api-staging-api-down");
        });

        it("depends on the alarms its rule names", () => {
            const composite = one(run, "aws:cloudwatch/compositeAlarm:CompositeAlarm");
            const alarmUrns = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => r.urn);
            for (const urn of alarmUrns) assert.ok(composite.dependencies.includes(urn));
        });
    });

    describe("application error metric filter", () => {
        it("counts ERROR lines of the API's log group", () => {
            const filter = one(run, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
            assert.equal(filter.inputs.logGroupName, LOG_GROUP);
            assert.equal(filter.inputs.pattern, "ERROR");
            assert.deepEqual(filter.inputs.metricTransformation, {
                namespace: "migration-api-staging/Application",
                name: "ErrorLogLines",
                value: "1",
                defaultValue: "0",
                unit: "Count",
            });
        });
    });

    describe("dashboard", () => {
        type Body = {
            widgets: { type: string; x: number; y: number; width: number; properties: Record<string, unknown> }[];
        };
        const body = (r: StackRun) =>
            JSON.parse(String(one(r, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody)) as Body;

        it("is valid JSON that draws the stack's own load balancer, service and database", () => {
            const text = String(one(run, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
            const { widgets } = body(run);
            const titles = widgets.filter((w) => w.type === "metric").map((w) => w.properties.title);
            assert.deepEqual(titles, [
                "Requests per minute",
                "5xx rate (%)",
                "Target response time (s)",
                "Targets",
                "ECS CPU (%)",
                "ECS memory (%)",
                "ECS tasks",
                "Aurora CPU (%)",
                "Aurora connections",
                "Aurora replica lag (ms)",
                "Application ERROR lines",
            ]);
            for (const name of [LB, TG, CLUSTER, SERVICE, DB, "migration-api-staging/Application"]) {
                assert.ok(text.includes(JSON.stringify(name)), `dashboard does not reference ${name}`);
            }
            assert.ok(widgets.every((w) => w.x >= 0 && w.x + w.width <= 24));
            assert.ok(
                widgets.filter((w) => w.type === "metric").every((w) => w.properties.region === "us-east-1"),
                "every metric widget names the region",
            );
            assert.ok(!text.includes("AWS/WAFV2"), "no WAF widget without a web ACL");
        });

        it("shows the state of every alarm, the composite included", () => {
            const alarmWidget = body(run).widgets.find((w) => w.type === "alarm");
            const arns = [
                ...ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm"),
                one(run, "aws:cloudwatch/compositeAlarm:CompositeAlarm"),
            ].map((r) => r.state.arn);
            assert.deepEqual([...(alarmWidget?.properties.alarms as string[])].sort(), [...arns].sort());
            assert.equal(arns.length, 18);
        });

        it("draws WAF blocked requests when a web ACL is given", async () => {
            const { run: withWaf } = await build({ webAclName: "migration-api-production-waf" }, "production");
            const waf = body(withWaf).widgets.find((w) => w.properties.title === "WAF blocked requests");
            assert.ok(waf);
            assert.deepEqual((waf.properties.metrics as unknown[][])[0], [
                "AWS/WAFV2",
                "BlockedRequests",
                "WebACL",
                "migration-api-production-waf",
                "Region",
                "us-east-1",
                "Rule",
                "ALL",
                { label: "Blocked" },
            ]);
        });

        it("has its console URL as an output", () => {
            assert.equal(outputs.dashboardName, "migration-api-staging");
            assert.equal(
                outputs.dashboardUrl,
                "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=migration-api-staging",
            );
        });
    });

    describe("budget", () => {
        it("is a monthly USD cost budget notifying the topic at 80% forecast and 100% actual", () => {
            const budget = one(run, "aws:budgets/budget:Budget");
            assert.equal(budget.inputs.name, "migration-api-staging-monthly");
            assert.equal(budget.inputs.budgetType, "COST");
            assert.equal(budget.inputs.timeUnit, "MONTHLY");
            assert.equal(budget.inputs.limitAmount, "300");
            assert.equal(budget.inputs.limitUnit, "USD");
            assert.equal(budget.inputs.costFilters, undefined);
            assert.deepEqual(budget.inputs.notifications, [
                {
                    notificationType: "FORECASTED",
                    threshold: 80,
                    thresholdType: "PERCENTAGE",
                    comparisonOperator: "GREATER_THAN",
                    subscriberSnsTopicArns: [topicArn],
                },
                {
                    notificationType: "ACTUAL",
                    threshold: 100,
                    thresholdType: "PERCENTAGE",
                    comparisonOperator: "GREATER_THAN",
                    subscriberSnsTopicArns: [topicArn],
                },
            ]);
            const topicPolicy = one(run, "aws:sns/topicPolicy:TopicPolicy");
            assert.ok(budget.dependencies.includes(topicPolicy.urn), "the budget waits for the topic policy");
            assert.equal(outputs.budgetName, "migration-api-staging-monthly");
        });

        it("is limited to the given cost-allocation tags", async () => {
            const { run: tagged } = await build({
                budgetCostAllocationTags: { CostCenter: "platform-staging" },
                budgetForecastThresholdPercent: 90,
            });
            const budget = one(tagged, "aws:budgets/budget:Budget");
            assert.deepEqual(budget.inputs.costFilters, [
                { name: "TagKeyValue", values: ["user:CostCenter$platform-staging"] },
            ]);
            assert.equal((budget.inputs.notifications as { threshold: number }[])[0].threshold, 90);
        });
    });

    describe("alarm history", () => {
        it("keeps every alarm state change in an encrypted log group with the given retention", async () => {
            const { run: kept } = await build({ logRetentionDays: 30 });
            const group = one(kept, "aws:cloudwatch/logGroup:LogGroup");
            assert.equal(group.inputs.name, "/aws/events/migration-api-staging/alarm-history");
            assert.equal(group.inputs.retentionInDays, 30);
            assert.equal(group.inputs.kmsKeyId, one(kept, "aws:kms/key:Key").state.arn);

            const rule = one(kept, "aws:cloudwatch/eventRule:EventRule");
            const pattern = JSON.parse(String(rule.inputs.eventPattern)) as Record<string, string[]>;
            assert.deepEqual(pattern.source, ["aws.cloudwatch"]);
            assert.deepEqual(pattern["detail-type"], ["CloudWatch Alarm State Change"]);
            assert.equal(pattern.resources.length, 18);
            const target = one(kept, "aws:cloudwatch/eventTarget:EventTarget");
            assert.equal(target.inputs.rule, "migration-api-staging-alarm-history");
            assert.equal(target.inputs.arn, group.state.arn);

            const policy = JSON.parse(
                String(one(kept, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy").inputs.policyDocument),
            ) as { Statement: { Resource: string; Principal: { Service: string[] } }[] };
            assert.equal(policy.Statement[0].Resource, `${String(group.state.arn)}:*`);
            assert.deepEqual(policy.Statement[0].Principal.Service, [
                "events.amazonaws.com",
                "delivery.logs.amazonaws.com",
            ]);
        });

        it("defaults the retention to 365 days", () => {
            assert.equal(one(run, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 365);
        });
    });

    describe("tracing", () => {
        it("creates no sampling rule when tracing is off", () => {
            assert.equal(ofType(run, "aws:xray/samplingRule:SamplingRule").length, 0);
            assert.equal(outputs.samplingRuleName, undefined);
        });

        it("samples the configured share of the API's requests", async () => {
            const { run: traced, outputs: out } = await build({ tracingSamplingPercent: 5 }, "production");
            const rule = one(traced, "aws:xray/samplingRule:SamplingRule");
            assert.equal(rule.inputs.fixedRate, 0.05);
            assert.equal(rule.inputs.serviceName, "migration-api-production");
            assert.equal(rule.inputs.ruleName, "migration-api-production-api");
            assert.ok(String(rule.inputs.ruleName).length <= 32);
            assert.equal(out.samplingRuleName, "migration-api-production-api");
        });
    });

    describe("wiring to real resources", () => {
        it("takes names and ids from the other components' outputs", async () => {
            const wired = await simulate(settingsFor("production"), () => {
                const loadBalancer = new lb.LoadBalancer("alb", { loadBalancerType: "application" });
                const tg = new lb.TargetGroup("tg", { port: 8000, protocol: "HTTP", targetType: "ip" });
                const cluster = new ecs.Cluster("cluster", {});
                const service = new ecs.Service("api", { cluster: cluster.arn });
                const logs = new cloudwatch.LogGroup("api-logs", { name: "/ecs/migration-api-production/api" });
                const db = new rds.Cluster("db", { engine: "aurora-postgresql" });
                new Observability("obs", {
                    ...baseArgs,
                    loadBalancerArnSuffix: loadBalancer.arnSuffix,
                    targetGroupArnSuffix: tg.arnSuffix,
                    ecsClusterName: cluster.name,
                    ecsServiceName: service.name,
                    apiLogGroupName: logs.name,
                    dbClusterIdentifier: db.clusterIdentifier,
                    requireAlarmSubscriptions: true,
                });
            });
            const state = (type: string, name: string) =>
                ofType(wired, type).find((r) => r.name === name)!.state as Record<string, string>;
            const lbSuffix = state("aws:lb/loadBalancer:LoadBalancer", "alb").arnSuffix;
            const tgSuffix = state("aws:lb/targetGroup:TargetGroup", "tg").arnSuffix;
            const clusterName = state("aws:ecs/cluster:Cluster", "cluster").name;
            const serviceName = state("aws:ecs/service:Service", "api").name;
            const dbId = state("aws:rds/cluster:Cluster", "db").clusterIdentifier;

            const alarms = alarmsByName(wired);
            assert.deepEqual(alarms.get("migration-api-production-latency-p99")!.inputs.dimensions, {
                TargetGroup: tgSuffix,
                LoadBalancer: lbSuffix,
            });
            assert.deepEqual(alarms.get("migration-api-production-ecs-cpu-high")!.inputs.dimensions, {
                ClusterName: clusterName,
                ServiceName: serviceName,
            });
            assert.deepEqual(alarms.get("migration-api-production-db-writer-cpu-high")!.inputs.dimensions, {
                DBClusterIdentifier: dbId,
                Role: "WRITER",
            });
            const filter = one(wired, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
            assert.equal(filter.inputs.logGroupName, "/ecs/migration-api-production/api");
            const dashboard = String(one(wired, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody);
            for (const value of [lbSuffix, tgSuffix, clusterName, serviceName, dbId]) {
                assert.ok(dashboard.includes(JSON.stringify(value)), `dashboard does not reference ${value}`);
            }
        });
    });

    describe("built from each stack's config", () => {
        for (const stack of ["staging", "production"] as const) {
            it(`${stack}: takes its thresholds, emails and budget from the stack config`, async () => {
                const settings = settingsFor(stack);
                const config = parseStackConfig(settings.config, stack);
                const built = await simulate(settings, () => {
                    // The same config -> args mapping index.ts uses, with stand-ins for the other components.
                    new Observability(
                        "obs",
                        observabilityArgs(config, {
                            api: {
                                albArnSuffix: LB,
                                targetGroupArnSuffix: TG,
                                clusterName: CLUSTER,
                                serviceName: SERVICE,
                                logGroupName: LOG_GROUP,
                                webAclName: config.wafEnabled ? "waf" : undefined,
                            },
                            database: { clusterIdentifier: DB },
                        }),
                    );
                });
                const alarms = alarmsByName(built);
                const want =
                    stack === "production"
                        ? { periods: 3, rate: 1, p99: 3, hosts: 3, cpu: 80, retention: 365, budget: "2500", xray: 1 }
                        : { periods: 5, rate: 5, p99: 5, hosts: 2, cpu: 90, retention: 30, budget: "300", xray: 0 };
                const get = (key: string) => alarms.get(`migration-api-${stack}-${key}`)!.inputs;
                assert.equal(get("target-5xx-rate").evaluationPeriods, want.periods);
                assert.equal(get("target-5xx-rate").threshold, want.rate);
                assert.equal(get("latency-p99").threshold, want.p99);
                assert.equal(get("healthy-hosts-low").threshold, want.hosts);
                assert.equal(get("ecs-cpu-high").threshold, want.cpu);
                assert.equal(one(built, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, want.retention);
                assert.equal(one(built, "aws:budgets/budget:Budget").inputs.limitAmount, want.budget);
                assert.equal(ofType(built, "aws:xray/samplingRule:SamplingRule").length, want.xray);
                assert.deepEqual(
                    ofType(built, "aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs.endpoint),
                    config.alarmEmails,
                );
            });
        }
    });
});

describe("logGroupProblems (whole-stack log check)", () => {
    const group = (name: string, inputs: Record<string, unknown>) => ({
        type: "aws:cloudwatch/logGroup:LogGroup",
        name,
        inputs,
    });

    it("passes the Observability component's own log group", async () => {
        const { run } = await build({ logRetentionDays: 30 });
        assert.ok(ofType(run, "aws:cloudwatch/logGroup:LogGroup").length > 0);
        assert.deepEqual(logGroupProblems(run.resources, 30), []);
        assert.deepEqual(logGroupProblems(run.resources, 365), [
            "log group obs-alarm-history keeps logs 30 days; expected 365.",
        ]);
    });

    it("names unencrypted groups, wrong or missing retention, and a disallowed value", () => {
        assert.deepEqual(
            logGroupProblems(
                [
                    group("ok", { kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k", retentionInDays: 30 }),
                    group("plain", { retentionInDays: 30 }),
                    group("forever", { kmsKeyId: "arn:k" }),
                    { type: "aws:s3/bucketV2:BucketV2", name: "bucket", inputs: {} },
                ],
                30,
            ),
            [
                "log group plain is not encrypted with a KMS key (`kmsKeyId` unset).",
                "log group forever keeps logs forever; expected 30.",
            ],
        );
        assert.deepEqual(logGroupProblems([], 45), ["retention 45 days is not a value CloudWatch Logs accepts."]);
    });

    it("requires each group's key to be the stack's and to let CloudWatch Logs use it", () => {
        const statement = (Principal: unknown, Action: unknown) => ({ Effect: "Allow", Principal, Action });
        const key = (name: string, arn: string, statements: unknown[]) => ({
            type: "aws:kms/key:Key",
            name,
            inputs: { policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) },
            state: { arn },
        });
        const useActions = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"];
        const root = statement({ AWS: "arn:aws:iam::123456789012:root" }, "kms:*");
        const resources = [
            key("logs", "arn:key/logs", [root, statement({ Service: "logs.us-east-1.amazonaws.com" }, useActions)]),
            key("data", "arn:key/data", [root, statement({ Service: "rds.amazonaws.com" }, useActions)]),
            key("decrypt-only", "arn:key/decrypt", [
                root,
                statement({ Service: ["logs.us-east-1.amazonaws.com"] }, ["kms:Decrypt"]),
            ]),
            group("good", { kmsKeyId: "arn:key/logs", retentionInDays: 30 }),
            group("wrong-key", { kmsKeyId: "arn:key/data", retentionInDays: 30 }),
            group("half-key", { kmsKeyId: "arn:key/decrypt", retentionInDays: 30 }),
            group("foreign", { kmsKeyId: "arn:key/elsewhere", retentionInDays: 30 }),
        ];
        assert.deepEqual(logGroupProblems(resources, 30), [
            "log group wrong-key is encrypted with key data, whose policy does not let the CloudWatch Logs service principal use it.",
            "log group half-key is encrypted with key decrypt-only, whose policy does not let the CloudWatch Logs service principal use it.",
            "log group foreign is encrypted with arn:key/elsewhere, which is not a key of this stack.",
        ]);
        assert.equal(keyPolicyAllowsLogs("not json"), false);
        assert.equal(keyPolicyAllowsLogs(undefined), false);
    });

    it("finds the Observability log group's key and its CloudWatch Logs grant in a run", async () => {
        const { run } = await build({ logRetentionDays: 30 });
        const history = ofType(run, "aws:cloudwatch/logGroup:LogGroup")[0];
        const key = ofType(run, "aws:kms/key:Key").find((k) => k.state.arn === history.inputs.kmsKeyId);
        assert.ok(key, "the log group's key is in the run");
        assert.equal(keyPolicyAllowsLogs(key.inputs.policy), true);
        const withoutLogs = { ...key, inputs: { ...key.inputs, policy: '{"Statement":[]}' } };
        assert.equal(
            logGroupProblems(
                run.resources.map((r) => (r === key ? withoutLogs : r)),
                30,
            ).length,
            1,
        );
    });
});
