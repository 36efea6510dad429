import * as assert from "node:assert/strict";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { ConfigError, parseStackConfig, stackPlaceholders } from "../config";
import { bootstrapPlaceholders, parseBootstrapConfig } from "../bootstrap/config";
import { handlePlaceholders, reservedName } from "../lib/placeholders";
import { runMode, runModeOf } from "../lib/runMode";
import * as path from "node:path";
import { readStackConfig, REPO_ROOT, runStack, simulate } from "../tools/sim";

const PRODUCTION_PLACEHOLDERS = [
    '`migration-api:domainName` is a placeholder ("api.migrations.example.com": example.com is reserved for documentation (RFC 2606)); set your own value in Pulumi.production.yaml before deploying.',
    '`migration-api:hostedZoneId` is a placeholder ("Z0123456789ABCDEFGHIJ": it is the sample hosted-zone id of the shipped stack files); set your own value in Pulumi.production.yaml before deploying.',
    '`migration-api:alarmEmails` is a placeholder (["platform-oncall@example.com"]: platform-oncall@example.com is at a reserved example domain (RFC 2606)); set your own value in Pulumi.production.yaml before deploying.',
];
/** Values a real account would have: what an operator writes over the placeholders. */
const REAL_VALUES = {
    "migration-api:domainName": "api.migrations.acme-corp.io",
    "migration-api:hostedZoneId": "Z1D633PJN98FT9",
    "migration-api:alarmEmails": '["oncall@acme-corp.io"]',
};

describe("placeholders", () => {
    describe("reserved names (RFC 2606)", () => {
        for (const name of [
            "example.com",
            "api.migrations.example.com",
            "EXAMPLE.NET",
            "a.example.org.",
            "ci.test",
            "x.invalid",
            "docs.example",
            "localhost",
            "api.localhost",
        ]) {
            it(`refuses ${name}`, () => assert.ok(reservedName(name)));
        }
        for (const name of ["api.acme-corp.io", "examples.com", "example.co", "myexample.com", "test.acme.io"]) {
            it(`accepts ${name}`, () => assert.equal(reservedName(name), undefined));
        }
    });

    it("finds one message per key in the shipped production file, naming the file", () => {
        assert.deepEqual(
            stackPlaceholders(readStackConfig("production").values, "production"),
            PRODUCTION_PLACEHOLDERS,
        );
    });

    it("finds the staging alarm address and the example CORS origins", () => {
        const raw = {
            ...readStackConfig("staging").values,
            "migration-api:uploadsCorsAllowedOrigins": '["https://app.acme-corp.io","https://upload.example.org"]',
        };
        assert.deepEqual(stackPlaceholders(raw, "staging"), [
            '`migration-api:alarmEmails` is a placeholder (["platform-staging-alerts@example.com"]: platform-staging-alerts@example.com is at a reserved example domain (RFC 2606)); set your own value in Pulumi.staging.yaml before deploying.',
            '`migration-api:uploadsCorsAllowedOrigins` is a placeholder (["https://app.acme-corp.io","https://upload.example.org"]: https://upload.example.org at a reserved example domain (RFC 2606)); set your own value in Pulumi.staging.yaml before deploying.',
        ]);
    });

    it("finds none once real values replace them", () => {
        const raw = { ...readStackConfig("production").values, ...REAL_VALUES };
        assert.deepEqual(stackPlaceholders(raw, "production"), []);
    });

    describe("a real preview or update refuses them", () => {
        it("as config problems, one per key, before any resource", () => {
            const raw = readStackConfig("production").values;
            const warned: string[] = [];
            const refused = handlePlaceholders(stackPlaceholders(raw, "production"), "deploy", (m) => warned.push(m));
            assert.throws(
                () => parseStackConfig(raw, "production", refused),
                (error: ConfigError) => {
                    assert.ok(error instanceof ConfigError);
                    assert.deepEqual(error.problems, PRODUCTION_PLACEHOLDERS);
                    return true;
                },
            );
            assert.deepEqual(warned, []);
        });

        it("and passes real values", () => {
            const raw = { ...readStackConfig("production").values, ...REAL_VALUES };
            const refused = handlePlaceholders(stackPlaceholders(raw, "production"), "deploy", () => undefined);
            assert.equal(parseStackConfig(raw, "production", refused).domainName, "api.migrations.acme-corp.io");
        });

        it("refuses the bootstrap's example-org owner, naming bootstrap/Pulumi.shared.yaml", () => {
            const raw = readStackConfig("shared", path.join(REPO_ROOT, "bootstrap")).values;
            const found = bootstrapPlaceholders(raw, "shared");
            assert.deepEqual(found, [
                '`migration-api-bootstrap:githubOwner` is a placeholder ("example-org": it is the example owner of the shipped file); set your own value in bootstrap/Pulumi.shared.yaml before deploying.',
            ]);
            assert.throws(() =>
                parseBootstrapConfig(
                    raw,
                    "shared",
                    handlePlaceholders(found, "deploy", () => {}),
                ),
            );
            const real = { ...raw, "migration-api-bootstrap:githubOwner": "acme-corp" };
            assert.deepEqual(bootstrapPlaceholders(real, "shared"), []);
        });
    });

    describe("the offline simulation lists them as warnings and runs on", () => {
        it("warns instead of refusing", () => {
            const warned: string[] = [];
            const found = stackPlaceholders(readStackConfig("production").values, "production");
            assert.deepEqual(
                handlePlaceholders(found, "simulation", (m) => warned.push(m)),
                [],
            );
            assert.deepEqual(warned, PRODUCTION_PLACEHOLDERS);
        });

        it("builds the shipped production stack and reports its placeholders", async () => {
            const run = await runStack("production");
            assert.deepEqual(run.warnings, PRODUCTION_PLACEHOLDERS);
            assert.ok(run.resources.length > 100);
        });
    });

    describe("run mode", () => {
        it("is simulation under Pulumi's mock monitor and deploy under any other", () => {
            assert.equal(
                runModeOf(new MockMonitor({ newResource: () => ({ id: "", state: {} }), call: () => ({}) })),
                "simulation",
            );
            assert.equal(runModeOf({ registerResource: () => undefined }), "deploy");
            assert.equal(runModeOf(undefined), "deploy");
        });

        it("is simulation inside the simulated engine", async () => {
            const run = await simulate({ project: "p", stack: "s", config: {} }, () => ({ mode: runMode() }));
            assert.equal(run.outputs.mode, "simulation");
        });
    });
});
