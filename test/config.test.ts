import * as assert from "node:assert/strict";
import { ConfigError, parseStackConfig } from "../config";
import { readStackConfig, RecordedResource, runStack } from "../tools/sim";
import { configProblems, rawWith } from "./support/config";

function problemsOf(stack: string, changes: Record<string, string | undefined>): readonly string[] {
    const problems = configProblems(stack, changes);
    assert.ok(problems.length > 0, "expected the config to be rejected");
    return problems;
}

describe("stack config", () => {
    describe("the real stacks", () => {
        it("parses staging into a typed, frozen object with the staging values", () => {
            const config = parseStackConfig(readStackConfig("staging").values, "staging");
            assert.equal(config.environment, "staging");
            assert.equal(config.region, "us-east-1");
            assert.equal(config.availabilityZoneCount, 2);
            assert.equal(config.natGatewayStrategy, "Single");
            assert.equal(config.dbBackupRetentionDays, 7);
            assert.equal(config.dbServerlessMinAcu, 0.5);
            assert.equal(config.dbProxyEnabled, false);
            assert.deepEqual(config.apiAllowedIngressCidrs, ["0.0.0.0/0"]);
            assert.equal(config.domainName, undefined);
            assert.equal(config.defaultTags.Environment, "staging");
            assert.ok(Object.isFrozen(config));
            assert.ok(Object.isFrozen(config.defaultTags));
        });

        it("parses production with production's safeguards from the defaults", () => {
            const config = parseStackConfig(readStackConfig("production").values, "production");
            assert.equal(config.environment, "production");
            assert.equal(config.availabilityZoneCount, 3);
            assert.equal(config.natGatewayStrategy, "OnePerAz");
            assert.equal(config.dbBackupRetentionDays, 35);
            assert.equal(config.dbDeletionProtection, true);
            assert.equal(config.dbSkipFinalSnapshot, false);
            assert.equal(config.protectStatefulResources, true);
            assert.equal(config.drRegion, "us-west-2");
            assert.equal(config.domainName, "api.migrations.example.com");
            assert.deepEqual(config.alarmEmails, ["platform-oncall@example.com"]);
        });
    });

    describe("rejects each class of bad value with an exact message", () => {
        const cases: [string, Record<string, string | undefined>, string][] = [
            [
                "an unknown key, with a suggestion",
                { dbBackupRetention: "7" },
                "`migration-api:dbBackupRetention` is not a known config key; got 7. Did you mean `migration-api:dbBackupRetentionDays`?",
            ],
            [
                "an unknown key with no near match",
                { zzz: "x" },
                '`migration-api:zzz` is not a known config key; got "x". See the configuration table in README.md.',
            ],
            [
                "a wrong type (integer)",
                { dbBackupRetentionDays: "seven" },
                '`migration-api:dbBackupRetentionDays` must be an integer from 1 to 35; got "seven".',
            ],
            [
                "a wrong type (boolean)",
                { wafEnabled: "yes" },
                '`migration-api:wafEnabled` must be true or false; got "yes".',
            ],
            [
                "a wrong type (list)",
                { alarmEmails: "ops@example.com" },
                '`migration-api:alarmEmails` must be a list of email addresses; got "ops@example.com".',
            ],
            [
                "an out-of-range number",
                { dbBackupRetentionDays: "40" },
                "`migration-api:dbBackupRetentionDays` must be an integer from 1 to 35; got 40.",
            ],
            [
                "a decimal off its step",
                { dbServerlessMaxAcu: "4.25" },
                "`migration-api:dbServerlessMaxAcu` must be a multiple of 0.5 from 1 to 256 (ACUs); got 4.25.",
            ],
            [
                "a bad CIDR",
                { vpcCidr: "10.0.0.1/16" },
                '`migration-api:vpcCidr` must be an IPv4 CIDR block with a prefix from /16 to /22 and no host bits set (e.g. "10.0.0.0/16"); got "10.0.0.1/16".',
            ],
            [
                "a bad CIDR in a list",
                { apiAllowedIngressCidrs: '["0.0.0.0/0","10.0.0.300/8"]' },
                '`migration-api:apiAllowedIngressCidrs` must be a list of IPv4 CIDR blocks; got ["0.0.0.0/0","10.0.0.300/8"].',
            ],
            [
                "a bad enum value",
                { natGatewayStrategy: "PerAz" },
                '`migration-api:natGatewayStrategy` must be one of Single, OnePerAz; got "PerAz".',
            ],
            [
                "a numeric enum value",
                { apiCpu: "300" },
                "`migration-api:apiCpu` must be one of 256, 512, 1024, 2048, 4096, 8192, 16384; got 300.",
            ],
            [
                "an upload path without a leading slash",
                { wafUploadPathPrefixes: '["uploads"]' },
                '`migration-api:wafUploadPathPrefixes` must be a list of URL path prefixes starting with "/"; got ["uploads"].',
            ],
            [
                "a missing required value",
                { apiImageTag: undefined },
                '`migration-api:apiImageTag` is required: set it to an image tag (e.g. "1.4.2") or a digest ("sha256:" and 64 hex digits); got nothing.',
            ],
            [
                "a log retention CloudWatch does not allow",
                { logRetentionDays: "45" },
                "`migration-api:logRetentionDays` must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 45.",
            ],
            [
                "a missing region",
                { "aws:region": undefined },
                "`aws:region` is required: set it to an AWS region name; got nothing.",
            ],
            [
                "default tags without the cost-allocation tags",
                { "aws:defaultTags": '{"tags":{"Project":"migration-api"}}' },
                "`aws:defaultTags` must set the tags Project, Environment, ManagedBy, Stack, CostCenter; missing Environment, ManagedBy, Stack, CostCenter.",
            ],
        ];
        for (const [what, changes, message] of cases) {
            it(what, () => assert.deepEqual(problemsOf("staging", changes), [message]));
        }
    });

    describe("cross-key rules", () => {
        const cases: [string, string, Record<string, string | undefined>, string][] = [
            [
                "an invalid Fargate size",
                "staging",
                { apiCpu: "256", apiMemoryMiB: "4096" },
                "`migration-api:apiCpu` 256 allows `migration-api:apiMemoryMiB` 512, 1024, 2048; got 4096.",
            ],
            [
                "an instance class the engine major does not run on",
                "staging",
                { dbEngineMajorVersion: "17", dbEngineVersion: "17.4", dbInstanceClass: "db.t3.medium" },
                '`migration-api:dbInstanceClass` must be an instance class Aurora PostgreSQL 17 supports (db.serverless, db.t4g.medium/large, db.r5, db.r6g, db.r6i, db.r6gd, db.r7g, db.r7i, db.r8g, db.x2g; sizes large to 48xlarge); got "db.t3.medium".',
            ],
            [
                "a pinned version of another major",
                "staging",
                { dbEngineVersion: "15.4" },
                '`migration-api:dbEngineVersion` must be a 16.x version such as "16.4" (the major is `migration-api:dbEngineMajorVersion` 16); got "15.4".',
            ],
            [
                "min count above max",
                "staging",
                { apiMinCount: "5", apiMaxCount: "4" },
                "`migration-api:apiMinCount` (5) must not exceed `migration-api:apiMaxCount` (4).",
            ],
            [
                "desired count outside min-max",
                "staging",
                { apiDesiredCount: "9" },
                "`migration-api:apiDesiredCount` must be from `migration-api:apiMinCount` (2) to `migration-api:apiMaxCount` (4); got 9.",
            ],
            [
                "serverless min above max",
                "staging",
                { dbServerlessMinAcu: "8" },
                "`migration-api:dbServerlessMinAcu` (8) must not exceed `migration-api:dbServerlessMaxAcu` (4).",
            ],
            [
                "both restore modes",
                "staging",
                { dbRestoreFromSnapshot: "snap-1", dbRestoreSourceCluster: "old-cluster" },
                "`migration-api:dbRestoreFromSnapshot` and `migration-api:dbRestoreSourceCluster` are two restore modes; set one, not both.",
            ],
            [
                "a restore time without a source",
                "staging",
                { dbRestoreToTime: "latest" },
                "`migration-api:dbRestoreToTime` needs `migration-api:dbRestoreSourceCluster`, the cluster to restore from.",
            ],
            [
                "the DR region equal to the primary",
                "production",
                { drRegion: "us-east-1" },
                '`migration-api:drRegion` must differ from `aws:region`; both are "us-east-1".',
            ],
            [
                "lifecycle days in the wrong order",
                "staging",
                { uploadsTransitionToGlacierDays: "60", uploadsTransitionToIaDays: "90" },
                "`migration-api:uploadsTransitionToGlacierDays` (60) must be later than `migration-api:uploadsTransitionToIaDays` (90).",
            ],
            [
                "Glacier sooner than 30 days after Standard-IA",
                "staging",
                { uploadsTransitionToIaDays: "30", uploadsTransitionToGlacierDays: "45" },
                "`migration-api:uploadsTransitionToGlacierDays` (45) must be at least 30 days after `migration-api:uploadsTransitionToIaDays` (30); S3 keeps objects in Standard-IA for 30 days.",
            ],
            [
                "a domain without a hosted zone",
                "staging",
                { domainName: "api.example.com" },
                "`migration-api:domainName` and `migration-api:hostedZoneId` go together; got only the domain.",
            ],
            [
                "no domain in production",
                "production",
                { domainName: undefined, hostedZoneId: undefined },
                "`migration-api:domainName` is required in production: the API is served only over HTTPS there; got nothing.",
            ],
            [
                "no alarm subscribers in production",
                "production",
                { alarmEmails: "[]" },
                "`migration-api:alarmEmails` must list at least one address in production; got [].",
            ],
            [
                "skipping the final snapshot in production",
                "production",
                { dbSkipFinalSnapshot: "true" },
                "`migration-api:dbSkipFinalSnapshot` must be false in production; got true.",
            ],
        ];
        for (const [what, stack, changes, message] of cases) {
            it(what, () => assert.deepEqual(problemsOf(stack, changes), [message]));
        }

        it("accepts the same opt-outs in staging", () => {
            assert.doesNotThrow(() => parseStackConfig(rawWith("staging", { dbSkipFinalSnapshot: "true" }), "staging"));
        });
    });

    it("reports every problem together, per-key and cross-key", () => {
        assert.deepEqual(
            problemsOf("staging", { bogus: "1", dbBackupRetentionDays: "0", apiMinCount: "5", apiMaxCount: "4" }),
            [
                "`migration-api:bogus` is not a known config key; got 1. See the configuration table in README.md.",
                "`migration-api:dbBackupRetentionDays` must be an integer from 1 to 35; got 0.",
                "`migration-api:apiMinCount` (5) must not exceed `migration-api:apiMaxCount` (4).",
            ],
        );
    });

    it("fails the real program before any resource is declared", async () => {
        const record: RecordedResource[] = [];
        await assert.rejects(runStack("production", { overrides: ["dbBackupRetentionDays=0"], record }), (error) => {
            assert.ok(error instanceof ConfigError);
            assert.equal(
                error.message,
                'invalid config for stack "production":\n  - `migration-api:dbBackupRetentionDays` must be an integer from 1 to 35; got 0.',
            );
            return true;
        });
        assert.deepEqual(record, []);
    });
});
