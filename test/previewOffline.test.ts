import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../tools/sim";
import { main } from "../tools/preview-offline";
import { PREVIEW_FLAGS } from "../tools/previewArgs";
import { renderReport, type PreviewDocument } from "../tools/previewReport";

async function preview(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    return previewIn(REPO_ROOT, ...argv);
}

async function previewIn(root: string, ...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, { root });
    return { code, out: out.join("\n").split("\n"), err };
}

describe("offline preview", () => {
    it("prints the stack's tree, counts and outputs, and says AWS was simulated", async () => {
        const { code, out, err } = await preview("--stack", "staging");
        assert.equal(code, 0);
        // The shipped file's example alarm address: a warning here, refused by a real preview (lib/placeholders.ts).
        assert.deepEqual(err, [
            'warning: `migration-api:alarmEmails` is a placeholder (["platform-staging-alerts@example.com"]: platform-staging-alerts@example.com is at a reserved example domain (RFC 2606)); set your own value in Pulumi.staging.yaml before deploying.',
        ]);
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
            // Custom resources also carry their checked inputs, a remote component its Construct call.
            assert.equal("checked" in resource, resource.custom);
            assert.equal("construct" in resource, resource.type === "awsx:ec2:Vpc");
            assert.deepEqual(
                Object.keys(resource)
                    .filter((k) => k !== "construct" && k !== "checked")
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

    it("stops with one error line and exit 2 when the stack's image is not in the repository", async () => {
        const { code, out, err } = await preview("--stack", "production", "--missing-image", "0.1.0", "--quiet");
        assert.equal(code, 2);
        assert.deepEqual(out, [""]);
        const errors = err.filter((line) => line.startsWith("error:"));
        assert.equal(errors.length, 1, err.join("\n"));
        assert.match(
            errors[0],
            /^error: ApiService api: image tag "0\.1\.0" is not in ECR repository "migration-api"; push it before deploying/,
        );
    });

    it("stops with one error line and exit 2 when the stack names a repository the bootstrap did not create", async () => {
        const { code, out, err } = await preview("--stack", "staging", "--set", "apiImageRepository=nope", "--quiet");
        assert.equal(code, 2);
        assert.deepEqual(out, [""]);
        assert.deepEqual(
            err.filter((line) => line.startsWith("error:")),
            [
                'error: ApiService api: ECR repository "nope" does not exist; the bootstrap project creates it ' +
                    '(docs/gitops.md, "Bootstrap"): name the repository it created. ' +
                    "AWS said: reading ECR Repository (nope): RepositoryNotFoundException (simulated AWS)",
            ],
        );
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
            'error: unknown stack "dev": expected one of production, production-dr, staging (a Pulumi.<stack>.yaml file).',
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
        assert.match(
            unknown.err[1],
            /^usage: npm run preview:offline -- \(--stack <production\|production-dr\|staging>\.\.\. \| --all\)/,
        );
    });

    it("exits with status 2 as a real process on bad input", () => {
        const result = spawnSync(
            process.execPath,
            [
                path.join(REPO_ROOT, "tools", "launch", "cli.js"), // what npm run preview:offline runs
                "preview-offline",
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

const scratch = () => mkdtempSync(path.join(tmpdir(), "preview-"));
const SUMMARY = /^offline preview of migration-api\/([\w-]+) \(simulated AWS\): \d+ resources/;

describe("offline preview of several stacks in one process", () => {
    it("previews each named stack in its own section, in the order given", async () => {
        const { code, out, err } = await preview("--stack", "production", "--stack", "staging");
        assert.equal(code, 0);
        // Only the shipped files' placeholders, as warnings naming their stack (lib/placeholders.ts).
        assert.deepEqual(
            err.map((line) =>
                /^warning: (\w+): `migration-api:(\w+)` is a placeholder/.exec(line)?.slice(1, 3).join(" "),
            ),
            ["production domainName", "production hostedZoneId", "production alarmEmails", "staging alarmEmails"],
        );
        assert.deepEqual(
            out.filter((line) => line.startsWith("Offline preview of ")),
            ["Offline preview of migration-api/production", "Offline preview of migration-api/staging"],
        );
        const second = out.indexOf("Offline preview of migration-api/staging");
        assert.equal(out[second - 1], "", "sections are separated by a blank line");
        assert.ok(out.slice(0, second).includes("Policy pack (policy/config/production.json):"));
        assert.ok(out.slice(second).includes("Policy pack (policy/config/staging.json):"));
    });

    it("--all previews every stack file, and the exit status is the worst stack's", async () => {
        // 7 days of backups is staging's own value: production's policies require more (mandatory).
        const { code, out, err } = await preview("--all", "--quiet", "--set", "dbBackupRetentionDays=7");
        assert.equal(code, 1);
        // Nothing but the shipped files' placeholder warnings.
        assert.deepEqual(
            err.filter((line) => !/^warning: [\w-]+: `migration-api:\w+` is a placeholder/.test(line)),
            [],
        );
        assert.deepEqual(
            out.map((line) => SUMMARY.exec(line)?.[1]).filter(Boolean),
            readdirSync(REPO_ROOT)
                .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
                .filter(Boolean)
                .sort(),
        );
        assert.match(out.find((l) => l.includes("/production (")) ?? "", /, [1-9]\d* mandatory and /);
        assert.match(out.find((l) => l.includes("/staging (")) ?? "", /, 0 mandatory and /);
    });

    it("names every unknown stack among several and previews nothing", async () => {
        const { code, out, err } = await preview("--stack", "staging", "--stack", "dev", "--stack", "qa");
        assert.equal(code, 2);
        assert.deepEqual(out, [""]);
        assert.deepEqual(err, [
            'error: unknown stack "dev": expected one of production, production-dr, staging (a Pulumi.<stack>.yaml file).',
            'error: unknown stack "qa": expected one of production, production-dr, staging (a Pulumi.<stack>.yaml file).',
        ]);
    });

    it("checks every stack's config first: a value only production refuses previews nothing", async () => {
        const { code, out, err } = await preview(
            "--stack",
            "staging",
            "--stack",
            "production",
            "--set",
            "uploadsForceDestroy=true",
        );
        assert.equal(code, 2);
        assert.deepEqual(out, [""]);
        assert.deepEqual(err, [
            "error: production: `migration-api:uploadsForceDestroy` must be false in production; got true.",
        ]);
    });

    it("rejects --all together with --stack, and neither, with usage and exit 2", async () => {
        const both = await preview("--all", "--stack", "staging");
        assert.equal(both.code, 2);
        assert.equal(both.err[0], "error: use --stack or --all, not both.");
        const neither = await preview("--quiet");
        assert.equal(neither.code, 2);
        assert.equal(neither.err[0], "error: --stack or --all is required.");
    });

    it("--json takes a directory with several stacks: one file per stack", async () => {
        const dir = path.join(scratch(), "previews");
        const { code, out } = await preview("--stack", "staging", "--stack", "production-dr", "--quiet", "--json", dir);
        assert.equal(code, 0);
        for (const stack of ["staging", "production-dr"]) {
            const file = path.join(dir, `${stack}.json`);
            assert.ok(out.includes(`wrote ${file}`));
            assert.equal((JSON.parse(readFileSync(file, "utf8")) as PreviewDocument).stack, stack);
        }
    });

    it("--json takes a {stack} pattern with several stacks", async () => {
        const dir = scratch();
        const pattern = path.join(dir, "{stack}-preview.json");
        const { code } = await preview("--stack", "staging", "--stack", "production-dr", "--quiet", "--json", pattern);
        assert.equal(code, 0);
        assert.deepEqual(readdirSync(dir).sort(), ["production-dr-preview.json", "staging-preview.json"]);
    });

    it("refuses one --json file for several stacks, and writes nothing", async () => {
        const file = path.join(scratch(), "both.json");
        const { code, out, err } = await preview("--all", "--json", file);
        assert.equal(code, 2);
        assert.deepEqual(out, [""]);
        assert.deepEqual(err, [
            `error: --json with several stacks takes a directory or a pattern with {stack} (one file per stack); got ${JSON.stringify(file)}.`,
        ]);
        assert.equal(existsSync(file), false);
    });
});

describe("offline preview: bad files exit 2 with one line and no stack trace", () => {
    it("names a stack file that is not valid YAML", async () => {
        const root = scratch();
        copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
        writeFileSync(path.join(root, "Pulumi.staging.yaml"), "config:\n  aws:region: us-east-1: oops\n");
        const { code, out, err } = await previewIn(root, "--stack", "staging");
        assert.equal(code, 2);
        assert.deepEqual(out, [""]);
        assert.deepEqual(err, [
            "error: Pulumi.staging.yaml is not valid YAML: Nested mappings are not allowed in compact mappings at line 2, column 15.",
        ]);
    });

    it("names a --json file it cannot write, and prints nothing as if it worked", async () => {
        const notADirectory = path.join(scratch(), "file");
        writeFileSync(notADirectory, "");
        const target = path.join(notADirectory, "staging.json");
        const { code, out, err } = await preview("--stack", "staging", "--quiet", "--json", target);
        assert.equal(code, 2);
        assert.deepEqual(out, [""]);
        assert.equal(err.length, 1);
        assert.match(err[0], new RegExp(`^error: cannot write ${JSON.stringify(target)}: E\\w+: .+\\.$`));
    });
});

describe("offline preview report", () => {
    it("lists only the outputs that are set: never prints undefined", () => {
        const text = renderReport({
            project: "migration-api",
            stack: "staging",
            resources: [],
            outputs: { region: "us-east-1", proxyEndpoint: undefined, azs: ["us-east-1a"] },
            warnings: [],
        });
        const outputs = text.split("\n").slice(text.split("\n").indexOf("Stack outputs:") + 1);
        assert.deepEqual(outputs, ['  azs     ["us-east-1a"]', "  region  us-east-1"]);
    });
});

describe("offline preview documentation", () => {
    it("the README's flag table lists exactly the tool's flags", () => {
        const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        const section = readme.slice(
            readme.indexOf("### The offline preview"),
            readme.indexOf("### Tests and benchmark"),
        );
        const documented = [...section.matchAll(/^\| `--([\w-]+)/gm)].map((m) => m[1]);
        assert.deepEqual(documented.sort(), Object.keys(PREVIEW_FLAGS).sort());
    });
});
