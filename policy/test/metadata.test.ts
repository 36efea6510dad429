import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { REQUIRED_TAGS } from "../../config";
import { resolvePolicyConfig } from "../evaluator";
import { allPolicies } from "../policies";
import { DEFAULT_REQUIRED_TAGS } from "../policies/cost/aws-resource-require-cost-tags";
import { PACK_NAME, PACK_VERSION } from "../pack";

const NAME = /^[a-z0-9]+-[a-z0-9]+(-[a-z0-9]+)*-(require|enable|configure|disallow|enforce)(-[a-z0-9]+)+$/;
const POLICIES_DIR = path.join(__dirname, "..", "policies");
const CONCERNS = ["availability", "backup", "cost", "encryption", "network", "observability", "security"];

describe("policy metadata", () => {
    for (const policy of allPolicies) {
        describe(policy.name, () => {
            it("is named <service>-<resource>-<verb>-<thing>", () => assert.match(policy.name, NAME));
            it("has a one-sentence description", () => {
                assert.match(policy.description, /^[A-Z][^.]*\.$/);
                assert.ok(policy.description.length <= 160, "short enough to read in a CLI table");
            });
            it("has a config schema whose properties all have defaults", () => {
                assert.ok(policy.configSchema, "configSchema present");
                for (const [key, prop] of Object.entries(policy.configSchema.properties)) {
                    assert.notEqual(prop.default, undefined, `${key} has a default`);
                }
            });
            it("states its enforcement level", () => assert.ok(policy.enforcementLevel));
            it("lives in its own file, named after it, in a concern folder", () => {
                const concern = CONCERNS.find((c) =>
                    readdirSync(path.join(POLICIES_DIR, c)).includes(`${policy.name}.ts`),
                );
                assert.ok(concern, `policies/<concern>/${policy.name}.ts exists`);
                const source = readFileSync(path.join(POLICIES_DIR, concern, `${policy.name}.ts`), "utf8");
                assert.ok(source.includes(`"${policy.name}"`), "the file declares the policy's name");
            });
        });
    }

    it("names are unique", () => {
        const names = allPolicies.map((p) => p.name);
        assert.deepEqual(names, [...new Set(names)]);
    });

    it("every policy file is in the pack", () => {
        const files = CONCERNS.flatMap((c) =>
            readdirSync(path.join(POLICIES_DIR, c)).map((f) => f.replace(/\.ts$/, "")),
        );
        assert.deepEqual(files.sort(), allPolicies.map((p) => p.name).sort());
    });

    it("the default cost tags are the program's required tags", () => {
        assert.deepEqual(DEFAULT_REQUIRED_TAGS, [...REQUIRED_TAGS]);
    });

    describe("stack configs", () => {
        const load = (stack: string) =>
            resolvePolicyConfig(
                allPolicies,
                JSON.parse(readFileSync(path.join(__dirname, "..", "config", `${stack}.json`), "utf8")),
            );

        it("are valid for the pack and make every policy mandatory except staging's HTTPS rule", () => {
            const staging = load("staging");
            const production = load("production");
            for (const policy of allPolicies) {
                assert.equal(production.get(policy.name)?.enforcementLevel, "mandatory", policy.name);
                const expected = policy.name === "lb-listener-require-https" ? "advisory" : "mandatory";
                assert.equal(staging.get(policy.name)?.enforcementLevel, expected, policy.name);
            }
        });

        it("ask 7 days of backups in staging and 35 in production", () => {
            for (const name of ["rds-database-configure-backup-retention", "backup-plan-configure-retention"]) {
                assert.equal(load("staging").get(name)?.config.minimumDays, 7);
                assert.equal(load("production").get(name)?.config.minimumDays, 35);
            }
        });

        it("require deletion protection, a final snapshot and a NAT per AZ in production only", () => {
            for (const name of [
                "rds-database-enable-deletion-protection",
                "rds-database-require-final-snapshot",
                "vpc-nat-gateway-require-one-per-az",
            ]) {
                assert.equal(load("staging").get(name)?.config.required, false, name);
                assert.equal(load("production").get(name)?.config.required, true, name);
            }
        });
    });

    it("the pack's entry point only builds the PolicyPack from allPolicies", () => {
        const source = readFileSync(path.join(__dirname, "..", "index.ts"), "utf8");
        assert.match(source, /new PolicyPack\(PACK_NAME, \{ policies: allPolicies \}\)/);
        assert.equal(PACK_NAME, "migration-api-guardrails");
        const yaml = readFileSync(path.join(__dirname, "..", "PulumiPolicy.yaml"), "utf8");
        assert.match(yaml, /^runtime: nodejs$/m);
        const pkg = JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
        assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
        assert.equal(PACK_VERSION, pkg.version);
    });
});
