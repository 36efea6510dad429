import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { main } from "../../tools/policy-check";
import { baseline, withProps } from "./fixtures";

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
    resources: resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent ?? null,
        custom: true,
        inputs: r.props,
        state: {},
    })),
});

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
                    inputs: {},
                    outputs: r.props,
                })),
            },
        };
        const result = await run(["--resources", write(dir, "export.json", exported), "--config", PRODUCTION]);
        assert.equal(result.code, 1);
        assert.match(result.out, /KMS key "data-key" has enableKeyRotation false; it must be true\./);
    });

    it("exits 2 with a one-line message on unreadable input or bad arguments", async () => {
        const cases: [string[], RegExp][] = [
            [[], /^policy:check: --resources FILE is required\.$/m],
            [["--resources"], /^policy:check: --resources needs a file path\.$/m],
            [["--resources", "x", "--stack", "production"], /^policy:check: unknown argument "--stack"\.$/m],
            [
                ["--resources", path.join(dir, "missing.json")],
                /^policy:check: cannot read .*missing\.json: no such file\.$/,
            ],
            [["--resources", write(dir, "garbage.json", "{")], /^policy:check: .*garbage\.json is not valid JSON: /],
            [
                [
                    "--resources",
                    write(dir, "ok.json", previewFile()),
                    "--config",
                    write(dir, "cfg.json", { "no-such": "advisory" }),
                ],
                /^policy:check: "no-such" is not a policy of this pack\.$/,
            ],
        ];
        for (const [argv, message] of cases) {
            const result = await run(argv);
            assert.equal(result.code, 2, argv.join(" "));
            assert.match(result.err, message);
        }
    });

    it("sets the process exit code when run as a command", function () {
        this.timeout(60000);
        const file = write(dir, "cli-bad.json", previewFile(withProps(baseline(), "api-logs", { retentionInDays: 0 })));
        const bad = spawnSync("npx", ["tsx", "tools/policy-check.ts", "--resources", file, "--config", PRODUCTION], {
            cwd: REPO,
            encoding: "utf8",
        });
        assert.equal(bad.status, 1, bad.stderr);
        assert.match(bad.stdout, /cloudwatch-log-group-configure-retention \(mandatory\)/);
        const unreadable = spawnSync("npx", ["tsx", "tools/policy-check.ts", "--resources", "nope.json"], {
            cwd: REPO,
            encoding: "utf8",
        });
        assert.equal(unreadable.status, 2);
        assert.equal(
            unreadable.stderr
                .trim()
                .split("\n")
                .filter((l) => !l.startsWith("npm warn")).length,
            1,
        );
    });
});
