import * as assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT, schema } from "../config";
import { knownStacks, readProjectFile, readStackConfig, REPO_ROOT } from "../tools/sim";
import { secretsProviderUrl, stackFileSecretsProblems } from "../lib/stackSecrets";

/** The bootstrap's region: where it creates each stack's secrets key. */
const BOOTSTRAP_REGION = String(
    (
        parse(readFileSync(path.join(REPO_ROOT, "bootstrap", "Pulumi.shared.yaml"), "utf8")) as {
            config: Record<string, unknown>;
        }
    ).config["aws:region"],
);

const project = readProjectFile();
const declared = project.config;

function stackFileConfig(stack: string): Record<string, unknown> {
    const doc = parse(readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
    };
    return doc.config;
}

describe("Pulumi.yaml and the config schema", () => {
    it("names the project and its runtime", () => {
        const doc = parse(readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
        assert.equal(doc.name, PROJECT);
        assert.equal((doc.runtime as { name: string }).name, "nodejs");
        assert.match(String(doc.description), /CSV upload/);
    });

    it("declares every required schema key with the schema's type, and no optional key", () => {
        for (const [key, field] of Object.entries(schema)) {
            if (field.optional) {
                assert.equal(declared[key], undefined, `${key} is optional, so Pulumi.yaml must not declare it`);
            } else {
                assert.ok(declared[key], `${key} is missing from Pulumi.yaml`);
                assert.equal(declared[key].type, field.pulumiType, `${key} has the wrong type in Pulumi.yaml`);
                assert.ok(declared[key].description, `${key} needs a description in Pulumi.yaml`);
            }
        }
    });

    it("declares no key the schema does not know", () => {
        for (const key of Object.keys(declared)) assert.ok(key in schema, `Pulumi.yaml declares unknown key ${key}`);
    });

    it("has defaults the schema accepts", () => {
        for (const [key, entry] of Object.entries(declared)) {
            if (!("default" in entry)) continue;
            const raw = typeof entry.default === "string" ? entry.default : JSON.stringify(entry.default);
            assert.ok("value" in schema[key as keyof typeof schema].parse(raw), `default of ${key} is invalid`);
        }
    });

    it("leaves only environment and apiImageTag without a default", () => {
        const required = Object.entries(declared)
            .filter(([, entry]) => !("default" in entry))
            .map(([key]) => key);
        assert.deepEqual(required.sort(), ["apiImageTag", "environment"]);
    });
});

describe("Pulumi.<stack>.yaml", () => {
    it("loads a stack whose file holds a secure value without decrypting it", () => {
        const root = mkdtempSync(path.join(tmpdir(), "stack-"));
        copyFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
        writeFileSync(
            path.join(root, "Pulumi.demo.yaml"),
            "secretsprovider: awskms://alias/demo?region=us-east-1\nencryptedkey: AQID\nconfig:\n  migration-api:apiToken:\n    secure: v1:AAAA\n",
        );
        const raw = readStackConfig("demo", root);
        assert.equal(raw.values["migration-api:apiToken"], "[secret]");
        assert.deepEqual(raw.secretKeys, ["migration-api:apiToken"]);
        assert.equal(raw.values["migration-api:dbBackupRetentionDays"], "35");
    });

    describe("secrets lines (lib/stackSecrets.ts), checked on samples as pulumi stack init writes them", () => {
        const expected = "awskms://alias/migration-api-staging-pulumi?region=us-east-1";
        const sample = (head: string) =>
            parse(
                `${head}config:\n  aws:region: us-east-1\n  migration-api:apiToken:\n    secure: v1:AAAA\n`,
            ) as Record<string, unknown>;
        const key = "AQICAHhV0TnH5sxqZ1mO2tDQ8j3kq7X9vYc4aS0mZ7Rr2C1bAgE4yQ==";

        it("accepts this stack's awskms alias with its encrypted data key", () => {
            const doc = sample(`secretsprovider: ${expected}\nencryptedkey: ${key}\n`);
            assert.deepEqual(stackFileSecretsProblems(doc, "Pulumi.staging.yaml", expected), []);
        });

        it("refuses another stack's key, a missing data key, a passphrase salt and secrets without a provider", () => {
            const other = "awskms://alias/migration-api-production-pulumi?region=us-east-1";
            assert.deepEqual(
                stackFileSecretsProblems(
                    sample(`secretsprovider: ${other}\nencryptedkey: ${key}\n`),
                    "Pulumi.staging.yaml",
                    expected,
                ),
                [`Pulumi.staging.yaml has \`secretsprovider\` "${other}"; it must be "${expected}".`],
            );
            assert.deepEqual(
                stackFileSecretsProblems(sample(`secretsprovider: ${expected}\n`), "Pulumi.staging.yaml", expected),
                ["Pulumi.staging.yaml needs the `encryptedkey` line `pulumi stack init` wrote (base64); got null."],
            );
            assert.deepEqual(
                stackFileSecretsProblems(sample("encryptionsalt: v1:abc\n"), "Pulumi.staging.yaml", expected),
                [
                    `Pulumi.staging.yaml has \`encryptionsalt\` (the passphrase provider); CI has no passphrase: use "${expected}".`,
                    `Pulumi.staging.yaml has secure values (migration-api:apiToken) but no \`secretsprovider\`; expected "${expected}".`,
                ],
            );
        });
    });

    it("exists for staging and production, and for production rebuilt in the DR region", () => {
        assert.deepEqual(knownStacks(), ["production", "production-dr", "staging"]);
    });

    for (const stack of ["staging", "production"]) {
        it(`${stack} sets only values that differ from the project defaults`, () => {
            for (const [key, value] of Object.entries(stackFileConfig(stack))) {
                if (!key.startsWith(`${PROJECT}:`)) continue;
                const entry = declared[key.slice(PROJECT.length + 1)];
                if (entry && "default" in entry) {
                    assert.notDeepEqual(value, entry.default, `${stack} repeats the default of ${key}`);
                }
            }
        });

        it(`${stack} sets the region and the cost-allocation default tags`, () => {
            const config = stackFileConfig(stack);
            assert.equal(config["aws:region"], "us-east-1");
            assert.deepEqual(config["aws:defaultTags"], {
                tags: {
                    Project: PROJECT,
                    Environment: stack,
                    ManagedBy: "pulumi",
                    Stack: stack,
                    CostCenter: `platform-${stack}`,
                },
            });
            assert.equal(config[`${PROJECT}:environment`], stack);
        });

        it(`${stack}'s secrets lines, when committed, name its own bootstrap key`, () => {
            const doc = parse(readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as Record<
                string,
                unknown
            >;
            const expected = secretsProviderUrl(PROJECT, stack, BOOTSTRAP_REGION);
            assert.equal(expected, `awskms://alias/migration-api-${stack}-pulumi?region=us-east-1`);
            assert.deepEqual(stackFileSecretsProblems(doc, `Pulumi.${stack}.yaml`, expected), []);
        });
    }
});
