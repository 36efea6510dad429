import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { main, USAGE } from "../../tools/policy-check";
import { baseline, KEY_ARN, withProps } from "./fixtures";

const REPO = path.join(__dirname, "..", "..");
const PRODUCTION = path.join(REPO, "policy", "config", "production.json");
const STAGING = path.join(REPO, "policy", "config", "staging.json");

function write(dir: string, name: string, content: unknown): string {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
}

/** The preview file format: inputs and state of each resource. */
const previewFile = (resources = baseline()) => ({
    resources: resources.map((r): Record<string, unknown> & { name: string; state: object } => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent ?? null,
        custom: true,
        inputs: r.props,
        state: r.props,
    })),
});

/** This Node's own message for unparsable JSON. */
function jsonError(text: string): string {
    try {
        JSON.parse(text);
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error(`${text} parses`);
}

async function run(argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("policy:check", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "policy-check-"));

    it("exits 0 on a clean resource list", async () => {
        const file = write(dir, "clean.json", previewFile());
        const result = await run(["--resources", file, "--config", PRODUCTION]);
        assert.equal(result.code, 0, result.out);
        assert.match(result.out, /Policy check passed: no violations\./);
    });

    it("exits 1 on a mandatory violation, naming the policy and resource", async () => {
        const file = write(dir, "bad.json", previewFile(withProps(baseline(), "db", { storageEncrypted: false })));
        const result = await run(["--resources", file, "--config", PRODUCTION]);
        assert.equal(result.code, 1);
        assert.match(result.out, /^rds-database-require-storage-encryption \(mandatory\): 1 violation$/m);
        assert.match(result.out, /RDS cluster "db" has storageEncrypted false; it must be true\./);
    });

    it("exits 0 on advisory violations only (staging's HTTP listener)", async () => {
        const http = withProps(baseline(), "http", { defaultActions: [{ type: "forward" }] });
        const file = write(dir, "staging.json", previewFile(http));
        const result = await run(["--resources", file, "--config", STAGING]);
        assert.equal(result.code, 0, result.out);
        assert.match(result.out, /^lb-listener-require-https \(advisory\): 1 violation$/m);
        const production = await run(["--resources", file, "--config", PRODUCTION]);
        assert.equal(production.code, 1);
    });

    it("reads a stack export", async () => {
        const exported = {
            deployment: {
                resources: withProps(baseline(), "data-key", { enableKeyRotation: false }).map((r) => ({
                    urn: r.urn,
                    type: r.type,
                    inputs: r.props,
                    outputs: r.props,
                })),
            },
        };
        const result = await run(["--resources", write(dir, "export.json", exported), "--config", PRODUCTION]);
        assert.equal(result.code, 1);
        assert.match(result.out, /KMS key "data-key" has enableKeyRotation false; it must be true\./);
    });

    it("exits 2 with one error line per problem on unreadable input or bad arguments", async () => {
        const ok = write(dir, "ok.json", previewFile());
        const cases: [string[], string[]][] = [
            [
                [],
                [
                    "error: --resources FILE is required.",
                    "error: --stack NAME or --config FILE is required: the pack's defaults are no stack's policy config.",
                    USAGE,
                ],
            ],
            [
                ["--resources"],
                [
                    "error: --resources needs a file path.",
                    "error: --stack NAME or --config FILE is required: the pack's defaults are no stack's policy config.",
                    USAGE,
                ],
            ],
            [
                ["--resources", ok],
                [
                    "error: --stack NAME or --config FILE is required: the pack's defaults are no stack's policy config.",
                    USAGE,
                ],
            ],
            [
                ["--resources", ok, "--stack", "qa"],
                [
                    'error: --stack "qa" has no policy config; stacks with one: production, production-dr, staging.',
                    USAGE,
                ],
            ],
            [
                ["--resources", ok, "--stack", "staging", "--config", PRODUCTION],
                ["error: give --stack or --config, not both.", USAGE],
            ],
            [
                ["--resources", ok, "--stack", "staging", "--verbose"],
                ['error: unknown argument "--verbose".', USAGE],
            ],
            [
                ["--resources", path.join(dir, "missing.json"), "--config", path.join(dir, "missing-config.json")],
                [
                    `error: cannot read ${path.join(dir, "missing-config.json")}: no such file.`,
                    `error: cannot read ${path.join(dir, "missing.json")}: no such file.`,
                ],
            ],
            [
                ["--resources", write(dir, "garbage.json", "{"), "--stack", "production"],
                [`error: ${path.join(dir, "garbage.json")} is not valid JSON: ${jsonError("{")}.`],
            ],
            [
                ["--resources", ok, "--config", write(dir, "cfg.json", { "no-such": "advisory" })],
                ['error: "no-such" is not a policy of this pack.'],
            ],
        ];
        for (const [argv, expected] of cases) {
            const result = await run(argv);
            assert.equal(result.code, 2, argv.join(" "));
            assert.equal(result.out, "", argv.join(" "));
            assert.deepEqual(result.err.split("\n"), expected, argv.join(" "));
        }
    });

    it("--stack picks that stack's policy config", async () => {
        const file = write(
            dir,
            "http.json",
            previewFile(withProps(baseline(), "http", { defaultActions: [{ type: "forward" }] })),
        );
        const staging = await run(["--resources", file, "--stack", "staging"]);
        assert.equal(staging.code, 0, staging.out);
        assert.match(staging.out, /^lb-listener-require-https \(advisory\): 1 violation$/m);
        const production = await run(["--resources", file, "--stack", "production"]);
        assert.equal(production.code, 1, production.out);
        assert.match(production.out, /^lb-listener-require-https \(mandatory\): 1 violation$/m);
    });

    it("--help prints the usage and exits 0", async () => {
        const result = await run(["--help"]);
        assert.deepEqual([result.code, result.out, result.err], [0, USAGE, ""]);
    });

    it("--first-preview: what derives from another resource's ARN can't run (advisory), never a violation", async () => {
        const doc = previewFile();
        const key = doc.resources.find((r) => r.name === "data-key")!;
        Object.assign(key, { id: "key-1", state: { ...key.state, arn: KEY_ARN } });
        const file = write(dir, "first.json", doc);
        const known = await run(["--resources", file, "--stack", "production"]);
        assert.equal(known.code, 0, known.out);
        assert.doesNotMatch(known.out, /can't run/);
        const first = await run(["--resources", file, "--stack", "production", "--first-preview"]);
        assert.equal(first.code, 0, first.out);
        assert.match(
            first.out,
            /^ {2}- can't run policy 'rds-database-require-storage-encryption' from policy pack 'migration-api-guardrails@v0\.1\.0' during preview: string value at \.kmsKeyId can't be known during preview \(urn:pulumi:production::migration-api::aws:rds\/cluster:Cluster::db\)$/m,
        );
        assert.match(first.out, /^Policy check passed: no violations\.$/m);
        // A break that derives from nothing unknown is still a violation in a first preview.
        const broken = write(
            dir,
            "first-bad.json",
            previewFile(withProps(baseline(), "api-logs", { retentionInDays: 0 })),
        );
        const bad = await run(["--resources", broken, "--stack", "production", "--first-preview"]);
        assert.equal(bad.code, 1, bad.out);
        assert.match(bad.out, /^cloudwatch-log-group-configure-retention \(mandatory\): 1 violation$/m);
    });

    it("sets the process exit code when run as a command", function () {
        this.timeout(60000);
        const file = write(dir, "cli-bad.json", previewFile(withProps(baseline(), "api-logs", { retentionInDays: 0 })));
        const bad = spawnSync(
            process.execPath,
            ["--require", "tsx/cjs", "tools/policy-check.ts", "--resources", file, "--config", PRODUCTION],
            {
                cwd: REPO,
                encoding: "utf8",
            },
        );
        assert.equal(bad.status, 1, bad.stderr);
        assert.match(bad.stdout, /cloudwatch-log-group-configure-retention \(mandatory\)/);
        const unreadable = spawnSync(
            process.execPath,
            ["--require", "tsx/cjs", "tools/policy-check.ts", "--resources", "nope.json", "--stack", "staging"],
            {
                cwd: REPO,
                encoding: "utf8",
            },
        );
        assert.equal(unreadable.status, 2);
        assert.equal(unreadable.stderr.trim().split("\n").length, 1, unreadable.stderr);
    });
});
