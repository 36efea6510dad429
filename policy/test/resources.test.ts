import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { evaluatePolicies } from "../evaluator";
import { kmsKeyEnableRotation } from "../policies";
import {
    fromPreviewDocument,
    fromRecorded,
    fromStackExport,
    nameFromUrn,
    parseResourceFile,
    readResourceFile,
    ResourceFileError,
    UNKNOWN,
} from "../resources";

const KEY_URN = "urn:pulumi:production::migration-api::migration-api:security:EncryptionKey$aws:kms/key:Key::data-key";
const SECRET = "4dabf18193072939515e22adb298388d";

describe("resource lists", () => {
    it("maps a simulation record to the engine's views: checked inputs, and outputs with the id", () => {
        const r = fromRecorded({
            urn: KEY_URN,
            type: "aws:kms/key:Key",
            name: "data-key",
            parent: "urn:parent",
            custom: true,
            inputs: { enableKeyRotation: true },
            checked: { enableKeyRotation: true, tagsAll: { Stack: "production" } },
            state: { enableKeyRotation: false, arn: "arn:k" },
            protect: true,
            id: "key-1",
        });
        assert.deepEqual(r, {
            urn: KEY_URN,
            type: "aws:kms/key:Key",
            name: "data-key",
            props: { enableKeyRotation: true, tagsAll: { Stack: "production" } },
            outputs: { enableKeyRotation: false, arn: "arn:k", id: "key-1" },
            parent: "urn:parent",
            protect: true,
            dependencies: [],
        });
    });

    it("gives a custom resource not created yet (first preview) an unknown id", () => {
        const r = fromRecorded({ urn: KEY_URN, type: "aws:kms/key:Key", name: "data-key", custom: true, id: "" });
        assert.deepEqual(r.outputs, { id: UNKNOWN });
    });

    it("gives a remote component empty props and outputs", () => {
        const r = fromRecorded({
            urn: "urn:vpc",
            type: "awsx:ec2:Vpc",
            name: "vpc",
            remote: true,
            inputs: { numberOfAvailabilityZones: 1 },
            state: { vpcId: "vpc-1" },
        });
        assert.deepEqual([r.props, r.outputs], [{}, {}]);
    });

    it("turns the SDK's in-process unknown into the wire sentinel, nested too", () => {
        const r = fromRecorded({
            urn: KEY_URN,
            type: "aws:kms/key:Key",
            name: "data-key",
            inputs: { policy: pulumi.unknown, tags: { a: pulumi.unknown }, list: [pulumi.unknown] },
        });
        assert.deepEqual(r.props, { policy: UNKNOWN, tags: { a: UNKNOWN }, list: [UNKNOWN] });
    });

    it("reads the offline preview file", () => {
        const [r] = fromPreviewDocument({
            resources: [
                {
                    urn: KEY_URN,
                    type: "aws:kms/key:Key",
                    name: "data-key",
                    parent: "urn:p",
                    custom: true,
                    protect: false,
                    retainOnDelete: false,
                    inputs: { enableKeyRotation: true },
                    state: { keyId: "k" },
                },
            ],
        });
        assert.deepEqual(r.props, { enableKeyRotation: true });
        assert.deepEqual(r.outputs, { keyId: "k" });
        assert.equal(r.parent, "urn:p");
    });

    it("reads a preview file's JSON-serialised unknowns, null parents and ids", () => {
        const [r] = fromPreviewDocument(
            JSON.parse(
                JSON.stringify({
                    resources: [
                        {
                            urn: KEY_URN,
                            type: "aws:kms/key:Key",
                            name: "data-key",
                            parent: null,
                            id: "key-1",
                            inputs: { policy: pulumi.unknown },
                            state: {},
                        },
                    ],
                }),
            ),
        );
        assert.deepEqual(r.props, { policy: UNKNOWN });
        assert.deepEqual(r.outputs, { id: "key-1" });
        assert.equal(r.parent, undefined);
    });

    it("reads a stack export, naming resources from their URN and unwrapping secrets", () => {
        const resources = fromStackExport({
            version: 3,
            deployment: {
                resources: [
                    {
                        urn: "urn:pulumi:production::migration-api::pulumi:pulumi:Stack::migration-api-production",
                        type: "pulumi:pulumi:Stack",
                    },
                    {
                        urn: KEY_URN,
                        type: "aws:kms/key:Key",
                        id: "key-1",
                        custom: true,
                        parent: "urn:pulumi:production::migration-api::pulumi:pulumi:Stack::migration-api-production",
                        inputs: {
                            enableKeyRotation: true,
                            secretInput: { [SECRET]: "1b47061264138c4ac30d75fd1eb44270", plaintext: '"p"' },
                        },
                        outputs: {
                            enableKeyRotation: false,
                            hidden: { [SECRET]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "xyz" },
                        },
                        protect: true,
                        dependencies: ["urn:dep"],
                    },
                ],
            },
        });
        assert.equal(resources.length, 2);
        assert.equal(resources[1].name, "data-key");
        assert.deepEqual(resources[1].props, { enableKeyRotation: true, secretInput: "p" });
        assert.deepEqual(resources[1].outputs, { id: "key-1", enableKeyRotation: false, hidden: UNKNOWN });
        assert.deepEqual(resources[1].dependencies, ["urn:dep"]);
        assert.equal(resources[1].protect, true);
    });

    it("a stack export's inputs are what resource policies judge, as in the engine", async () => {
        const resources = fromStackExport({
            deployment: {
                resources: [
                    {
                        urn: KEY_URN,
                        type: "aws:kms/key:Key",
                        inputs: { enableKeyRotation: false },
                        outputs: { enableKeyRotation: true },
                    },
                ],
            },
        });
        const report = await evaluatePolicies(resources, { policies: [kmsKeyEnableRotation] });
        assert.deepEqual(
            report.violations.map((v) => v.message),
            ['KMS key "data-key" has enableKeyRotation false; it must be true.'],
        );
    });

    it("names a resource from the last URN segment", () => {
        assert.equal(nameFromUrn(KEY_URN), "data-key");
    });

    it("rejects unreadable input with one-line messages", () => {
        const cases: [string, string][] = [
            ["not json", "f.json is not valid JSON: "],
            ["[]", 'f.json is neither an offline preview file ({"resources": [...]}) nor a stack export'],
            ['{"resources": {}}', 'f.json has no "resources" list.'],
            ['{"deployment": {}}', 'f.json has no "deployment.resources" list.'],
            ['{"resources": [{"type": "t"}]}', 'f.json: resources[0] has no string "urn".'],
            ['{"deployment": {"resources": [7]}}', "f.json: deployment.resources[0] is not an object."],
        ];
        for (const [text, start] of cases) {
            assert.throws(
                () => parseResourceFile(text, "f.json"),
                (e: unknown) =>
                    e instanceof ResourceFileError && e.message.startsWith(start) && !e.message.includes("\n"),
                text,
            );
        }
        assert.throws(() => readResourceFile("/nonexistent/stack.json"), {
            message: "cannot read /nonexistent/stack.json: no such file.",
        });
    });
});
