import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecr from "@pulumi/aws/ecr";
import * as elb from "@pulumi/aws/elb";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";
import { isTaggable, ofType, runStack, settingsFor, simulate } from "../tools/sim";
import { renderPolicyDocument } from "../tools/sim/policyDocument";
import { bootstrapRepositories } from "../tools/sim/stackFiles";

const fixture = path.join(__dirname, "fixtures", "recordingProgram.ts");

describe("simulated AWS runtime", () => {
    it("records every registration with its parent, inputs and safety options", async () => {
        const run = await runStack("staging", { program: fixture });
        assert.deepEqual(
            run.resources.map((r) => [r.type, r.name]),
            [
                ["fixture:index:Holder", "holder"],
                ["aws:s3/bucket:Bucket", "holder-bucket"],
                ["aws:kms/key:Key", "key"],
            ],
        );
        const [holder, bucket, key] = run.resources;
        assert.equal(holder.custom, false);
        assert.equal(holder.parent, undefined);
        assert.equal(bucket.parent, holder.urn);
        assert.equal(
            bucket.urn,
            "urn:pulumi:staging::migration-api::fixture:index:Holder$aws:s3/bucket:Bucket::holder-bucket",
        );
        assert.deepEqual(bucket.inputs.tags, { Owner: "fixture" });
        assert.equal(bucket.protect, true);
        assert.equal(bucket.retainOnDelete, true);
        assert.deepEqual(bucket.ignoreChanges, ["tags"]);
        assert.equal(bucket.deleteBeforeReplace, true);
        assert.equal(key.protect, false);
        assert.equal(key.retainOnDelete, false);
        assert.deepEqual(holder.componentOutputs, { bucketArn: bucket.state.arn });
    });

    it("answers with realistic, stable ids and ARNs in the stack's account and region", async () => {
        const first = await runStack("staging", { program: fixture });
        const second = await runStack("staging", { program: fixture });
        assert.match(String(first.outputs.bucketArn), /^arn:aws:s3:::holder-bucket-[0-9a-f]{7}$/);
        assert.match(String(first.outputs.keyArn), /^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/);
        assert.deepEqual(first.outputs, second.outputs);
    });

    it("merges the stack's default tags into tagsAll of taggable types only", async () => {
        const run = await runStack("production", { program: fixture });
        const [bucket] = ofType(run, "aws:s3/bucket:Bucket");
        assert.deepEqual(bucket.state.tagsAll, {
            Project: "migration-api",
            Environment: "production",
            ManagedBy: "pulumi",
            Stack: "production",
            CostCenter: "platform-production",
            Owner: "fixture",
        });
        assert.equal(isTaggable("aws:s3/bucket:Bucket"), true);
        assert.equal(isTaggable("aws:s3/bucketPolicy:BucketPolicy"), false);
        assert.equal(isTaggable("aws:index/nonexistent:Nothing"), false);
    });

    it("renders getPolicyDocument into the IAM JSON the provider returns", async () => {
        const run = await runStack("staging", { program: fixture });
        assert.deepEqual(JSON.parse(String(run.outputs.policyJson)), {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `${run.outputs.bucketArn}/*` }],
        });
        const [key] = ofType(run, "aws:kms/key:Key");
        assert.equal(key.inputs.policy, run.outputs.policyJson);
    });

    it("renders principals, conditions and several values like the provider", () => {
        const json = renderPolicyDocument({
            statements: [
                {
                    sid: "Logs",
                    actions: ["kms:Decrypt", "kms:Encrypt"],
                    resources: ["*"],
                    principals: [{ type: "Service", identifiers: ["logs.us-east-1.amazonaws.com"] }],
                    conditions: [
                        { test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: ["arn:x"] },
                    ],
                },
                {
                    effect: "Deny",
                    actions: ["s3:*"],
                    resources: ["arn:b"],
                    principals: [{ type: "*", identifiers: ["*"] }],
                },
            ],
        });
        assert.deepEqual(JSON.parse(json).Statement, [
            {
                Sid: "Logs",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:Encrypt"],
                Resource: "*",
                Principal: { Service: "logs.us-east-1.amazonaws.com" },
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:x" } },
            },
            { Effect: "Deny", Action: "s3:*", Resource: "arn:b", Principal: "*" },
        ]);
    });

    it("answers the invokes the program makes for the stack's region", async () => {
        const run = await simulate(settingsFor("staging"), () => ({
            zones: getAvailabilityZonesOutput({}).names,
            region: getRegionOutput().region,
            account: getCallerIdentityOutput().accountId,
            partition: getPartitionOutput().partition,
            engine: rds.getEngineVersionOutput({ engine: "aurora-postgresql", version: "16", latest: true }).version,
            pinned: rds.getEngineVersionOutput({ engine: "aurora-postgresql", version: "15.8" }).version,
            elb: elb.getServiceAccountOutput({}).arn,
        }));
        assert.deepEqual(run.outputs, {
            zones: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
            region: "us-east-1",
            account: "123456789012",
            partition: "aws",
            engine: "16.6",
            pinned: "15.8",
            elb: "arn:aws:iam::127311923021:root",
        });
    });

    it("names AZ IDs after the stack's region, as AWS forms them", async () => {
        const run = await simulate(settingsFor("production", { "aws:region": "us-west-2" }), () => ({
            zoneIds: getAvailabilityZonesOutput({}).zoneIds,
        }));
        assert.deepEqual(run.outputs, { zoneIds: ["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"] });
    });

    it("holds the ECR repositories the bootstrap project creates, and no other", async () => {
        assert.deepEqual(bootstrapRepositories(), ["migration-api"]);
        const lookup = (name: string) =>
            simulate(settingsFor("staging"), () => ({ url: ecr.getRepositoryOutput({ name }).repositoryUrl }));
        assert.deepEqual((await lookup("migration-api")).outputs, {
            url: "123456789012.dkr.ecr.us-east-1.amazonaws.com/migration-api",
        });
        await assert.rejects(lookup("nope"), /reading ECR Repository \(nope\): RepositoryNotFoundException/);
    });

    it("fails loudly on an invoke it cannot answer", async () => {
        await assert.rejects(
            simulate(settingsFor("staging"), () => ({ ami: ec2.getAmiOutput({ owners: ["amazon"] }).id })),
            /simulated AWS has no answer for invoke aws:ec2\/getAmi:getAmi; add one in tools\/sim\/awsMocks.ts/,
        );
    });

    // As the provider's data source does (terraform-provider-aws internal/service/rds/engine_version_data_source.go).
    it("rejects an engine version AWS does not offer, as the provider does", async () => {
        await assert.rejects(
            simulate(settingsFor("staging"), () => ({
                v: rds.getEngineVersionOutput({ engine: "aurora-postgresql", version: "16.99" }).version,
            })),
            /no RDS engine versions found: \{Engine: aurora-postgresql, EngineVersion: 16\.99\}/,
        );
    });

    it("rejects a major that matches several versions without `latest`, as the provider does", async () => {
        await assert.rejects(
            simulate(settingsFor("staging"), () => ({
                v: rds.getEngineVersionOutput({ engine: "aurora-postgresql", version: "16" }).version,
            })),
            /multiple RDS engine versions \(16\.4, 16\.6\) match the criteria/,
        );
    });

    it("keeps the SDK's error log of a failed run inside the run, and still fails", async () => {
        // An invoke whose input failed: the SDK logs "Error serializing arguments" a turn after the failure.
        const logged: string[] = [];
        const consoleError = console.error;
        console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
        try {
            await assert.rejects(
                simulate(settingsFor("staging"), () => {
                    const vpcId = pulumi.output(
                        new Promise<string>((_, reject) => setImmediate(() => reject(new Error("vpc failed")))),
                    );
                    ec2.getRouteTablesOutput({ vpcId });
                    return { azs: pulumi.output(Promise.reject(new Error("too few AZs"))) };
                }),
                /too few AZs/,
            );
            for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
        } finally {
            console.error = consoleError;
        }
        assert.deepEqual(logged, []);
    });
});
