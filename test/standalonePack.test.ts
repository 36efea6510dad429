import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { evaluatePolicies, loadPolicyConfig } from "../policy/evaluator";
import { baseline, withProps } from "../policy/test/fixtures";
import { REPO_ROOT } from "../tools/sim";
import { reportDiagnostics, startPolicyServer } from "./support/policyServer";

/**
 * The pack copied out of the repository with only its own declared dependencies installed
 * (`.ci/standalone-pack`, run by `.ci/run`) starts as the CLI starts it and judges as the
 * evaluator does. Without its own `typescript`/`ts-node`, `run-policy-pack` would fall back to
 * the vendored ts-node 7 / TypeScript 3.8, which rejects the pack's tsconfig.
 */
describe("the policy pack on its own (a copy with only policy/package.json's dependencies)", function () {
    const dir = process.env.STANDALONE_PACK_DIR;

    before(function () {
        if (!dir) {
            // Outside CI the copy is prepared on demand; CI requires it.
            if (process.env.REQUIRE_STANDALONE_PACK) throw new Error("STANDALONE_PACK_DIR is not set");
            this.skip();
        }
    });

    it("is outside the repository, so nothing resolves from the root's node_modules", () => {
        const own = path.resolve(dir as string);
        assert.ok(!own.startsWith(`${REPO_ROOT}${path.sep}`), own);
        for (const module of ["typescript", "ts-node", "@pulumi/policy", "@pulumi/pulumi"])
            assert.ok(require.resolve(`${module}/package.json`, { paths: [own] }).startsWith(own), module);
    });

    it("declares the same dependencies as policy/package.json", () => {
        const read = (d: string) => JSON.parse(readFileSync(path.join(d, "package.json"), "utf8")).dependencies;
        assert.deepEqual(read(dir as string), read(path.join(REPO_ROOT, "policy")));
    });

    it("starts as the CLI starts it and reports what the evaluator reports", async function () {
        this.timeout(180000);
        const server = await startPolicyServer(dir as string);
        try {
            const config = loadPolicyConfig(path.join(REPO_ROOT, "policy", "config", "production.json"));
            const resources = withProps(baseline(), "db", { storageEncrypted: false });
            const expected = reportDiagnostics(await evaluatePolicies(resources, { config }));
            assert.deepEqual(
                expected.map((d) => d.policy),
                ["rds-database-require-storage-encryption"],
            );
            assert.deepEqual(await server.diagnostics(resources, config), expected);
        } finally {
            await server.stop();
        }
    });
});
