import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../tools/sim";

/**
 * tools/ci/run-migration.sh against stub `pulumi` and `aws` commands that answer from fixture
 * files and log every call, so the pre-up migration logic (image swap, exit-code check,
 * cleanup) is exercised without AWS.
 */
const SCRIPT = path.join(REPO_ROOT, "tools", "ci", "run-migration.sh");
const REPO = "123456789012.dkr.ecr.us-east-1.amazonaws.com/migration-api";
const FAMILY_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/migration-api-staging-migrate";
const DIGEST = `sha256:${"ab".repeat(32)}`;

const PULUMI_STUB = `#!/usr/bin/env bash
case "$*" in
  "stack output --stack staging --json") cat "$FIX/outputs.json" ;;
  "config get migration-api:apiImageTag --stack staging") cat "$FIX/tag" ;;
  *) echo "unexpected pulumi $*" >&2; exit 99 ;;
esac
`;
const AWS_STUB = `#!/usr/bin/env bash
line="$*"
echo "\${line//$'\\n'/ }" >> "$FIX/calls.log"
case "$1 $2" in
  "ecs describe-task-definition") cat "$FIX/taskdef.json" ;;
  "ecs register-task-definition") printf '%s' "$4" > "$FIX/registered.json"
    echo '{"taskDefinition":{"taskDefinitionArn":"${FAMILY_ARN}:8"}}' ;;
  "ecs run-task") cat "$FIX/run.json" ;;
  "ecs describe-tasks") cat "$FIX/tasks.json" ;;
  "ecs deregister-task-definition") echo '{}' ;;
  *) echo "unexpected aws $*" >&2; exit 99 ;;
esac
`;

interface Fixture {
    outputs?: Record<string, unknown>;
    tag?: string;
    exitCode?: number | null;
    runFailures?: unknown[];
}

function runScript(mode: string, fixture: Fixture) {
    const dir = mkdtempSync(path.join(tmpdir(), "run-migration-"));
    try {
        for (const [name, body] of [
            ["pulumi", PULUMI_STUB],
            ["aws", AWS_STUB],
        ]) {
            writeFileSync(path.join(dir, name), body);
            chmodSync(path.join(dir, name), 0o755);
        }
        const outputs = fixture.outputs ?? {
            migrationTaskDefinitionArn: `${FAMILY_ARN}:7`,
            clusterName: "migration-api-staging",
            privateSubnetIds: ["subnet-a", "subnet-b"],
            taskSecurityGroupId: "sg-123",
            url: "http://example",
        };
        writeFileSync(path.join(dir, "outputs.json"), JSON.stringify(outputs));
        writeFileSync(path.join(dir, "tag"), `${fixture.tag ?? "0.2.0"}\n`);
        writeFileSync(
            path.join(dir, "taskdef.json"),
            JSON.stringify({
                taskDefinition: {
                    taskDefinitionArn: `${FAMILY_ARN}:7`,
                    family: "migration-api-staging-migrate",
                    revision: 7,
                    status: "ACTIVE",
                    compatibilities: ["EC2", "FARGATE"],
                    requiresAttributes: [{ name: "ecs.capability.execution-role-awslogs" }],
                    registeredAt: "2026-01-01T00:00:00Z",
                    registeredBy: "arn:aws:sts::123456789012:assumed-role/deploy/x",
                    networkMode: "awsvpc",
                    cpu: "256",
                    memory: "512",
                    containerDefinitions: [
                        {
                            name: "migrate",
                            image: `${REPO}:0.1.0`,
                            essential: true,
                            command: ["python", "-m", "app.migrate"],
                        },
                        { name: "xray", image: "public.ecr.aws/xray/aws-xray-daemon:3.3.12", essential: false },
                    ],
                },
                tags: [{ key: "Environment", value: "staging" }],
            }),
        );
        writeFileSync(
            path.join(dir, "run.json"),
            JSON.stringify({
                tasks: [{ taskArn: "arn:aws:ecs:us-east-1:123456789012:task/c/1" }],
                failures: fixture.runFailures ?? [],
            }),
        );
        writeFileSync(
            path.join(dir, "tasks.json"),
            JSON.stringify({
                tasks: [
                    {
                        lastStatus: "STOPPED",
                        stoppedReason: "Essential container in task exited",
                        containers: [
                            { name: "migrate", exitCode: fixture.exitCode === undefined ? 0 : fixture.exitCode },
                            { name: "xray", exitCode: 143 },
                        ],
                    },
                ],
            }),
        );
        writeFileSync(path.join(dir, "github_output"), "");
        const result = spawnSync("bash", [SCRIPT, "staging", mode], {
            encoding: "utf8",
            env: {
                ...process.env,
                PATH: `${dir}:${process.env.PATH}`,
                FIX: dir,
                GITHUB_OUTPUT: path.join(dir, "github_output"),
                GITHUB_RUN_ID: "42",
                MIGRATION_POLL_SECONDS: "0",
            },
        });
        const read = (name: string) =>
            existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name), "utf8") : "";
        return {
            status: result.status,
            stdout: result.stdout,
            stderr: result.stderr,
            calls: read("calls.log").trim().split("\n").filter(Boolean),
            registered: read("registered.json")
                ? (JSON.parse(read("registered.json")) as Record<string, unknown>)
                : undefined,
            githubOutput: read("github_output"),
        };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

describe("tools/ci/run-migration.sh (stubbed pulumi and aws)", function () {
    before(function () {
        if (spawnSync("jq", ["--version"]).status !== 0) this.skip();
    });

    it("registers the deployed migration task with the commit's image, runs it, and cleans up", () => {
        const run = runScript("pre-up", { tag: "0.2.0" });
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.registered, {
            family: "migration-api-staging-migrate",
            networkMode: "awsvpc",
            cpu: "256",
            memory: "512",
            containerDefinitions: [
                { name: "migrate", image: `${REPO}:0.2.0`, essential: true, command: ["python", "-m", "app.migrate"] },
                { name: "xray", image: "public.ecr.aws/xray/aws-xray-daemon:3.3.12", essential: false },
            ],
            tags: [{ key: "Environment", value: "staging" }],
        });
        assert.deepEqual(
            run.calls.map((c) => c.split(" ").slice(0, 2).join(" ")),
            [
                "ecs describe-task-definition",
                "ecs register-task-definition",
                "ecs run-task",
                "ecs describe-tasks",
                "ecs deregister-task-definition",
            ],
        );
        const runTask = run.calls[2];
        assert.ok(runTask.includes(`--task-definition ${FAMILY_ARN}:8 `), runTask);
        assert.ok(
            runTask.includes(
                "awsvpcConfiguration={subnets=[subnet-a,subnet-b],securityGroups=[sg-123],assignPublicIp=DISABLED}",
            ),
            runTask,
        );
        assert.ok(runTask.includes("--launch-type FARGATE"), runTask);
        assert.equal(run.calls[4], `ecs deregister-task-definition --task-definition ${FAMILY_ARN}:8`);
        assert.equal(run.githubOutput, "ran=true\n");
    });

    it("pins a digest with @", () => {
        const run = runScript("pre-up", { tag: DIGEST });
        assert.equal(run.status, 0, run.stderr);
        const containers = run.registered?.containerDefinitions as { image: string }[];
        assert.equal(containers[0].image, `${REPO}@${DIGEST}`);
    });

    it("fails when the migration container exits non-zero, and still deregisters the temporary revision", () => {
        const run = runScript("pre-up", { exitCode: 3 });
        assert.equal(run.status, 1);
        assert.match(run.stderr, /migration task .* failed: Essential container in task exited/);
        assert.equal(run.calls.at(-1), `ecs deregister-task-definition --task-definition ${FAMILY_ARN}:8`);
        assert.equal(run.githubOutput, "");
    });

    it("fails when the container never ran (no exit code)", () => {
        assert.equal(runScript("pre-up", { exitCode: null }).status, 1);
    });

    it("fails when ECS cannot place the task", () => {
        const run = runScript("pre-up", { runFailures: [{ reason: "RESOURCE:ENI" }] });
        assert.equal(run.status, 1);
        assert.match(run.stderr, /run-task failed: \[\{"reason":"RESOURCE:ENI"\}\]/);
    });

    it("leaves a brand-new stack (no migration task yet) to the service's migrate-first tasks", () => {
        const run = runScript("pre-up", { outputs: {} });
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.calls, []);
        assert.equal(run.githubOutput, "ran=false\n");
        assert.match(run.stdout, /first deploy\): the service's tasks migrate before the API starts/);
    });

    it("runs the deployed task definition as is in deployed mode", () => {
        const run = runScript("deployed", {});
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.registered, undefined);
        assert.ok(
            run.calls.some((c) =>
                c.startsWith(`ecs run-task --cluster migration-api-staging --task-definition ${FAMILY_ARN}:7 `),
            ),
        );
    });

    it("rejects an unknown mode", () => {
        assert.equal(runScript("after", {}).status, 2);
    });
});
