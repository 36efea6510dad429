import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { auroraPostgresMaxConnections, metricAlarmArgs, anyAlarmRule } from "../../../components/observability/alarms";
import {
    layoutRows,
    metricWidget,
    renderSeries,
    metric,
    expression,
} from "../../../components/observability/dashboard";
import { Observability, ObservabilityArgs, observabilityArgProblems } from "../../../components/observability";
import { ofType, settingsFor, simulate } from "../../../tools/sim";

const valid: ObservabilityArgs = {
    loadBalancerArnSuffix: "app/migration-api-alb-1a2b3c4/0123456789abcdef",
    targetGroupArnSuffix: "targetgroup/migration-api-tg-5d6e7f8/fedcba9876543210",
    ecsClusterName: "cluster",
    ecsServiceName: "service",
    apiLogGroupName: "/ecs/api",
    dbClusterIdentifier: "db",
    dbMaxConnections: 1678,
    minHealthyHosts: 3,
    monthlyBudgetUsd: 2500,
    alarmEmails: ["oncall@example.com"],
    requireAlarmSubscriptions: true,
};

const problemsOf = (changes: Partial<ObservabilityArgs>, prefix = "migration-api-production") =>
    observabilityArgProblems({ ...valid, ...changes }, prefix);

describe("Observability arguments", () => {
    it("accepts a complete, valid set of args", () => {
        assert.deepEqual(problemsOf({}), []);
        assert.deepEqual(
            problemsOf({
                evaluationPeriods: 30,
                http5xxRatePercent: 100,
                latencyP95ThresholdMs: 1,
                latencyP99ThresholdMs: 1,
                ecsCpuThresholdPercent: 1,
                appErrorThresholdPer5Minutes: 0,
                logRetentionDays: 3653,
                tracingSamplingPercent: 0,
                budgetActualThresholdPercent: 120,
                webAclName: "waf",
            }),
            [],
        );
    });

    it("skips checks of values other components compute (outputs)", () => {
        assert.deepEqual(
            problemsOf({
                loadBalancerArnSuffix: pulumi.output("not known yet"),
                targetGroupArnSuffix: Promise.resolve("later"),
            }),
            [],
        );
    });

    const cases: [string, Partial<ObservabilityArgs>, string][] = [
        [
            "a 5xx rate of 0 %",
            { http5xxRatePercent: 0 },
            "`http5xxRatePercent` must be a number from 0.01 to 100; got 0.",
        ],
        [
            "a 5xx rate above 100 %",
            { http5xxRatePercent: 150 },
            "`http5xxRatePercent` must be a number from 0.01 to 100; got 150.",
        ],
        [
            "a CPU threshold above 100 %",
            { ecsCpuThresholdPercent: 101 },
            "`ecsCpuThresholdPercent` must be a number from 1 to 100; got 101.",
        ],
        [
            "a memory threshold of -5 %",
            { ecsMemoryThresholdPercent: -5 },
            "`ecsMemoryThresholdPercent` must be a number from 1 to 100; got -5.",
        ],
        [
            "a database CPU threshold that is not a number",
            { dbCpuThresholdPercent: NaN },
            "`dbCpuThresholdPercent` must be a number from 1 to 100; got NaN.",
        ],
        [
            "a connections threshold of 0 %",
            { dbConnectionsThresholdPercent: 0 },
            "`dbConnectionsThresholdPercent` must be a number from 1 to 100; got 0.",
        ],
        [
            "zero evaluation periods",
            { evaluationPeriods: 0 },
            "`evaluationPeriods` must be an integer from 1 to 30; got 0.",
        ],
        [
            "a fractional evaluation period",
            { evaluationPeriods: 2.5 },
            "`evaluationPeriods` must be an integer from 1 to 30; got 2.5.",
        ],
        [
            "a p95 latency of 0 ms",
            { latencyP95ThresholdMs: 0, latencyP99ThresholdMs: 10 },
            "`latencyP95ThresholdMs` must be an integer from 1 to 600000; got 0.",
        ],
        [
            "a p99 latency below the p95 one",
            { latencyP95ThresholdMs: 2000, latencyP99ThresholdMs: 1500 },
            "`latencyP99ThresholdMs` must be at least `latencyP95ThresholdMs` (2000); got 1500.",
        ],
        ["zero healthy hosts", { minHealthyHosts: 0 }, "`minHealthyHosts` must be an integer from 1 to 100; got 0."],
        [
            "zero max connections",
            { dbMaxConnections: 0 },
            "`dbMaxConnections` must be an integer from 1 to 262143; got 0.",
        ],
        [
            "a replica lag of 0 ms",
            { dbReplicaLagThresholdMs: 0 },
            "`dbReplicaLagThresholdMs` must be an integer from 1 to 3600000; got 0.",
        ],
        [
            "a freeable memory floor of 0 MiB",
            { dbFreeableMemoryThresholdMiB: 0 },
            "`dbFreeableMemoryThresholdMiB` must be an integer from 1 to 1048576; got 0.",
        ],
        [
            "a negative local storage floor",
            { dbFreeLocalStorageThresholdMiB: -1 },
            "`dbFreeLocalStorageThresholdMiB` must be an integer from 1 to 1048576; got -1.",
        ],
        [
            "a negative error-line threshold",
            { appErrorThresholdPer5Minutes: -1 },
            "`appErrorThresholdPer5Minutes` must be an integer from 0 to 1000000; got -1.",
        ],
        [
            "a sampling rate above 100 %",
            { tracingSamplingPercent: 101 },
            "`tracingSamplingPercent` must be a number from 0 to 100; got 101.",
        ],
        ["a budget of 0 USD", { monthlyBudgetUsd: 0 }, "`monthlyBudgetUsd` must be a number from 1 to 1000000; got 0."],
        [
            "a forecast notification at 0 %",
            { budgetForecastThresholdPercent: 0 },
            "`budgetForecastThresholdPercent` must be a number from 1 to 1000; got 0.",
        ],
        [
            "an actual notification above 1000 %",
            { budgetActualThresholdPercent: 1001 },
            "`budgetActualThresholdPercent` must be a number from 1 to 1000; got 1001.",
        ],
        [
            "a log retention CloudWatch does not allow",
            { logRetentionDays: 45 },
            "`logRetentionDays` must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 45.",
        ],
        [
            "an invalid email address",
            { alarmEmails: ["oncall@example.com", "not-an-email"] },
            '`alarmEmails[1]` must be a valid email address such as "oncall@example.com"; got "not-an-email".',
        ],
        [
            "an email address without a domain",
            { alarmEmails: ["oncall@"] },
            '`alarmEmails[0]` must be a valid email address such as "oncall@example.com"; got "oncall@".',
        ],
        [
            "the same address twice",
            { alarmEmails: ["oncall@example.com", "OnCall@example.com"] },
            '`alarmEmails` must list each address once; got "OnCall@example.com" more than once.',
        ],
        [
            "no subscription where one is required (production)",
            { alarmEmails: [] },
            "`alarmEmails` must list at least one address when `requireAlarmSubscriptions` is true; got [].",
        ],
        [
            "a full load balancer ARN instead of its suffix",
            {
                loadBalancerArnSuffix:
                    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/0123456789abcdef",
            },
            '`loadBalancerArnSuffix` must be a load balancer ARN suffix "app/<name>/<id>" (not the full ARN); got "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/0123456789abcdef".',
        ],
        [
            "a target group name instead of its ARN suffix",
            { targetGroupArnSuffix: "api-tg" },
            '`targetGroupArnSuffix` must be a target group ARN suffix "targetgroup/<name>/<id>" (not the full ARN); got "api-tg".',
        ],
        ["an empty ECS service name", { ecsServiceName: " " }, '`ecsServiceName` must be a non-empty name; got " ".'],
        [
            "an empty filter pattern",
            { errorLogFilterPattern: "" },
            '`errorLogFilterPattern` must be a non-empty filter pattern of at most 1024 characters; got "".',
        ],
        [
            "a cost-allocation tag with an empty value",
            { budgetCostAllocationTags: { CostCenter: "" } },
            '`budgetCostAllocationTags` must have non-empty keys and values; got {"CostCenter":""}.',
        ],
    ];
    for (const [what, change, message] of cases) {
        it(`rejects ${what}`, () => assert.deepEqual(problemsOf(change), [message]));
    }

    it("allows an empty subscription list where none is required (staging)", () => {
        assert.deepEqual(problemsOf({ alarmEmails: [], requireAlarmSubscriptions: false }), []);
        assert.deepEqual(problemsOf({ alarmEmails: undefined, requireAlarmSubscriptions: undefined }), []);
    });

    it("rejects a name prefix that cannot name a dashboard", () => {
        assert.deepEqual(problemsOf({}, "my stack!"), [
            '`namePrefix` must be 1-40 letters, digits, - or _, starting alphanumeric; got "my stack!".',
        ]);
        assert.equal(problemsOf({}, "a".repeat(41)).length, 1);
    });

    it("reports every problem at once, before creating any resource", async () => {
        const run = await simulate(settingsFor("production"), () => {
            assert.throws(
                () =>
                    new Observability("obs", {
                        ...valid,
                        http5xxRatePercent: 0,
                        logRetentionDays: 45,
                        alarmEmails: [],
                    }),
                (error: Error) => {
                    assert.equal(
                        error.message,
                        [
                            "invalid arguments for Observability obs:",
                            "  - `http5xxRatePercent` must be a number from 0.01 to 100; got 0.",
                            "  - `logRetentionDays` must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 45.",
                            "  - `alarmEmails` must list at least one address when `requireAlarmSubscriptions` is true; got [].",
                        ].join("\n"),
                    );
                    return true;
                },
            );
        });
        assert.deepEqual(
            run.resources.filter((r) => r.custom).map((r) => r.type),
            [],
            "no AWS resource was created",
        );
        assert.equal(ofType(run, "migration-api:observability:Observability").length, 1);
    });
});

describe("alarm helpers", () => {
    it("estimates Aurora PostgreSQL's default max_connections", () => {
        assert.equal(auroraPostgresMaxConnections("db.r6g.large"), 1678);
        assert.equal(auroraPostgresMaxConnections("db.r6g.xlarge"), 3357);
        assert.equal(auroraPostgresMaxConnections("db.r7g.4xlarge"), 5000);
        assert.equal(auroraPostgresMaxConnections("db.t4g.medium"), 419);
        assert.equal(auroraPostgresMaxConnections("db.x2g.large"), 3357);
        assert.equal(auroraPostgresMaxConnections("db.serverless", { minAcu: 0.5, maxAcu: 4 }), 839);
        assert.equal(auroraPostgresMaxConnections("db.serverless", { minAcu: 0.5, maxAcu: 16 }), 2000);
        assert.equal(auroraPostgresMaxConnections("db.serverless", { minAcu: 1, maxAcu: 16 }), 3357);
        assert.throws(() => auroraPostgresMaxConnections("db.m5.large"), /unknown Aurora instance class "db.m5.large"/);
    });

    it("uses an extended statistic for percentiles and a plain one otherwise", () => {
        const base = {
            key: "k",
            description: "d",
            periodSeconds: 60,
            evaluationPeriods: 2,
            threshold: 1,
            comparison: "GreaterThanThreshold" as const,
            treatMissingData: "notBreaching" as const,
            critical: false,
        };
        const p = metricAlarmArgs(
            { ...base, metric: { namespace: "N", metricName: "M", dimensions: { A: "a" }, stat: "p99.9" } },
            "name",
            "arn:topic",
        );
        assert.equal(p.extendedStatistic, "p99.9");
        assert.equal(p.statistic, undefined);
        assert.equal(p.evaluateLowSampleCountPercentiles, "ignore");
        const s = metricAlarmArgs(
            { ...base, metric: { namespace: "N", metricName: "M", dimensions: {}, stat: "Sum" } },
            "name",
            "arn:topic",
        );
        assert.equal(s.statistic, "Sum");
        assert.equal(s.extendedStatistic, undefined);
        assert.equal(s.dimensions, undefined);
        assert.throws(() => metricAlarmArgs(base, "name", "arn:topic"), /neither a metric nor a math expression/);
    });

    it("writes the composite rule with quoted alarm names", () => {
        assert.equal(anyAlarmRule(["a", "b"]), 'ALARM("a") OR ALARM("b")');
    });
});

describe("dashboard helpers", () => {
    it("renders metrics and expressions in the dashboard's array form", () => {
        assert.deepEqual(renderSeries(metric("AWS/ECS", "CPUUtilization", { ClusterName: "c", ServiceName: "s" })), [
            "AWS/ECS",
            "CPUUtilization",
            "ClusterName",
            "c",
            "ServiceName",
            "s",
        ]);
        assert.deepEqual(renderSeries(metric("N", "M", {}, { stat: "p99", id: "m1", visible: false })), [
            "N",
            "M",
            { stat: "p99", id: "m1", visible: false },
        ]);
        assert.deepEqual(renderSeries(expression("e1", "m1 * 2", "Double")), [
            { id: "e1", expression: "m1 * 2", label: "Double" },
        ]);
    });

    it("places rows left to right, top to bottom, and refuses a row wider than the grid", () => {
        const widget = (width: number, height = 6) =>
            metricWidget({ title: "t", width, height, series: [] }, "us-east-1");
        const placed = layoutRows([[widget(12), widget(12, 3)], [widget(24, 2)], [widget(8)]]);
        assert.deepEqual(
            placed.map((w) => [w.x, w.y, w.width, w.height]),
            [
                [0, 0, 12, 6],
                [12, 0, 12, 3],
                [0, 6, 24, 2],
                [0, 8, 8, 6],
            ],
        );
        assert.throws(
            () => layoutRows([[widget(12), widget(13)]]),
            /a dashboard row is 24 units wide; this row needs 25/,
        );
    });

    it("adds a horizontal annotation and y-axis when asked", () => {
        const w = metricWidget(
            { title: "t", width: 6, series: [], yAxisMin: 0, horizontalLines: [{ label: "max", value: 10 }] },
            "eu-west-1",
        );
        assert.deepEqual(w.properties.annotations, { horizontal: [{ label: "max", value: 10 }] });
        assert.deepEqual(w.properties.yAxis, { left: { min: 0 } });
        assert.equal(w.properties.region, "eu-west-1");
    });
});
