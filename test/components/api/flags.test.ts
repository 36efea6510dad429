import * as assert from "node:assert/strict";
import { apiServiceArgProblems, FeatureFlags } from "../../../components";
import { ofType, RecordedResource, settingsFor, simulate, StackRun } from "../../../tools/sim";
import { buildStack, one, problemLines, statementsOf, validApiServiceArgs } from "../../support/apiStorage";
import { configProblems } from "../../support/config";

const PARAMETER = "aws:ssm/parameter:Parameter";
const FLAGS = '{"beta-upload-ui":true,"max-rows":50000,"partner.token":{"value":"s3cr3t","secret":true}}';

const envOf = (run: StackRun, taskDef: string) =>
    Object.fromEntries(
        (
            JSON.parse(
                String(one(run, "aws:ecs/taskDefinition:TaskDefinition", taskDef).inputs.containerDefinitions),
            ) as {
                name: string;
                environment: { name: string; value: string }[];
            }[]
        )
            .find((c) => c.name === "api")!
            .environment.map((e) => [e.name, e.value]),
    );
/** The provider marks every parameter value secret: unwrap Pulumi's secret envelope. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
function unsecret(value: unknown): unknown {
    const envelope = value as Record<string, unknown> | undefined;
    assert.equal(envelope?.[SECRET_SIG], "1b47061264138c4ac30d75fd1eb44270", "the value is kept as a secret");
    return envelope?.value;
}
const flagsPolicy = (run: StackRun) => one(run, "aws:iam/rolePolicy:RolePolicy", "api-flags-read");
const ssmArn = (path: string) => `arn:aws:ssm:us-east-1:123456789012:parameter${path}`;

describe("Feature flags in Parameter Store", () => {
    let plain: StackRun;
    let flagged: StackRun;
    before(async () => {
        plain = await buildStack("staging", { api: true });
        flagged = await buildStack("production", {
            api: true,
            overrides: { "migration-api:featureFlags": FLAGS },
        });
    });

    it("makes each flag a parameter under /migration-api/<stack>/flags, a secret one a SecureString with the flags' key", () => {
        const key = one(flagged, "aws:kms/key:Key", "api-flags-key-key");
        const params = Object.fromEntries(
            ofType(flagged, PARAMETER).map((p: RecordedResource) => [
                p.inputs.name,
                { type: p.inputs.type, value: unsecret(p.inputs.value), keyId: p.inputs.keyId, tier: p.inputs.tier },
            ]),
        );
        assert.deepEqual(params, {
            "/migration-api/production/flags/beta-upload-ui": {
                type: "String",
                value: "true",
                keyId: undefined,
                tier: "Standard",
            },
            "/migration-api/production/flags/max-rows": {
                type: "String",
                value: "50000",
                keyId: undefined,
                tier: "Standard",
            },
            "/migration-api/production/flags/partner.token": {
                type: "SecureString",
                value: "s3cr3t",
                keyId: key.state.arn,
                tier: "Standard",
            },
        });
        // Flipped through git: a deploy owns the values (no ignoreChanges on them).
        for (const p of ofType(flagged, PARAMETER)) assert.deepEqual(p.ignoreChanges, []);
        assert.equal(ofType(plain, PARAMETER).length, 0);
        assert.equal(ofType(plain, "aws:kms/key:Key").filter((k) => k.name.startsWith("api-flags")).length, 0);
    });

    it("hands the API container the path, and not the migration, which has no task role", () => {
        assert.equal(envOf(flagged, "api-task").FEATURE_FLAGS_PATH, "/migration-api/production/flags");
        assert.equal(envOf(plain, "api-task").FEATURE_FLAGS_PATH, "/migration-api/staging/flags");
        assert.equal(envOf(flagged, "api-migrate").FEATURE_FLAGS_PATH, undefined);
    });

    it("lets the task role read exactly that path, and decrypt with the flags' key through SSM when a flag is secret", () => {
        const taskRole = one(flagged, "aws:iam/role:Role", "api-roles-task");
        assert.equal(flagsPolicy(flagged).inputs.role, taskRole.state.id ?? taskRole.id);
        const key = one(flagged, "aws:kms/key:Key", "api-flags-key-key");
        assert.deepEqual(
            statementsOf(flagsPolicy(flagged).inputs.policy).map((s) => ({
                Sid: s.Sid,
                Action: s.Action,
                Resource: s.Resource,
                Condition: s.Condition,
            })),
            [
                {
                    Sid: "ReadFlagsPath",
                    Action: ["ssm:GetParametersByPath"],
                    Resource: [ssmArn("/migration-api/production/flags")],
                    Condition: undefined,
                },
                {
                    Sid: "ReadFlags",
                    Action: ["ssm:GetParameter", "ssm:GetParameters"],
                    Resource: [ssmArn("/migration-api/production/flags/*")],
                    Condition: undefined,
                },
                {
                    Sid: "DecryptSecretFlags",
                    Action: ["kms:Decrypt"],
                    Resource: [String(key.state.arn)],
                    Condition: { StringEquals: { "kms:ViaService": "ssm.us-east-1.amazonaws.com" } },
                },
            ],
        );
        assert.deepEqual(
            statementsOf(flagsPolicy(plain).inputs.policy).map((s) => [s.Sid, s.Resource]),
            [
                ["ReadFlagsPath", [ssmArn("/migration-api/staging/flags")]],
                ["ReadFlags", [ssmArn("/migration-api/staging/flags/*")]],
            ],
        );
        const service = one(flagged, "aws:ecs/service:Service");
        assert.ok(service.dependencies.includes(flagsPolicy(flagged).urn), "tasks start once they may read the flags");
    });

    describe("bad input", () => {
        const flagProblems = (flags: string) => configProblems("staging", { featureFlags: flags });

        it("refuses a flag name that is not a valid parameter name, naming the key and the name", () => {
            assert.deepEqual(flagProblems('{"new flag":true}'), [
                '`migration-api:featureFlags` must name each flag as SSM allows in a parameter name: 1-128 letters, digits, "_", "." or "-"; got "new flag".',
            ]);
            assert.deepEqual(flagProblems('{"a/b":true}'), [
                '`migration-api:featureFlags` must name each flag as SSM allows in a parameter name: 1-128 letters, digits, "_", "." or "-"; got "a/b".',
            ]);
            assert.deepEqual(flagProblems(`{"${"f".repeat(129)}":1}`).length, 1);
            assert.deepEqual(flagProblems(`{"${"f".repeat(128)}":1, "A.b_c-9": "x"}`), []);
        });

        it("refuses values Parameter Store cannot keep, and maps that are not maps", () => {
            const valueRule =
                'give each flag a string, number or boolean (1-4096 characters), or {"value": ..., "secret": true}';
            assert.deepEqual(flagProblems('{"beta":""}'), [
                `\`migration-api:featureFlags\` must ${valueRule} (flag "beta"); got "".`,
            ]);
            assert.deepEqual(flagProblems('{"beta":{"value":"x","secret":"yes"}}'), [
                `\`migration-api:featureFlags\` must ${valueRule} (flag "beta"); got {"value":"x","secret":"yes"}.`,
            ]);
            assert.deepEqual(flagProblems('{"beta":[1]}'), [
                `\`migration-api:featureFlags\` must ${valueRule} (flag "beta"); got [1].`,
            ]);
            assert.deepEqual(flagProblems(`{"beta":"${"x".repeat(4097)}"}`).length, 1);
            assert.deepEqual(flagProblems('["beta"]'), [
                '`migration-api:featureFlags` must be a map of flag name to value; got ["beta"].',
            ]);
            assert.deepEqual(flagProblems("{beta}"), [
                '`migration-api:featureFlags` must be a map of flag name to a string, number or boolean, or {"value": ..., "secret": true}; got "{beta}".',
            ]);
        });

        it("validates the component's args, naming the field", async () => {
            const messages = (featureFlags: unknown) =>
                apiServiceArgProblems("api", {
                    ...validApiServiceArgs(),
                    featureFlags: featureFlags as Record<string, boolean>,
                }).messages;
            assert.deepEqual(messages({ ok: true, "no way": true, "": 1 }), [
                '`featureFlags` must name each flag as SSM allows in a parameter name: 1-128 letters, digits, "_", "." or "-"; got "no way".',
                '`featureFlags` must name each flag as SSM allows in a parameter name: 1-128 letters, digits, "_", "." or "-"; got "".',
            ]);
            await assert.rejects(
                simulate(settingsFor("staging"), () => {
                    new FeatureFlags("flags", { flags: { x: true }, path: "/app/flags/" });
                }),
                (error: unknown) => {
                    assert.deepEqual(problemLines(error), [
                        '`path` must be a parameter path such as "/app/stack/flags"; got "/app/flags/".',
                    ]);
                    return true;
                },
            );
        });
    });
});
