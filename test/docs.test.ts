import * as assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { schema as bootstrapSchema } from "../bootstrap/config";
import { apiAlarmDefinitions } from "../components/observability";
import { schema } from "../config";
import { REPO_ROOT, runStack } from "../tools/sim";

/*
 * The runbooks, docs/gitops.md, the workflows and tools/ci name stack outputs, config keys, npm
 * scripts and files. Each must exist, or a command copied during an incident fails. Outputs
 * are read from the programs' `export const`s, config keys from the `schema`s.
 */

const read = (relative: string) => readFileSync(path.join(REPO_ROOT, relative), "utf8");

function filesUnder(relative: string, pattern: RegExp): string[] {
    const dir = path.join(REPO_ROOT, relative);
    return readdirSync(dir).flatMap((entry) => {
        const child = path.posix.join(relative, entry);
        if (statSync(path.join(dir, entry)).isDirectory()) return filesUnder(child, pattern);
        return pattern.test(entry) ? [child] : [];
    });
}

/** `export const name` of a program's entry point: its stack outputs. */
export function exportedOutputs(source: string): Set<string> {
    return new Set([...source.matchAll(/^export const (\w+)/gm)].map((m) => m[1]));
}

export interface StackOutputReference {
    readonly name: string;
    /** The command runs in the bootstrap project (`cd bootstrap` earlier in its block). */
    readonly bootstrap: boolean;
}

/**
 * The output names of every `pulumi stack output ...` command in `text`. A command ends at
 * `)`, `|`, `;`, `&&`, a backtick or the end of the line; flags (`--stack <s>`, `-s <s>`,
 * `--json`, `--show-secrets`) are skipped; a command without a name reads every output.
 * Code blocks (and files) that `cd bootstrap` refer to the bootstrap project's outputs.
 */
export function stackOutputReferences(text: string): StackOutputReference[] {
    const blocks = text.split(/^```/m);
    return blocks.flatMap((block) => {
        const bootstrap = /\bcd bootstrap\b/.test(block);
        return [...block.matchAll(/\bpulumi stack output\b([^\n)|;`&]*)/g)].flatMap((m) => {
            const tokens = m[1].trim().split(/\s+/).filter(Boolean);
            for (let i = 0; i < tokens.length; i++) {
                if (tokens[i] === "--stack" || tokens[i] === "-s") i++;
                else if (!tokens[i].startsWith("-")) return [{ name: tokens[i], bootstrap }];
            }
            return [];
        });
    });
}

/**
 * Config keys of `project` named as `<project>:<key>`, and with `bare`, also keys without a
 * namespace in `pulumi config get|set|rm <key>` (which Pulumi reads as the current project's).
 */
export function configKeyReferences(text: string, project: string, bare = false): string[] {
    const escaped = project.replace(/[-/\\^$*+?.()|[\]{}]/g, "\\$&");
    const namespaced = [...text.matchAll(new RegExp(`(?<![\\w-])${escaped}:(\\w+)`, "g"))].map((m) => m[1]);
    const unqualified = bare
        ? [...text.matchAll(/\bpulumi config (?:get|set|rm)\s+(?:--\S+\s+)*([A-Za-z]\w*)(?=\s|$|")/g)].map((m) => m[1])
        : [];
    return [...namespaced, ...unqualified];
}

/** GitHub's anchor of a Markdown heading. */
export function headingAnchor(heading: string): string {
    return heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

/** The stack outputs the program declares (stack.ts), read off a real run of the production stack. */
let mainOutputs = new Set<string>();
let mainRun: Promise<void> | undefined;
function loadMainOutputs(): Promise<void> {
    mainRun ??= runStack("production").then((run) => {
        mainOutputs = new Set(Object.keys(run.outputs));
    });
    return mainRun;
}
const bootstrapOutputs = exportedOutputs(read("bootstrap/index.ts"));
const configKeys = new Set(Object.keys(schema));
const bootstrapKeys = new Set(Object.keys(bootstrapSchema));
const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);

const docFiles = filesUnder("docs", /\.md$/);
const checkedFiles = [...docFiles, ...filesUnder(".github", /\.ya?ml$/), ...filesUnder("tools/ci", /\.sh$/)];

describe("docs, workflows and CI scripts", () => {
    before(loadMainOutputs);

    it("are found", () => {
        assert.ok(docFiles.includes("docs/gitops.md"));
        assert.ok(docFiles.includes("docs/runbooks/alarms.md"));
        assert.ok(checkedFiles.includes(".github/workflows/deploy-stack.yml"));
        assert.ok(checkedFiles.includes("tools/ci/run-migration.sh"));
        assert.ok(mainOutputs.has("url") && mainOutputs.has("dashboardUrl"), "stack outputs read");
        assert.ok(bootstrapOutputs.has("backendUrl"), "bootstrap/index.ts exports parsed");
    });

    for (const file of checkedFiles) {
        describe(file, () => {
            const text = read(file);

            it("reads only stack outputs the program exports", () => {
                const missing = stackOutputReferences(text)
                    .filter((ref) => !(ref.bootstrap ? bootstrapOutputs : mainOutputs).has(ref.name))
                    .map((ref) => `${ref.bootstrap ? "bootstrap " : ""}${ref.name}`);
                assert.deepEqual(missing, [], `${file} reads outputs that do not exist`);
            });

            it("names only config keys of the schemas", () => {
                const bootstrap = /\bcd bootstrap\b/.test(text);
                const unknown = [
                    ...configKeyReferences(text, "migration-api-bootstrap").filter((k) => !bootstrapKeys.has(k)),
                    ...configKeyReferences(text, "migration-api", true).filter(
                        (k) => !configKeys.has(k) && !(bootstrap && bootstrapKeys.has(k)),
                    ),
                ];
                assert.deepEqual(unknown, [], `${file} names config keys that do not exist`);
            });

            it("runs only npm scripts and repository files that exist", () => {
                const npm = [...text.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1]);
                assert.deepEqual(
                    npm.filter((s) => !scripts.includes(s)),
                    [],
                    `${file} runs unknown npm scripts`,
                );
                const paths = [...text.matchAll(/(?<![\w/.-])((?:tools|policy|docs|bootstrap)\/[\w./-]*\w)/g)]
                    .map((m) => m[1])
                    .filter((p) => !p.includes("$") && !p.includes("<"));
                assert.deepEqual(
                    paths.filter((p) => !existsSync(path.join(REPO_ROOT, p))),
                    [],
                    `${file} names files that do not exist`,
                );
            });
        });
    }

    for (const file of docFiles) {
        it(`${file}: relative links point at existing files and headings`, () => {
            const text = read(file);
            const broken = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
                .map((m) => m[1])
                .filter((link) => !/^[a-z]+:/.test(link))
                .filter((link) => {
                    const [target, anchor] = link.split("#");
                    const resolved = target === "" ? file : path.posix.join(path.posix.dirname(file), target);
                    if (!existsSync(path.join(REPO_ROOT, resolved))) return true;
                    if (anchor === undefined) return false;
                    const headings = [...read(resolved).matchAll(/^#{1,6} (.+)$/gm)].map((m) => headingAnchor(m[1]));
                    return !headings.includes(anchor);
                });
            assert.deepEqual(broken, [], `${file} has broken links`);
        });
    }

    it('docs/runbooks/README.md lists only real outputs under "Stack outputs used here"', () => {
        const text = read("docs/runbooks/README.md");
        const list = /Stack outputs used here:([^]*?)\.\n/.exec(text);
        assert.ok(list, "the list is there");
        const names = [...list[1].matchAll(/`(\w+)`/g)].map((m) => m[1]);
        assert.ok(names.length >= 10);
        assert.deepEqual(
            names.filter((n) => !mainOutputs.has(n)),
            [],
        );
        const used = new Set(
            docFiles
                .filter((f) => f.startsWith("docs/runbooks/"))
                .flatMap((f) => stackOutputReferences(read(f)).filter((r) => !r.bootstrap))
                .map((r) => r.name),
        );
        assert.deepEqual(
            [...used].filter((n) => !names.includes(n)),
            [],
            "every output a runbook reads is listed",
        );
    });

    it("docs/runbooks/alarms.md has a row for every alarm the Observability component creates", () => {
        const text = read("docs/runbooks/alarms.md");
        const keys = apiAlarmDefinitions(
            {
                loadBalancerArnSuffix: "app/lb/1",
                targetGroupArnSuffix: "targetgroup/tg/1",
                ecsClusterName: "c",
                ecsServiceName: "s",
                dbClusterIdentifier: "db",
                applicationMetricNamespace: "ns",
                applicationErrorMetricName: "m",
            },
            {
                evaluationPeriods: 1,
                http5xxRatePercent: 1,
                minRequestsPerMinuteForRate: 1,
                latencyP95ThresholdMs: 1,
                latencyP99ThresholdMs: 1,
                minHealthyHosts: 1,
                ecsCpuThresholdPercent: 1,
                ecsMemoryThresholdPercent: 1,
                dbCpuThresholdPercent: 1,
                dbConnectionsThresholdPercent: 1,
                dbMaxConnections: 1,
                dbReplicaLagThresholdMs: 1,
                dbFreeableMemoryThresholdMiB: 1,
                dbFreeLocalStorageThresholdMiB: 1,
                appErrorThresholdPer5Minutes: 1,
            },
        ).map((d) => d.key);
        const rows = text.split("\n").filter((line) => line.startsWith("| `"));
        assert.deepEqual(
            [...keys, "api-down"].filter((key) => !rows.some((row) => row.includes(`\`${key}\``))),
            [],
        );
    });
});

describe("doc reference parsers (test helpers)", () => {
    before(loadMainOutputs);

    it("finds output names after flags and stops at the end of the command", () => {
        const refs = stackOutputReferences(
            [
                'curl "$(pulumi stack output url --stack "$STACK")/health"',
                'X="$(pulumi stack output --stack production drBackupVaultArn | cut -d: -f7)"',
                'all="$(pulumi stack output --stack "$stack" --json)"',
                "```bash\ncd bootstrap\npulumi stack output backendUrl\n```",
            ].join("\n"),
        );
        assert.deepEqual(refs, [
            { name: "url", bootstrap: false },
            { name: "drBackupVaultArn", bootstrap: false },
            { name: "backendUrl", bootstrap: true },
        ]);
    });

    it("rejects an output the program does not export", () => {
        const refs = stackOutputReferences('VAULT="$(pulumi stack output drBackupVaultName --stack production)"');
        assert.deepEqual(
            refs.filter((r) => !mainOutputs.has(r.name)).map((r) => r.name),
            ["drBackupVaultName"],
        );
    });

    it("finds namespaced and bare config keys, not other projects' keys", () => {
        assert.deepEqual(
            configKeyReferences(
                [
                    "pulumi config set migration-api:dbRestoreToTime latest",
                    'pulumi config get apiImageTag --stack "$stack"',
                    "pulumi config set migration-api-bootstrap:githubOwner example-org",
                    "alias/migration-api-staging-pulumi",
                ].join("\n"),
                "migration-api",
                true,
            ),
            ["dbRestoreToTime", "apiImageTag"],
        );
        assert.ok(!configKeys.has("dbSnapshotToRestore"));
    });

    it("makes GitHub's heading anchors", () => {
        assert.equal(headingAnchor("Latency p95 / p99"), "latency-p95--p99");
        assert.equal(
            headingAnchor("2. Set the restore config, review the preview"),
            "2-set-the-restore-config-review-the-preview",
        );
        assert.equal(headingAnchor("Bootstrap (once per AWS account)"), "bootstrap-once-per-aws-account");
    });
});
