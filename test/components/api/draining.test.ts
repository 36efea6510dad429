import * as assert from "node:assert/strict";
import { apiServiceArgProblems, drainingSettings, FARGATE_MAX_STOP_TIMEOUT_SECONDS } from "../../../components";
import { RecordedResource, StackRun } from "../../../tools/sim";
import { buildStack, one, validApiServiceArgs } from "../../support/apiStorage";
import { configProblems } from "../../support/config";

const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition";

const stopTimeouts = (taskDef: RecordedResource) =>
    (JSON.parse(String(taskDef.inputs.containerDefinitions)) as { name: string; stopTimeout?: number }[])
        .filter((c) => c.name === "api")
        .map((c) => c.stopTimeout);

/** What a stop gives an upload in flight: the target group's drain, then the container's stopTimeout. */
function draining(run: StackRun) {
    return {
        deregistrationDelay: one(run, TARGET_GROUP).inputs.deregistrationDelay,
        idleTimeout: one(run, "aws:lb/loadBalancer:LoadBalancer").inputs.idleTimeout,
        apiStopTimeout: stopTimeouts(one(run, TASK_DEF, "api-task")),
        migrationStopTimeout: stopTimeouts(one(run, TASK_DEF, "api-migrate")),
    };
}

describe("Draining that fits uploads", () => {
    it("by default drains for the whole idle timeout and gives the container Fargate's 120 s after SIGTERM", async () => {
        const run = await buildStack("production", { api: true });
        assert.deepEqual(draining(run), {
            deregistrationDelay: 300,
            idleTimeout: 300,
            apiStopTimeout: [120],
            migrationStopTimeout: [120],
        });
    });

    it("follows apiRequestTimeoutSeconds: drain and stopTimeout both equal it under 120 s", async () => {
        const run = await buildStack("staging", {
            api: true,
            overrides: { "migration-api:apiRequestTimeoutSeconds": "90" },
        });
        assert.deepEqual(draining(run), {
            deregistrationDelay: 90,
            idleTimeout: 300,
            apiStopTimeout: [90],
            migrationStopTimeout: [90],
        });
    });

    it("caps stopTimeout at Fargate's 120 s while the drain takes the whole request timeout", () => {
        assert.equal(FARGATE_MAX_STOP_TIMEOUT_SECONDS, 120);
        assert.deepEqual(drainingSettings(1), { deregistrationDelaySeconds: 1, stopTimeoutSeconds: 1 });
        assert.deepEqual(drainingSettings(120), { deregistrationDelaySeconds: 120, stopTimeoutSeconds: 120 });
        assert.deepEqual(drainingSettings(121), { deregistrationDelaySeconds: 121, stopTimeoutSeconds: 120 });
        assert.deepEqual(drainingSettings(3600), { deregistrationDelaySeconds: 3600, stopTimeoutSeconds: 120 });
    });

    describe("bad input", () => {
        it("refuses a request timeout longer than the idle timeout, naming both keys", () => {
            assert.deepEqual(configProblems("production", { apiRequestTimeoutSeconds: "301" }), [
                "`migration-api:apiRequestTimeoutSeconds` must not exceed `migration-api:apiIdleTimeoutSeconds` (300); got 301.",
            ]);
            assert.deepEqual(
                configProblems("production", { apiRequestTimeoutSeconds: "600", apiIdleTimeoutSeconds: "600" }),
                [],
            );
        });

        it("refuses a request timeout outside 1-3600 s (the deregistration delay's range)", () => {
            assert.deepEqual(configProblems("staging", { apiRequestTimeoutSeconds: "0" }), [
                "`migration-api:apiRequestTimeoutSeconds` must be an integer from 1 to 3600; got 0.",
            ]);
            assert.deepEqual(
                configProblems("staging", { apiRequestTimeoutSeconds: "3601", apiIdleTimeoutSeconds: "4000" }),
                ["`migration-api:apiRequestTimeoutSeconds` must be an integer from 1 to 3600; got 3601."],
            );
        });

        it("validates the component's args together", () => {
            const messages = (change: object) =>
                apiServiceArgProblems("api", { ...validApiServiceArgs(), ...change }).messages;
            assert.deepEqual(messages({ requestTimeoutSeconds: 120, idleTimeoutSeconds: 120 }), []);
            assert.deepEqual(messages({ requestTimeoutSeconds: 121, idleTimeoutSeconds: 120 }), [
                "`requestTimeoutSeconds` must not exceed `idleTimeoutSeconds` (120): the load balancer closes a connection idle that long; got 121.",
            ]);
            assert.deepEqual(messages({ requestTimeoutSeconds: 1.5 }), [
                "`requestTimeoutSeconds` must be an integer from 1 to 3600; got 1.5.",
            ]);
        });
    });
});
