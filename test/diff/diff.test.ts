import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { diffStack, main } from "../../tools/diff";
import { loadPrices } from "../../tools/cost/prices";
import { compareRuns, ResourceDiff } from "../../tools/diff/compare";
import { FORCE_NEW, STATEFUL_TYPES } from "../../tools/diff/forceNew";
import { checkoutRevision, Revision, runTree } from "../../tools/diff/revision";
import { REPO_ROOT, runStack, StackRun } from "../../tools/sim";

function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (...l: string[]) => out.push(...l), err: (t: string) => err.push(t) }, out, err };
}
const find = (diffs: ResourceDiff[], name: string, type?: string) =>
    diffs.find((d) => d.name === name && (!type || d.type === type));
const programClean = () => {
    try {
        execFileSync(
            "git",
            [
                "diff",
                "--quiet",
                "HEAD",
                "--",
                "index.ts",
                "config.ts",
                "components",
                "lib",
                "Pulumi.yaml",
                "Pulumi.production.yaml",
            ],
            { cwd: REPO_ROOT },
        );
        return true;
    } catch {
        return false;
    }
};

describe("npm run diff", function () {
    this.timeout(180_000);
    let revision: Revision;
    let base: StackRun;
    before(async () => {
        // The program at HEAD, run from a checkout in a temporary folder (the --base path).
        revision = checkoutRevision("HEAD");
        base = await runTree(revision.root, "production");
    });
    after(() => revision?.dispose());

    it("changing dbName replaces the cluster, names the property, and `pulumi up` refuses it (protected)", async () => {
        const diffs = compareRuns(base, await runStack("production", { overrides: ["dbName=orders"] }));
        const cluster = find(diffs, "database-cluster")!;
        assert.equal(cluster.op, "replace");
        assert.deepEqual(cluster.replacedBy, ["databaseName"]);
        assert.deepEqual(cluster.changes[0], {
            path: "databaseName",
            old: "migrations",
            new: "orders",
            forcesReplacement: true,
        });
        assert.equal(cluster.stateful, true);
        assert.equal(cluster.refused, true);
        // Its instances name the cluster by identifier, which is ForceNew on an instance.
        const instance = find(diffs, "database-instance-1")!;
        assert.equal(instance.op, "replace");
        assert.deepEqual(instance.replacedBy, ["clusterIdentifier"]);
        assert.equal(instance.changes[0].viaReplacementOf, "database-cluster");
    });

    it("changing the cluster's KMS key replaces the cluster (kmsKeyId is ForceNew)", async () => {
        const now = await runStack("production");
        const logsKey = now.resources.find((r) => r.name === "logs-key" && r.type === "aws:kms/key:Key")!;
        // The same program with the cluster pointed at another key.
        const moved: StackRun = {
            ...now,
            resources: now.resources.map((r) =>
                r.name === "database-cluster" ? { ...r, inputs: { ...r.inputs, kmsKeyId: logsKey.state.arn } } : r,
            ),
        };
        const cluster = find(compareRuns(base, moved), "database-cluster")!;
        assert.equal(cluster.op, "replace");
        assert.deepEqual(cluster.replacedBy, ["kmsKeyId"]);
        assert.deepEqual(cluster.changes[0], {
            path: "kmsKeyId",
            old: "<database-key-key.arn>",
            new: "<logs-key.arn>",
            forcesReplacement: true,
        });
    });

    it("changing apiImageTag makes new task definitions and changes the service, replacing nothing stateful", async () => {
        const diffs = compareRuns(base, await runStack("production", { overrides: ["apiImageTag=0.2.0"] }));
        assert.deepEqual(
            diffs.map((d) => `${d.op} ${d.name}`),
            ["replace api-migrate", "replace api-task", "update api-service"],
        );
        const task = find(diffs, "api-task")!;
        assert.deepEqual(task.replacedBy, ["containerDefinitions"]);
        // The image is looked up and run by digest (components/api/image.ts): another tag, another digest.
        const image = task.changes[0];
        assert.equal(image.path, "containerDefinitions[0].image");
        assert.equal(image.forcesReplacement, true);
        const byDigest = /^\d{12}\.dkr\.ecr\.us-east-1\.amazonaws\.com\/migration-api@sha256:[0-9a-f]{64}$/;
        assert.match(String(image.old), byDigest);
        assert.match(String(image.new), byDigest);
        assert.notEqual(image.old, image.new);
        assert.equal(find(diffs, "api-service")!.changes[0].path, "taskDefinition");
        assert.ok(diffs.every((d) => !(d.stateful && d.op !== "update")));
    });

    it("an unchanged tree shows no changes and no cost difference", async function () {
        if (!programClean()) this.skip(); // the working tree has uncommitted program changes
        const c = capture();
        assert.equal(await main(["--stack", "production", "--base", "HEAD"], c.io), 0);
        assert.match(
            c.out.join("\n"),
            /against HEAD \([0-9a-f]{7}\), simulated AWS:\n\nNo changes\.\n\nMonthly cost: \$([\d,.]+) -> \$\1 \(\+\$0\.00\)$/,
        );
    });

    it("a removed protected resource is refused by `pulumi up`, and the cost difference is its price", async () => {
        const report = await diffStack("production", { base: "HEAD", overrides: ["dbInstanceCount=2"] });
        const third = find(report.resources, "database-instance-3")!;
        assert.equal(third.op, "delete");
        assert.equal(third.refused, true);
        const prices = loadPrices().regions["us-east-1"];
        const perResource = Object.fromEntries(report.cost.perResource.map((r) => [r.name, r.deltaUsd]));
        assert.ok(
            Math.abs(perResource["database-instance-3"] + 730 * prices["aurora.instanceHour.db.r6g.large"].usd) < 1e-9,
        );
        assert.ok(Math.abs(perResource["database-proxy"] + 2 * 730 * prices["rdsProxy.vcpuHour"].usd) < 1e-9);
        assert.deepEqual(Object.keys(perResource).sort(), ["database-instance-3", "database-proxy"]);
        const fewer = compareRuns(await runStack("production", { overrides: ["dbInstanceCount=2"] }), base);
        assert.equal(find(fewer, "database-instance-3")!.op, "create");
        assert.equal(find(fewer, "database-instance-3")!.refused, false);
    });

    const bad: [string, string[], RegExp][] = [
        [
            "a bad ref",
            ["--stack", "staging", "--base", "no-such-branch"],
            /^error: unknown git ref "no-such-branch": not a commit of /,
        ],
        [
            "a missing stack",
            ["--stack", "qa", "--base", "HEAD"],
            /^error: unknown stack "qa": expected one of production, production-dr, staging/,
        ],
        ["a missing --stack", ["--base", "HEAD"], /^error: --stack is required\.$/],
        [
            "both --base and --against",
            ["--stack", "staging", "--base", "HEAD", "--against", "production"],
            /^error: give exactly one of --base/,
        ],
        [
            "an unreadable usage file",
            ["--stack", "staging", "--base", "HEAD", "--usage", "/nonexistent/usage.json"],
            /^error: cannot read the usage file \/nonexistent\/usage\.json: ENOENT/,
        ],
    ];
    for (const [what, argv, message] of bad) {
        it(`exits 2 with one error line on ${what}`, async () => {
            const c = capture();
            assert.equal(await main(argv, c.io), 2);
            assert.match(c.err[0], message);
            assert.equal(c.err.filter((l) => l.startsWith("error:")).length, 1);
            assert.deepEqual(c.out, []);
        });
    }
});

describe("the ForceNew table", () => {
    it("has an entry, citing provider source, for exactly the resource types the stacks declare (and bootstrap, awsx children)", async function () {
        this.timeout(60_000);
        const used = new Set<string>();
        for (const stack of ["staging", "production"])
            for (const r of (await runStack(stack)).resources)
                if (r.custom && !r.type.startsWith("pulumi:providers:")) used.add(r.type);
        const bootstrapAndAwsx = [
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
            "aws:ecr/repository:Repository",
            "aws:ecr/lifecyclePolicy:LifecyclePolicy",
            "aws:ec2/vpc:Vpc",
            "aws:ec2/subnet:Subnet",
            "aws:ec2/routeTable:RouteTable",
            "aws:ec2/route:Route",
            "aws:ec2/routeTableAssociation:RouteTableAssociation",
            "aws:ec2/internetGateway:InternetGateway",
            "aws:ec2/natGateway:NatGateway",
            "aws:ec2/eip:Eip",
        ];
        for (const type of used) assert.ok(FORCE_NEW[type], `no ForceNew entry for ${type}`);
        for (const type of Object.keys(FORCE_NEW))
            assert.ok(used.has(type) || bootstrapAndAwsx.includes(type), `${type} is not used by the program`);
        for (const [type, entry] of Object.entries(FORCE_NEW)) {
            assert.match(
                entry.source,
                /^(internal\/service\/[a-z0-9]+\/[a-z0-9_]+\.go|hashicorp\/terraform-provider-random )/,
                type,
            );
            if (entry.verified) assert.match(String(entry.read), /^[0-9a-f]{40}$/, type);
        }
        for (const type of STATEFUL_TYPES)
            assert.equal(FORCE_NEW[type].verified, type !== "aws:s3/bucket:Bucket", type);
    });
});
