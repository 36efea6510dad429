import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../tools/sim";
import { main } from "../tools/preview-offline";
import type { PreviewDocument } from "../tools/previewReport";

async function preview(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join("\n").split("\n"), err };
}

describe("offline preview", () => {
    it("prints the stack's tree, counts and outputs, and says AWS was simulated", async () => {
        const { code, out, err } = await preview("--stack", "staging");
        assert.equal(code, 0);
        assert.deepEqual(err, []);
        assert.equal(out[0], "Offline preview of migration-api/staging");
        assert.equal(
            out[1],
            "Ran the real program against SIMULATED AWS responses: a preflight, not `pulumi preview`.",
        );
        assert.ok(out.includes("Counts by type:"));
        assert.ok(out.includes("Stack outputs:"));
        assert.ok(out.some((line) => /^ {2}environment +staging$/.test(line)));
    });

    it("writes the --json document with every resource and the outputs", async () => {
        const file = path.join(mkdtempSync(path.join(tmpdir(), "preview-")), "staging.json");
        const { code, out } = await preview("--stack", "staging", "--json", file, "--quiet");
        assert.equal(code, 0);
        assert.equal(out[out.length - 1], `wrote ${file}`);
        const doc = JSON.parse(readFileSync(file, "utf8")) as PreviewDocument;
        assert.equal(doc.project, "migration-api");
        assert.equal(doc.stack, "staging");
        assert.equal(doc.outputs.environment, "staging");
        for (const resource of doc.resources) {
            // A remote component also carries its Construct call.
            assert.deepEqual(
                Object.keys(resource)
                    .filter((k) => k !== "construct")
                    .sort(),
                [
                    "custom",
                    "dependencies",
                    "id",
                    "inputs",
                    "name",
                    "parent",
                    "protect",
                    "retainOnDelete",
                    "state",
                    "type",
                    "urn",
                ],
            );
        }
    });

    it("applies --set overrides as a what-if", async () => {
        const file = path.join(mkdtempSync(path.join(tmpdir(), "preview-")), "whatif.json");
        const { code } = await preview(
            "--stack",
            "staging",
            "--set",
            "aws:region=eu-west-1",
            "--json",
            file,
            "--quiet",
        );
        assert.equal(code, 0);
        assert.equal((JSON.parse(readFileSync(file, "utf8")) as PreviewDocument).outputs.region, "eu-west-1");
    });

    it("rejects an unknown stack with one line and exit 2", async () => {
        const { code, out, err } = await preview("--stack", "dev");
        assert.equal(code, 2);
        assert.deepEqual(out, [""]);
        assert.deepEqual(err, [
            'error: unknown stack "dev": expected one of production, staging (a Pulumi.<stack>.yaml file).',
        ]);
    });

    it("rejects bad config with one line per problem and exit 2", async () => {
        const { code, out, err } = await preview(
            "--stack",
            "production",
            "--set",
            "dbBackupRetentionDays=90",
            "--set",
            "natGatewayStrategy=Many",
        );
        assert.equal(code, 2);
        assert.deepEqual(out, [""]);
        assert.deepEqual(
            err,
            [
                '`migration-api:natGatewayStrategy` must be one of Single, OnePerAz; got "Many".',
                "`migration-api:dbBackupRetentionDays` must be an integer from 1 to 35; got 90.",
            ].map((line) => `error: ${line}`),
        );
    });

    it("rejects a malformed --set and unknown flags with usage and exit 2", async () => {
        const malformed = await preview("--stack", "staging", "--set", "novalue");
        assert.equal(malformed.code, 2);
        assert.deepEqual(malformed.err, ['error: --set expects key=value; got "novalue".']);
        const unknown = await preview("--stak", "staging");
        assert.equal(unknown.code, 2);
        assert.match(unknown.err[0], /^error: Unknown option '--stak'/);
        assert.match(unknown.err[1], /^usage: npm run preview:offline -- --stack <production\|staging>/);
    });

    it("exits with status 2 as a real process on bad input", () => {
        const result = spawnSync(
            process.execPath,
            [
                "--import",
                "tsx",
                path.join(REPO_ROOT, "tools", "preview-offline.ts"),
                "--stack",
                "staging",
                "--set",
                "vpcCidr=10.0.0.0/8",
            ],
            { cwd: REPO_ROOT, encoding: "utf8" },
        );
        assert.equal(result.status, 2);
        assert.equal(result.stdout, "");
        assert.equal(
            result.stderr,
            'error: `migration-api:vpcCidr` must be an IPv4 CIDR block with a prefix from /16 to /22 and no host bits set (e.g. "10.0.0.0/16"); got "10.0.0.0/8".\n',
        );
    });
});
