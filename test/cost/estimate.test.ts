import * as assert from "node:assert/strict";
import { estimateStack } from "../../tools/cost";
import type { Estimate, ResourceCost } from "../../tools/cost/model";
import { loadPrices } from "../../tools/cost/prices";
import { loadUsage, Usage } from "../../tools/cost/usage";

const table = loadPrices();
const H = table.hoursPerMonth;
const p = (key: string, region = "us-east-1") => {
    const price = table.regions[region][key];
    assert.ok(price, `cost/prices.json lacks ${region} ${key}`);
    return price.usd;
};
/** The resource named `name` (`Type:name` where a name is shared, e.g. `LogMetricFilter:x`). */
const one = (e: Estimate, name: string): ResourceCost => {
    const [type, logical] = name.includes(":") ? name.split(":") : ["", name];
    const found = e.resources.filter((r) => r.name === logical && r.type.endsWith(type));
    assert.equal(found.length, 1, `${e.stack}: ${name}`);
    return found[0];
};
const monthly = (r: ResourceCost) => r.fixedUsd + r.usageUsd;
/** The total before rounding to cents. */
const exactTotal = (e: Estimate) => e.resources.reduce((s, r) => s + monthly(r), 0);
const close = (actual: number, expected: number, what: string) =>
    assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} != ${expected}`);

describe("cost estimate", function () {
    this.timeout(120_000);
    let staging: Estimate;
    let production: Estimate;
    let prodUsage: Usage;
    let stagingUsage: Usage;
    before(async () => {
        staging = await estimateStack("staging");
        production = await estimateStack("production");
        prodUsage = loadUsage("production").usage;
        stagingUsage = loadUsage("staging").usage;
    });

    describe("each priced type against a hand computation from cost/prices.json", () => {
        // [stack, resource name, expected monthly USD]
        const est = (stack: string) => (stack === "staging" ? staging : production);
        const cases: [string, string, () => number][] = [
            [
                "production",
                "api-lb",
                () =>
                    H * p("alb.hour") +
                    3 * H * p("publicIpv4.hour") +
                    Math.max((1e7 * 20) / 1024 ** 2 + 50, 1e7 / 3600 / 25) * p("alb.lcuHour") +
                    ((1e7 * 20) / 1024 ** 2) * p("dataTransfer.internetGb"),
            ],
            ["production", "api-service", () => 3 * 1 * H * p("fargate.vcpuHour") + 3 * 2 * H * p("fargate.gbHour")],
            // staging: base 1 on FARGATE, then weights 1:3 -> 1.25 on-demand and 0.75 Spot tasks of 0.25 vCPU, 0.5 GB
            [
                "staging",
                "api-service",
                () =>
                    1.25 * H * (0.25 * p("fargate.vcpuHour") + 0.5 * p("fargate.gbHour")) +
                    0.75 * H * (0.25 * p("fargateSpot.vcpuHour") + 0.5 * p("fargateSpot.gbHour")),
            ],
            ["production", "api-migrate", () => 1 * (1 * p("fargate.vcpuHour") + 2 * p("fargate.gbHour"))],
            ["production", "database-instance-1", () => H * p("aurora.instanceHour.db.r6g.large")],
            ["staging", "database-instance-1", () => 0.5 * H * p("aurora.acuHour")],
            ["production", "database-proxy", () => 3 * 2 * H * p("rdsProxy.vcpuHour")],
            [
                "production",
                "database-cluster",
                () =>
                    100 * p("aurora.storageGbMonth") +
                    50 * p("aurora.ioMillion") +
                    p("secretsManager.secretMonth") +
                    5 * p("secretsManager.api10k"),
            ],
            ["production", "database-key-key", () => p("kms.keyMonth") + 5 * p("kms.requests10k")],
            [
                "production",
                "storage-replica-key-key",
                () => p("kms.keyMonth", "us-west-2") + 5 * p("kms.requests10k", "us-west-2"),
            ],
            ["production", "api-waf", () => p("waf.aclMonth") + 5 * p("waf.ruleMonth") + 10 * p("waf.requestsMillion")],
            [
                "production",
                "api-logs",
                () => 1 * 30.4 * p("cloudwatch.logsIngestGb") + 1 * 365 * p("cloudwatch.logsStorageGbMonth"),
            ],
            [
                "staging",
                "api-logs",
                () => 0.1 * 30.4 * p("cloudwatch.logsIngestGb") + 0.1 * 30 * p("cloudwatch.logsStorageGbMonth"),
            ],
            ["production", "observability-db-connections-high", () => 2 * p("cloudwatch.alarmMetricMonth")],
            ["production", "observability-latency-p95", () => p("cloudwatch.alarmMetricMonth")],
            ["production", "observability-api-down", () => p("cloudwatch.compositeAlarmMonth")],
            ["production", "observability-dashboard", () => p("cloudwatch.dashboardMonth")],
            ["production", "MetricAlarm:observability-app-errors", () => p("cloudwatch.alarmMetricMonth")],
            ["production", "LogMetricFilter:observability-app-errors", () => p("cloudwatch.customMetricMonth")],
            [
                "production",
                "network-kms",
                () => 3 * H * p("vpcEndpoint.interfaceHour") + (50 / 5) * p("vpcEndpoint.gb"),
            ],
            ["production", "network-s3", () => 0],
            ["production", "NatGateway:network-vpc-1", () => H * p("natGateway.hour") + (100 / 3) * p("natGateway.gb")],
            ["staging", "NatGateway:network-vpc-1", () => H * p("natGateway.hour") + 20 * p("natGateway.gb")],
            ["production", "Eip:network-vpc-2", () => H * p("publicIpv4.hour")],
            [
                "production",
                "storage-uploads",
                () =>
                    50 * p("s3.standardGbMonth") +
                    100 * p("s3.standardIaGbMonth") +
                    500 * p("s3.glacierGbMonth") +
                    100 * p("s3.get1k") +
                    10.24 * p("s3.put1k"),
            ],
            [
                "production",
                "storage-replica",
                () =>
                    50 * p("s3.standardGbMonth", "us-west-2") +
                    100 * p("s3.standardIaGbMonth", "us-west-2") +
                    500 * p("s3.glacierGbMonth", "us-west-2") +
                    10 * p("s3.get1k", "us-west-2") +
                    1 * p("s3.put1k", "us-west-2"),
            ],
            [
                "production",
                "storage-replication",
                () => 50 * p("s3.replicationGb") + ((50 * 1024) / 5 / 1000) * p("s3.put1k"),
            ],
            ["production", "database-backup-plan", () => 100 * p("backup.crossRegionCopyGb")],
            ["production", "database-dr-vault", () => 100 * p("backup.auroraGbMonth", "us-west-2")],
            [
                "production",
                "observability-sampling",
                () => {
                    const reservoir = 1 * H * 3600;
                    return ((reservoir + 0.05 * (1e7 - reservoir) - 100_000) / 1e6) * p("xray.tracesMillion");
                },
            ],
            ["production", "Record:api-lb-cert-validation", () => (1000 / 1e6) * p("route53.queriesMillion")],
            ["production", "api-lb-alias", () => 0],
        ];
        for (const [stack, name, expected] of cases) {
            it(`${stack} ${name}`, () => close(monthly(one(est(stack), name)), expected(), `${stack} ${name}`));
        }

        it("covers every priced type of both stacks", () => {
            const covered = new Set(cases.map(([stack, name]) => one(est(stack), name).type));
            for (const e of [staging, production])
                for (const r of e.resources.filter((x) => x.status === "priced"))
                    assert.ok(covered.has(r.type), `no hand computation for ${r.type}`);
        });

        it("the hand computations use the stacks' usage files", () => {
            assert.equal(prodUsage.requestsPerMonth, 1e7);
            assert.equal(stagingUsage.dbServerlessAverageAcu, 0.5);
        });
    });

    it("keeps fixed and usage-driven cost apart and totals them", () => {
        for (const e of [staging, production]) {
            const fixed = e.resources.reduce((s, r) => s + r.fixedUsd, 0);
            const usage = e.resources.reduce((s, r) => s + r.usageUsd, 0);
            close(e.fixedUsd, Math.round(fixed * 100) / 100, "fixed");
            close(e.totalUsd, Math.round((fixed + usage) * 100) / 100, "total");
            assert.ok(
                e.resources.every((r) => r.lines.every((l) => (l.kind === "usage") === (l.assumption !== undefined))),
            );
        }
        assert.equal(one(production, "database-instance-1").lines[0].kind, "fixed");
        assert.equal(one(staging, "database-instance-1").lines[0].kind, "usage");
    });

    it("lists a type with no price as unpriced, not as zero, and says so in the total", () => {
        const budget = one(production, "observability-budget");
        assert.equal(budget.status, "unpriced");
        assert.equal(budget.reason, "no price model for this type");
        const unknown = production.resources.filter((r) => r.status === "unpriced").map((r) => r.type);
        assert.ok(unknown.includes("aws:budgets/budget:Budget"));
    });

    it("a price missing for the region makes the resource unpriced (wrong case) and leaves it out of the total", async () => {
        const e = await estimateStack("production", { overrides: ["dbInstanceClass=db.r6g.2xlarge"] });
        const inst = one(e, "database-instance-1");
        assert.equal(inst.status, "unpriced");
        assert.equal(inst.reason, "no price aurora.instanceHour.db.r6g.2xlarge in us-east-1");
        assert.equal(monthly(inst), 0);
        assert.equal(one(e, "database-proxy").status, "unpriced");
    });

    it("prices the DR-region resources at the DR region's prices", () => {
        assert.equal(one(production, "storage-replica").region, "us-west-2");
        assert.equal(one(production, "database-dr-vault").region, "us-west-2");
        assert.equal(one(production, "storage-uploads").region, "us-east-1");
    });

    describe("a config change changes the total by exactly the priced difference", () => {
        it("NAT OnePerAz -> Single: two NAT gateways and their EIPs (the GB processed only move)", async () => {
            const e = await estimateStack("production", { overrides: ["natGatewayStrategy=Single"] });
            assert.equal(e.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway").length, 1);
            close(
                exactTotal(production) - exactTotal(e),
                2 * H * (p("natGateway.hour") + p("publicIpv4.hour")),
                "delta",
            );
        });

        it("dbInstanceCount 3 -> 2: one instance and its two proxy vCPUs", async () => {
            const e = await estimateStack("production", { overrides: ["dbInstanceCount=2"] });
            close(
                exactTotal(production) - exactTotal(e),
                H * p("aurora.instanceHour.db.r6g.large") + 2 * H * p("rdsProxy.vcpuHour"),
                "delta",
            );
        });

        it("Fargate Spot on: the tasks above the on-demand base move to Spot at weight 3:1", async () => {
            const e = await estimateStack("production", { overrides: ["apiUseFargateSpot=true"] });
            const strategy = one(e, "api-service").lines;
            assert.ok(strategy.some((l) => l.priceKey === "fargateSpot.vcpuHour"));
            const before = one(production, "api-service");
            const after = one(e, "api-service");
            // 3 tasks, the on-demand base of 1 (API_DEFAULTS.onDemandBaseCount) first, the other 2 at FARGATE 1 : SPOT 3.
            const spotTasks = (3 - 1) * (3 / 4);
            close(
                after.lines.find((l) => l.priceKey === "fargateSpot.vcpuHour")!.quantity,
                spotTasks * 1 * H,
                "Spot vCPU-hours",
            );
            const perTask =
                H *
                (p("fargate.vcpuHour") -
                    p("fargateSpot.vcpuHour") +
                    2 * (p("fargate.gbHour") - p("fargateSpot.gbHour")));
            close(monthly(before) - monthly(after), spotTasks * perTask, "service delta");
            close(exactTotal(production) - exactTotal(e), spotTasks * perTask, "total delta");
        });
    });

    it("staging costs less than production", () => {
        assert.ok(staging.totalUsd < production.totalUsd, `${staging.totalUsd} >= ${production.totalUsd}`);
        assert.ok(staging.fixedUsd < production.fixedUsd);
    });
});
