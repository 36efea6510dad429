import * as assert from "node:assert/strict";
import { apiServiceArgProblems } from "../../../components";
import { namePrefix } from "../../../lib/stackArgs";
import { StackRun } from "../../../tools/sim";
import { buildStack, one, stackConfig, validApiServiceArgs } from "../../support/apiStorage";

const TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition";

interface Container {
    name: string;
    environment?: { name: string; value: string }[];
    mountPoints?: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
    readonlyRootFilesystem: boolean;
}
const containersOf = (run: StackRun, logical: string) =>
    JSON.parse(String(one(run, TASK_DEF, logical).inputs.containerDefinitions)) as Container[];
const envOf = (c: Container | undefined) => Object.fromEntries((c?.environment ?? []).map((e) => [e.name, e.value]));

describe("ApiService tracing and ECS Exec", () => {
    let production: StackRun;
    let stagingWithBoth: StackRun;
    before(async () => {
        production = await buildStack("production", { api: true });
        // ECS Exec is on in staging; tracing on too puts a second read-only container beside the API.
        stagingWithBoth = await buildStack("staging", {
            api: true,
            overrides: { "migration-api:tracingEnabled": "true" },
        });
    });

    it("reports traces under the service name the Observability sampling rule matches, at the configured rate", () => {
        const config = stackConfig("production");
        const env = envOf(containersOf(production, "api-task").find((c) => c.name === "api"));
        // Observability's sampling rule matches `tracingServiceName`, which defaults to its `namePrefix`.
        assert.equal(env.AWS_XRAY_TRACING_NAME, namePrefix(config));
        assert.equal(env.AWS_XRAY_TRACING_NAME, "migration-api-production");
        assert.equal(env.TRACING_SAMPLING_PERCENT, String(config.tracingSamplingPercent));
        assert.equal(env.AWS_XRAY_DAEMON_ADDRESS, "127.0.0.1:2000");
    });

    it("tells the X-Ray daemon its region, and keeps it read-only", () => {
        const daemon = containersOf(production, "api-task").find((c) => c.name === "xray-daemon");
        assert.ok(daemon);
        assert.equal(envOf(daemon).AWS_REGION, "us-east-1");
        assert.equal(daemon.readonlyRootFilesystem, true);
        assert.deepEqual(daemon.mountPoints, []);
    });

    it("sends no traces from the migration task, which has no daemon", () => {
        const containers = containersOf(production, "api-migrate");
        assert.deepEqual(
            containers.map((c) => c.name),
            ["api"],
        );
        const env = envOf(containers[0]);
        for (const name of ["AWS_XRAY_DAEMON_ADDRESS", "AWS_XRAY_TRACING_NAME", "TRACING_SAMPLING_PERCENT"]) {
            assert.equal(env[name], undefined, name);
        }
    });

    it("gives every read-only container its own writable ECS Exec agent directories", () => {
        const taskDef = one(stagingWithBoth, TASK_DEF, "api-task");
        assert.deepEqual(taskDef.inputs.volumes, [
            { name: "tmp" },
            { name: "ssm-lib" },
            { name: "ssm-log" },
            { name: "migrate-ssm-lib" },
            { name: "migrate-ssm-log" },
            { name: "xray-daemon-ssm-lib" },
            { name: "xray-daemon-ssm-log" },
        ]);
        const containers = containersOf(stagingWithBoth, "api-task");
        const mounts = (name: string) => containers.find((c) => c.name === name)?.mountPoints;
        assert.deepEqual(mounts("api"), [
            { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
            { sourceVolume: "ssm-lib", containerPath: "/var/lib/amazon", readOnly: false },
            { sourceVolume: "ssm-log", containerPath: "/var/log/amazon", readOnly: false },
        ]);
        assert.deepEqual(mounts("migrate"), [
            { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
            { sourceVolume: "migrate-ssm-lib", containerPath: "/var/lib/amazon", readOnly: false },
            { sourceVolume: "migrate-ssm-log", containerPath: "/var/log/amazon", readOnly: false },
        ]);
        assert.deepEqual(mounts("xray-daemon"), [
            { sourceVolume: "xray-daemon-ssm-lib", containerPath: "/var/lib/amazon", readOnly: false },
            { sourceVolume: "xray-daemon-ssm-log", containerPath: "/var/log/amazon", readOnly: false },
        ]);
        for (const c of containers) assert.equal(c.readonlyRootFilesystem, true, c.name);
        // The migration task has only the API container: only its agent's volumes.
        assert.deepEqual(one(stagingWithBoth, TASK_DEF, "api-migrate").inputs.volumes, [
            { name: "tmp" },
            { name: "ssm-lib" },
            { name: "ssm-log" },
        ]);
    });

    it("rejects a bad tracing service name", () => {
        const messages = apiServiceArgProblems("api", { ...validApiServiceArgs(), tracingServiceName: "" }).messages;
        assert.deepEqual(messages, ['`tracingServiceName` must be an X-Ray service name (1-200 characters); got "".']);
    });
});
