import * as assert from "node:assert/strict";
import { describe, it } from "mocha";
import { proxyResourceId } from "../components/database";
import { parseStackConfig } from "../config";
import { readStackConfig, RecordedResource, runStack, StackRun } from "../tools/sim";
import { configProblems } from "./support/config";

/*
 * Issue 13: the API reaches the database as its own IAM-authenticated user, through the RDS Proxy
 * where the stack has one and to the writer otherwise; only the migration holds the master secret.
 */
function only(run: StackRun, type: string, name?: string): RecordedResource {
    const found = run.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    assert.equal(found.length, 1, `${type} ${name ?? ""}`);
    return found[0];
}

interface Container {
    name: string;
    environment: { name: string; value: string }[];
    secrets?: { name: string; valueFrom: string }[];
}
function container(run: StackRun, taskName: string): { env: Record<string, string>; secrets: unknown[] } {
    const td = only(run, "aws:ecs/taskDefinition:TaskDefinition", taskName);
    const api = (JSON.parse(String(td.inputs.containerDefinitions)) as Container[]).find((c) => c.name === "api");
    assert.ok(api);
    return { env: Object.fromEntries(api.environment.map((e) => [e.name, e.value])), secrets: api.secrets ?? [] };
}

function taskRoleConnect(run: StackRun): unknown {
    const policy = JSON.parse(String(only(run, "aws:iam/rolePolicy:RolePolicy", "api-roles-task").inputs.policy)) as {
        Statement: { Sid?: string; Action: unknown; Resource: unknown }[];
    };
    const connects = policy.Statement.filter((s) => JSON.stringify(s.Action).includes("rds-db:"));
    assert.equal(connects.length, 1);
    return connects[0].Resource;
}

for (const stack of ["staging", "production"] as const) {
    describe(`database access of the ${stack} stack`, () => {
        let run: StackRun;
        before(async () => {
            run = await runStack(stack);
        });
        const config = () => parseStackConfig(readStackConfig(stack).values, stack);

        it("hands the API its user, host, port, database, IAM auth and TLS settings as plain environment", () => {
            const cluster = only(run, "aws:rds/cluster:Cluster");
            const proxy = run.resources.find((r) => r.type === "aws:rds/proxy:Proxy");
            assert.equal(proxy !== undefined, config().dbProxyEnabled);
            const { env, secrets } = container(run, "api-task");
            assert.equal(env.DB_HOST, proxy ? proxy.state.endpoint : cluster.state.endpoint);
            assert.equal(env.DB_PORT, "5432");
            assert.equal(env.DB_USER, "migration_app");
            assert.equal(env.DB_NAME, "migrations");
            assert.equal(env.DB_IAM_AUTH, "true");
            assert.equal(env.DB_SSLMODE, "verify-full");
            assert.deepEqual(secrets, []);
            assert.equal(run.outputs.dbAppUsername, "migration_app");
            assert.equal(run.outputs.dbAppEndpoint, env.DB_HOST);
        });

        it("lets the task role rds-db:connect as exactly that user, on the proxy's or the cluster's resource id", () => {
            const cluster = only(run, "aws:rds/cluster:Cluster");
            const proxy = run.resources.find((r) => r.type === "aws:rds/proxy:Proxy");
            const resourceId = proxy
                ? proxyResourceId(String(proxy.state.arn))
                : String(cluster.state.clusterResourceId);
            assert.match(resourceId, proxy ? /^prx-[0-9a-f]{17}$/ : /^cluster-[0-9A-Z]{26}$/);
            assert.equal(
                taskRoleConnect(run),
                `arn:aws:rds-db:us-east-1:123456789012:dbuser:${resourceId}/migration_app`,
            );
        });

        it("gives only the migration the master secret, on the writer, and the role to create", () => {
            const cluster = only(run, "aws:rds/cluster:Cluster");
            const { env, secrets } = container(run, "api-migrate");
            assert.equal(env.DB_HOST, cluster.state.endpoint);
            assert.equal(env.DB_IAM_AUTH, "false");
            assert.equal(env.DB_APP_USER, "migration_app");
            const secretArn = run.outputs.dbMasterSecretArn;
            assert.deepEqual(secrets, [
                { name: "DB_USER", valueFrom: `${String(secretArn)}:username::` },
                { name: "DB_PASSWORD", valueFrom: `${String(secretArn)}:password::` },
            ]);
        });
    });
}

describe("database access config", () => {
    const problems = configProblems;

    it("refuses the master user as the API's user", () => {
        assert.deepEqual(problems("staging", { dbAppUsername: "migration_admin" }), [
            '`migration-api:dbAppUsername` must differ from `migration-api:dbMasterUsername`: the API never logs in as the master user; both are "migration_admin".',
        ]);
    });

    it("refuses a user name PostgreSQL would need quoting for", () => {
        assert.deepEqual(problems("staging", { dbAppUsername: "App-User" }), [
            '`migration-api:dbAppUsername` must be a lowercase identifier: a letter, then letters, digits or _; got "App-User".',
        ]);
    });

    it("requires a pinned engine in production, not in staging", () => {
        assert.deepEqual(problems("production", { dbEngineVersion: undefined }), [
            '`migration-api:dbEngineVersion` is required in production: pin the exact engine version (e.g. "16.4") so no deploy upgrades the database by surprise; got nothing.',
        ]);
        assert.deepEqual(problems("staging", { dbEngineVersion: undefined }), []);
    });

    it("refuses a pin of another major, Performance Insights under 2 ACUs and advanced mode without it", () => {
        assert.deepEqual(problems("staging", { dbEngineVersion: "15.8" }), [
            '`migration-api:dbEngineVersion` must be a 16.x version such as "16.4" (the major is `migration-api:dbEngineMajorVersion` 16); got "15.8".',
        ]);
        assert.deepEqual(problems("staging", { dbPerformanceInsights: "true" }), [
            "`migration-api:dbServerlessMinAcu` must be at least 2 with `migration-api:dbPerformanceInsights` true on db.serverless (AWS advises 2 ACUs for Performance Insights); got 0.5. Raise it or set `migration-api:dbPerformanceInsights` false.",
        ]);
        assert.deepEqual(problems("staging", { dbDatabaseInsightsMode: "advanced" }), [
            "`migration-api:dbDatabaseInsightsMode` advanced needs `migration-api:dbPerformanceInsights` true; got false.",
        ]);
        assert.deepEqual(problems("staging", { dbDatabaseInsightsMode: "full" }), [
            '`migration-api:dbDatabaseInsightsMode` must be one of standard, advanced; got "full".',
        ]);
        assert.deepEqual(problems("staging", { dbLogMinDurationStatementMs: "-2" }), [
            "`migration-api:dbLogMinDurationStatementMs` must be an integer from -1 to 2147483647; got -2.",
        ]);
    });

    it("reads a proxy's resource id from its ARN, and refuses anything else", () => {
        assert.equal(
            proxyResourceId("arn:aws:rds:us-east-1:123456789012:db-proxy:prx-0123456789abcdef0"),
            "prx-0123456789abcdef0",
        );
        assert.throws(
            () => proxyResourceId("arn:aws:rds:us-east-1:123456789012:cluster:db"),
            /^Error: not an RDS Proxy ARN: "arn:aws:rds:us-east-1:123456789012:cluster:db"$/,
        );
    });
});
