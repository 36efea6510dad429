import * as assert from "node:assert/strict";
import { describe, it } from "mocha";
import { Database, DatabaseArgs, LOGGING_PARAMETERS } from "../../../components/database";
import { ofType, settingsFor, simulate, StackRun } from "../../../tools/sim";
import { constructionError, one, runNetDb } from "../../support/netdb";

/* Issue 13: PostgreSQL logging parameters, Performance Insights on Serverless v2, Database Insights. */
const cluster = (run: StackRun) => one(run, "aws:rds/cluster:Cluster");
const instances = (run: StackRun) => ofType(run, "aws:rds/clusterInstance:ClusterInstance");
const loggingOf = (run: StackRun) =>
    (one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup").inputs.parameters as { name: string }[]).filter(
        (p) => (LOGGING_PARAMETERS as readonly string[]).includes(p.name),
    );

const baseArgs: DatabaseArgs = {
    vpcId: "vpc-1",
    isolatedSubnetIds: ["subnet-a", "subnet-b"],
    privateSubnetIds: ["subnet-c", "subnet-d"],
    availabilityZoneNames: ["us-east-1a", "us-east-1b"],
    databaseName: "migrations",
    masterUsername: "migration_admin",
    region: "us-east-1",
    logsKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-a444-555555555555",
    engineVersion: "16.6",
};

async function messageFor(args: Partial<DatabaseArgs>): Promise<string> {
    return (await constructionError(() => new Database("db", { ...baseArgs, ...args }))).message;
}

describe("Database logging parameters", () => {
    it("logs slow statements, connections, disconnections and lock waits by default, exported to the encrypted log group", async () => {
        const run = await runNetDb("production");
        assert.deepEqual(loggingOf(run), [
            { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" },
            { name: "log_connections", value: "1", applyMethod: "immediate" },
            { name: "log_disconnections", value: "1", applyMethod: "immediate" },
            { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
        ]);
        assert.deepEqual(cluster(run).inputs.enabledCloudwatchLogsExports, ["postgresql"]);
        const group = one(run, "aws:cloudwatch/logGroup:LogGroup", "db-postgresql-logs");
        assert.equal(group.inputs.kmsKeyId, run.outputs.logsKeyArn);
    });

    it("takes each value from the stack config", async () => {
        const run = await runNetDb("production", {
            "migration-api:dbLogMinDurationStatementMs": "-1",
            "migration-api:dbLogConnections": "false",
            "migration-api:dbLogDisconnections": "false",
            "migration-api:dbLogLockWaits": "false",
        });
        assert.deepEqual(
            loggingOf(run).map((p) => [p.name, (p as unknown as { value: string }).value]),
            [
                ["log_min_duration_statement", "-1"],
                ["log_connections", "0"],
                ["log_disconnections", "0"],
                ["log_lock_waits", "0"],
            ],
        );
    });

    it("refuses a duration PostgreSQL does not take", async () => {
        assert.equal(
            await messageFor({ logMinDurationStatementMs: -5 }),
            "invalid arguments for Database db:\n  - `logMinDurationStatementMs` must be an integer from -1 to 2147483647; got -5.",
        );
    });
});

describe("Database Performance Insights and Database Insights", () => {
    it("keeps staging's Serverless v2 at 0.5 ACU with Performance Insights off, in standard mode", async () => {
        const run = await runNetDb("staging");
        assert.equal(cluster(run).inputs.databaseInsightsMode, "standard");
        assert.equal(cluster(run).inputs.performanceInsightsEnabled, false);
        for (const instance of instances(run)) assert.equal(instance.inputs.performanceInsightsEnabled, false);
    });

    it("runs Performance Insights on staging's Serverless v2 from a 2 ACU minimum", async () => {
        const run = await runNetDb("staging", {
            "migration-api:dbPerformanceInsights": "true",
            "migration-api:dbServerlessMinAcu": "2",
        });
        for (const instance of instances(run)) assert.equal(instance.inputs.performanceInsightsEnabled, true);
    });

    it("refuses Performance Insights on Serverless v2 under 2 ACUs", async () => {
        assert.equal(
            await messageFor({
                instanceClass: "db.serverless",
                serverlessMinAcu: 1.5,
                performanceInsightsEnabled: true,
            }),
            "invalid arguments for Database db:\n  - `serverlessMinAcu` must be at least 2 with `performanceInsightsEnabled` on db.serverless (AWS advises 2 ACUs for Performance Insights); got 1.5. Raise it or turn Performance Insights off.",
        );
    });

    it("sets advanced mode on the cluster with Performance Insights kept 465 days everywhere", async () => {
        const run = await runNetDb("production", { "migration-api:dbDatabaseInsightsMode": "advanced" });
        const c = cluster(run);
        assert.equal(c.inputs.databaseInsightsMode, "advanced");
        assert.equal(c.inputs.performanceInsightsEnabled, true);
        assert.equal(c.inputs.performanceInsightsRetentionPeriod, 465);
        assert.equal(c.inputs.performanceInsightsKmsKeyId, run.outputs.dbKeyArn);
        for (const instance of instances(run)) {
            assert.equal(instance.inputs.performanceInsightsRetentionPeriod, 465, instance.name);
        }
    });

    it("keeps standard mode's free 7 days by default", async () => {
        const run = await runNetDb("production");
        assert.equal(cluster(run).inputs.databaseInsightsMode, "standard");
        assert.equal(cluster(run).inputs.performanceInsightsRetentionPeriod, 7);
    });

    it("refuses advanced mode without Performance Insights, and an unknown mode", async () => {
        assert.equal(
            await messageFor({ databaseInsightsMode: "advanced", performanceInsightsEnabled: false }),
            "invalid arguments for Database db:\n  - `databaseInsightsMode` advanced needs `performanceInsightsEnabled` true (AWS keeps its data 465 days); got false.",
        );
        assert.equal(
            await messageFor({ databaseInsightsMode: "premium" as "advanced" }),
            'invalid arguments for Database db:\n  - `databaseInsightsMode` must be one of standard, advanced; got "premium".',
        );
    });

    it("accepts the documented combinations", async () => {
        const run = await simulate(settingsFor("staging"), () => {
            new Database("db", { ...baseArgs, instanceClass: "db.serverless", serverlessMinAcu: 2 });
        });
        assert.equal(instances(run)[0].inputs.performanceInsightsEnabled, true);
    });
});
