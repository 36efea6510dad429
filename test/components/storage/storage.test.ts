import * as assert from "node:assert/strict";
import type { Provider } from "@pulumi/aws/provider";
import { MAX_BUCKET_NAME_PREFIX, Storage, StorageArgs, storageArgProblems } from "../../../components";
import { ofType, settingsFor, simulate, StackRun } from "../../../tools/sim";
import {
    buildStack,
    isUnder,
    one,
    problemLines,
    stackConfig,
    statementsOf,
    storageArgsFrom,
} from "../../support/apiStorage";

const BUCKET = "aws:s3/bucket:Bucket";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";

function bucketNamed(run: StackRun, logical: string) {
    return one(run, BUCKET, logical);
}

describe("Storage", () => {
    let staging: StackRun;
    let production: StackRun;
    before(async () => {
        staging = await buildStack("staging");
        production = await buildStack("production");
    });

    for (const stack of ["staging", "production"] as const) {
        describe(`with ${stack} settings`, () => {
            const run = () => (stack === "staging" ? staging : production);

            it("parents every child under the component, with names derived from its name", () => {
                const component = one(run(), "migration-api:storage:Storage");
                const children = run().resources.filter((r) => r.custom && r.type !== "pulumi:providers:aws");
                assert.ok(children.length >= 15, `only ${children.length} resources`);
                for (const child of children) {
                    assert.ok(isUnder(run(), child, component), `${child.type} ${child.name} is not under Storage`);
                    assert.match(child.name, /^storage-/);
                }
            });

            it("names buckets validly and stably: lowercase, at most 63, from the prefix and a random suffix", () => {
                const suffix = String(one(run(), "random:index/randomId:RandomId").state.hex);
                assert.match(suffix, /^[0-9a-f]{8}$/);
                const names = ofType(run(), BUCKET).map((b) => String(b.inputs.bucket));
                assert.ok(names.includes(`migration-api-${stack}-uploads-${suffix}`), names.join());
                assert.ok(names.includes(`migration-api-${stack}-logs-${suffix}`), names.join());
                for (const name of names) assert.match(name, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
            });

            it("encrypts uploads with a rotating customer-managed key and bucket keys", () => {
                const uploads = bucketNamed(run(), "storage-uploads");
                const key = one(run(), "aws:kms/key:Key", "storage-uploads-key-key");
                assert.equal(key.inputs.enableKeyRotation, true);
                const sse = ofType(run(), SSE).find((r) => r.inputs.bucket === uploads.state.bucket);
                assert.deepEqual(sse?.inputs.rules, [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.state.arn },
                        bucketKeyEnabled: true,
                    },
                ]);
            });

            it("versions uploads, blocks all public access and enforces bucket-owner object ownership", () => {
                const uploads = bucketNamed(run(), "storage-uploads");
                const versioning = one(run(), "aws:s3/bucketVersioning:BucketVersioning", "storage-uploads-versioning");
                assert.equal(versioning.inputs.bucket, uploads.state.bucket);
                assert.deepEqual(versioning.inputs.versioningConfiguration, { status: "Enabled" });
                for (const logical of ["storage-uploads", "storage-logs"]) {
                    const bucket = bucketNamed(run(), logical);
                    const pab = one(
                        run(),
                        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                        `${logical}-public-access`,
                    );
                    assert.equal(pab.inputs.bucket, bucket.state.bucket);
                    for (const flag of [
                        "blockPublicAcls",
                        "blockPublicPolicy",
                        "ignorePublicAcls",
                        "restrictPublicBuckets",
                    ]) {
                        assert.equal(pab.inputs[flag], true, `${logical} ${flag}`);
                    }
                    const ownership = one(
                        run(),
                        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                        `${logical}-ownership`,
                    );
                    assert.deepEqual(ownership.inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
                }
            });

            it("denies uploads without TLS, without KMS, with another key, or with customer-provided keys", () => {
                const uploads = bucketNamed(run(), "storage-uploads");
                const key = one(run(), "aws:kms/key:Key", "storage-uploads-key-key");
                const policy = one(run(), POLICY, "storage-uploads-policy");
                assert.equal(policy.inputs.bucket, uploads.state.bucket);
                const statements = statementsOf(policy.inputs.policy);
                const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
                assert.deepEqual(bySid.DenyInsecureTransport.Condition, { Bool: { "aws:SecureTransport": "false" } });
                assert.deepEqual(bySid.DenyInsecureTransport.Resource, [uploads.state.arn, `${uploads.state.arn}/*`]);
                assert.deepEqual(bySid.DenyUploadsNotEncryptedWithKms.Condition, {
                    StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" },
                });
                assert.deepEqual(bySid.DenyUploadsWithAnotherKey.Condition, {
                    StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": key.state.arn },
                });
                assert.deepEqual(bySid.DenyCustomerProvidedKeys.Condition, {
                    Null: { "s3:x-amz-server-side-encryption-customer-algorithm": "false" },
                });
                // "aws:kms" without a key id would get the AWS-managed aws/s3 key, not the bucket's.
                assert.deepEqual(bySid.DenyKmsUploadsWithoutTheKeyId.Condition, {
                    StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
                    Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" },
                });
                assert.deepEqual(bySid.DenyKmsUploadsWithoutTheKeyId.Action, ["s3:PutObject"]);
                assert.deepEqual(bySid.DenyKmsUploadsWithoutTheKeyId.Resource, [`${uploads.state.arn}/*`]);
                for (const s of statements) assert.equal(s.Effect, "Deny", `${s.Sid} must deny`);
            });

            it("tiers uploads to Standard-IA then Glacier, expires old versions and aborts stale multipart uploads", () => {
                const config = stackConfig(stack);
                const lifecycle = one(run(), LIFECYCLE, "storage-uploads-lifecycle");
                const [tiering] = lifecycle.inputs.rules as Record<string, unknown>[];
                assert.deepEqual(tiering.transitions, [
                    { days: config.uploadsTransitionToIaDays, storageClass: "STANDARD_IA" },
                    { days: config.uploadsTransitionToGlacierDays, storageClass: "GLACIER" },
                ]);
                assert.deepEqual(tiering.noncurrentVersionExpiration, {
                    noncurrentDays: config.uploadsNoncurrentExpirationDays,
                });
                assert.deepEqual(tiering.abortIncompleteMultipartUpload, { daysAfterInitiation: 7 });
                assert.equal(tiering.status, "Enabled");
            });

            it("logs uploads-bucket access into the log bucket", () => {
                const logging = one(run(), "aws:s3/bucketLogging:BucketLogging", "storage-uploads-logging");
                assert.equal(logging.inputs.bucket, bucketNamed(run(), "storage-uploads").state.bucket);
                assert.equal(logging.inputs.targetBucket, bucketNamed(run(), "storage-logs").state.bucket);
                assert.equal(logging.inputs.targetPrefix, "s3-access/uploads/");
            });

            it("gives the log bucket SSE-S3, the region's ELB log delivery, TLS-only access and an expiry", () => {
                const logs = bucketNamed(run(), "storage-logs");
                const sse = ofType(run(), SSE).find((r) => r.inputs.bucket === logs.state.bucket);
                assert.deepEqual(sse?.inputs.rules, [
                    { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                ]);
                const statements = statementsOf(one(run(), POLICY, "storage-logs-policy").inputs.policy);
                const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
                assert.equal(bySid.DenyInsecureTransport.Effect, "Deny");
                // us-east-1's ELB log-delivery account, writing only under the ALB prefix of this account.
                assert.deepEqual(bySid.ElbAccountLogDelivery.Principal, { AWS: "arn:aws:iam::127311923021:root" });
                assert.deepEqual(bySid.ElbAccountLogDelivery.Action, ["s3:PutObject"]);
                assert.deepEqual(bySid.ElbAccountLogDelivery.Resource, [
                    `${logs.state.arn}/alb/AWSLogs/123456789012/*`,
                ]);
                assert.deepEqual(bySid.S3ServerAccessLogDelivery.Condition?.ArnLike, {
                    "aws:SourceArn": bucketNamed(run(), "storage-uploads").state.arn,
                });
                const lifecycle = one(run(), LIFECYCLE, "storage-logs-lifecycle");
                const [rule] = lifecycle.inputs.rules as Record<string, unknown>[];
                assert.deepEqual(rule.expiration, { days: stackConfig(stack).logBucketExpirationDays });
            });

            it("versions the log bucket and expires replaced log versions after 30 days", () => {
                const logs = bucketNamed(run(), "storage-logs");
                const versioning = ofType(run(), "aws:s3/bucketVersioning:BucketVersioning").find(
                    (v) => v.inputs.bucket === logs.state.bucket,
                );
                assert.deepEqual(versioning?.inputs.versioningConfiguration, { status: "Enabled" });
                const lifecycle = one(run(), LIFECYCLE, "storage-logs-lifecycle");
                assert.deepEqual(lifecycle.inputs.rules, [
                    {
                        id: "expire-logs",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: stackConfig(stack).logBucketExpirationDays },
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ]);
                // S3 refuses noncurrent-version rules on a bucket it has not versioned yet.
                assert.ok(lifecycle.dependencies.includes(versioning!.urn));
            });

            it("grants put/get/list on the uploads prefix and the key through S3 only: no s3:*, no Resource *", () => {
                const grant = run().outputs.grant as { actions: string[]; resources: string[] }[];
                const uploads = bucketNamed(run(), "storage-uploads");
                const key = one(run(), "aws:kms/key:Key", "storage-uploads-key-key");
                assert.deepEqual(
                    grant.map((s) => s.resources),
                    [[`${uploads.state.arn}/uploads/*`], [uploads.state.arn], [key.state.arn]],
                );
                const actions = grant.flatMap((s) => s.actions);
                for (const action of ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "kms:Encrypt", "kms:Decrypt"]) {
                    assert.ok(actions.includes(action), action);
                }
                for (const s of grant) {
                    assert.ok(!s.resources.includes("*"), JSON.stringify(s));
                    assert.ok(!s.actions.some((a) => a.includes("*")), JSON.stringify(s));
                }
            });
        });
    }

    it("staging: opts into forceDestroy explicitly, is not protected, and has no replication", () => {
        for (const bucket of ofType(staging, BUCKET)) {
            assert.equal(bucket.inputs.forceDestroy, true);
            assert.equal(bucket.protect, false);
            assert.equal(bucket.retainOnDelete, false);
        }
        assert.equal(ofType(staging, REPLICATION).length, 0);
        assert.equal(ofType(staging, BUCKET).length, 2);
    });

    it("production: protects and retains buckets and keys, never forceDestroys", () => {
        const stateful = [...ofType(production, BUCKET), ...ofType(production, "aws:kms/key:Key")];
        assert.equal(stateful.length, 6); // uploads, logs, replica, DR logs; uploads key, replica key
        for (const r of stateful) {
            assert.equal(r.protect, true, `${r.name} protect`);
            assert.equal(r.retainOnDelete, true, `${r.name} retainOnDelete`);
        }
        for (const bucket of ofType(production, BUCKET)) assert.equal(bucket.inputs.forceDestroy, false);
    });

    it("production: replicates every upload version to a KMS-encrypted replica in the DR region", () => {
        const drProvider = one(production, "pulumi:providers:aws", "dr");
        assert.equal(drProvider.inputs.region, "us-west-2");
        const uploads = bucketNamed(production, "storage-uploads");
        const replica = bucketNamed(production, "storage-replica");
        const replicaKey = one(production, "aws:kms/key:Key", "storage-replica-key-key");
        const drRef = (r: { provider?: string }) => r.provider?.split("::").slice(0, -1).join("::");
        assert.equal(drRef(replica), drProvider.urn);
        assert.equal(drRef(replicaKey), drProvider.urn);
        assert.equal(drRef(uploads), undefined);

        const replication = one(production, REPLICATION);
        assert.equal(replication.inputs.bucket, uploads.state.bucket);
        const role = one(production, "aws:iam/role:Role", "storage-replication-role");
        assert.equal(replication.inputs.role, role.state.arn);
        const [rule] = replication.inputs.rules as Record<string, Record<string, unknown>>[];
        assert.equal(rule.status as unknown, "Enabled");
        assert.equal(rule.destination.bucket, replica.state.arn);
        assert.deepEqual(rule.destination.encryptionConfiguration, { replicaKmsKeyId: replicaKey.state.arn });
        assert.deepEqual(rule.deleteMarkerReplication, { status: "Enabled" });
        assert.deepEqual(rule.sourceSelectionCriteria, { sseKmsEncryptedObjects: { status: "Enabled" } });
        // S3 refuses the rule until both buckets are versioned.
        const versionings = ofType(production, "aws:s3/bucketVersioning:BucketVersioning")
            .filter((v) => [uploads.state.bucket, replica.state.bucket].includes(v.inputs.bucket))
            .map((v) => v.urn);
        assert.equal(versionings.length, 2);
        for (const urn of versionings) assert.ok(replication.dependencies.includes(urn), urn);

        const statements = statementsOf(one(production, "aws:iam/rolePolicy:RolePolicy").inputs.policy);
        for (const s of statements) {
            assert.ok(!s.Resource.includes("*"), JSON.stringify(s));
            assert.ok(!s.Action.includes("s3:*"), JSON.stringify(s));
        }
        const write = statements.find((s) => s.Sid === "WriteReplicas");
        assert.deepEqual(write?.Resource, [`${replica.state.arn}/*`]);
    });

    it("production: logs replica access into a versioned SSE-S3 log bucket in the DR region", () => {
        const drProvider = one(production, "pulumi:providers:aws", "dr");
        const drRef = (r: { provider?: string }) => r.provider?.split("::").slice(0, -1).join("::");
        const replica = bucketNamed(production, "storage-replica");
        const drLogs = bucketNamed(production, "storage-replica-logs");
        assert.match(String(drLogs.inputs.bucket), /^migration-api-production-logs-dr-[0-9a-f]{8}$/);
        // S3 delivers access logs only within the source bucket's region: both in the DR region.
        assert.equal(drRef(drLogs), drProvider.urn);
        assert.equal(drRef(replica), drProvider.urn);
        const logging = one(production, "aws:s3/bucketLogging:BucketLogging", "storage-replica-logging");
        assert.equal(drRef(logging), drProvider.urn);
        assert.equal(logging.inputs.bucket, replica.state.bucket);
        assert.equal(logging.inputs.targetBucket, drLogs.state.bucket);
        assert.equal(logging.inputs.targetPrefix, "s3-access/replica/");

        const forDrLogs = (type: string) => one(production, type, new RegExp("^storage-replica-logs-"));
        assert.deepEqual(forDrLogs(SSE).inputs.rules, [
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ]);
        assert.deepEqual(forDrLogs("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration, {
            status: "Enabled",
        });
        const [rule] = forDrLogs(LIFECYCLE).inputs.rules as Record<string, unknown>[];
        assert.deepEqual(rule.noncurrentVersionExpiration, { noncurrentDays: 30 });
        const bySid = Object.fromEntries(statementsOf(forDrLogs(POLICY).inputs.policy).map((s) => [s.Sid, s]));
        assert.deepEqual(Object.keys(bySid).sort(), ["DenyInsecureTransport", "S3ServerAccessLogDelivery"]);
        assert.deepEqual(bySid.S3ServerAccessLogDelivery.Resource, [`${drLogs.state.arn}/s3-access/replica/*`]);
        assert.deepEqual(bySid.S3ServerAccessLogDelivery.Condition?.ArnLike, { "aws:SourceArn": replica.state.arn });
        assert.equal(ofType(staging, "aws:s3/bucketLogging:BucketLogging").length, 1);
    });

    it("adds CORS for presigned browser uploads only when origins are configured", async () => {
        assert.equal(ofType(production, "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration").length, 0);
        const run = await buildStack("staging", {
            overrides: { "migration-api:uploadsCorsAllowedOrigins": '["https://app.example.com"]' },
        });
        const cors = one(run, "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration");
        const [rule] = cors.inputs.corsRules as Record<string, unknown>[];
        assert.deepEqual(rule.allowedOrigins, ["https://app.example.com"]);
        assert.deepEqual(rule.allowedMethods, ["PUT", "POST"]);
    });

    it("fits the longest allowed prefix into S3's 63 characters", async () => {
        const prefix = "a".repeat(MAX_BUCKET_NAME_PREFIX);
        const run = await buildStack("production", { storage: (args) => ({ ...args, bucketNamePrefix: prefix }) });
        const lengths = ofType(run, BUCKET).map((b) => String(b.inputs.bucket).length);
        // logs (prefix + "-logs-" + 8), DR logs (+ "-logs-dr-" + 8), uploads (+ "-uploads-" + 8), replica (+ "-uploads-dr-" + 8)
        assert.deepEqual(
            lengths.sort((a, b) => a - b),
            [57, 60, 60, 63],
        );
    });

    describe("bad input", () => {
        // The validator only checks that a DR provider is given; a real one needs the mock runtime.
        const drProvider = {} as Provider;
        const good = (): StorageArgs => storageArgsFrom(stackConfig("production"), drProvider);
        const messages = (args: Partial<StorageArgs>, name = "storage") =>
            storageArgProblems(name, { ...good(), ...args }).messages;

        it("accepts both stacks' real config", () => {
            assert.deepEqual(storageArgProblems("storage", good()).messages, []);
            assert.deepEqual(storageArgProblems("storage", storageArgsFrom(stackConfig("staging"))).messages, []);
        });

        it("rejects lifecycle days in the wrong order (Standard-IA after Glacier)", () => {
            assert.deepEqual(messages({ transitionToIaDays: 120, transitionToGlacierDays: 90 }), [
                "`transitionToGlacierDays` (90) must be later than `transitionToIaDays` (120).",
            ]);
            assert.deepEqual(messages({ transitionToIaDays: 90, transitionToGlacierDays: 90 }), [
                "`transitionToGlacierDays` (90) must be later than `transitionToIaDays` (90).",
            ]);
            assert.deepEqual(messages({ transitionToIaDays: 29 }), [
                "`transitionToIaDays` must be an integer from 30 to 3650; got 29.",
            ]);
        });

        it("rejects a Glacier transition less than 30 days after the Standard-IA one, which S3 refuses", () => {
            assert.deepEqual(messages({ transitionToIaDays: 30, transitionToGlacierDays: 31 }), [
                "`transitionToGlacierDays` (31) must be at least 30 days after `transitionToIaDays` (30): S3 rejects a lifecycle rule that moves objects out of Standard-IA sooner; got 1 day.",
            ]);
            assert.deepEqual(messages({ transitionToIaDays: 30, transitionToGlacierDays: 59 }), [
                "`transitionToGlacierDays` (59) must be at least 30 days after `transitionToIaDays` (30): S3 rejects a lifecycle rule that moves objects out of Standard-IA sooner; got 29 days.",
            ]);
            assert.deepEqual(messages({ transitionToIaDays: 30, transitionToGlacierDays: 60 }), []);
        });

        it("rejects a bucket name prefix that is too long or not lowercase", () => {
            assert.deepEqual(messages({ bucketNamePrefix: "a".repeat(MAX_BUCKET_NAME_PREFIX) }), []);
            assert.deepEqual(messages({ bucketNamePrefix: "a".repeat(MAX_BUCKET_NAME_PREFIX + 1) }), [
                '`bucketNamePrefix` must be at most 43 characters, leaving room for the longest suffix ("-uploads-dr-" and 8 random hex digits) in S3\'s 63; got 44 characters.',
            ]);
            assert.deepEqual(messages({ bucketNamePrefix: "Migration_API" }), [
                '`bucketNamePrefix` must be lowercase letters, digits and hyphens, starting and ending with a letter or digit; got "Migration_API".',
            ]);
        });

        it("rejects log-version retention outside 1-3650 days", () => {
            assert.deepEqual(messages({ logNoncurrentVersionExpirationDays: 1 }), []);
            assert.deepEqual(messages({ logNoncurrentVersionExpirationDays: 0 }), [
                "`logNoncurrentVersionExpirationDays` must be an integer from 1 to 3650; got 0.",
            ]);
        });

        it("rejects an uploads key prefix that is too long or malformed", () => {
            assert.deepEqual(messages({ uploadsPrefix: `${"a".repeat(256)}/` }), [
                "`uploadsPrefix` must be at most 256 characters; got 257 characters.",
            ]);
            assert.deepEqual(messages({ uploadsPrefix: "uploads" }), [
                '`uploadsPrefix` must be a key prefix of safe characters ending in "/" (e.g. "uploads/"); got "uploads".',
            ]);
        });

        it("rejects replication without a DR provider, forceDestroy on protected buckets, and http origins", () => {
            assert.deepEqual(messages({ replicationEnabled: true, drProvider: undefined }), [
                "`drProvider` must be set when `replicationEnabled` is true: it is the provider of the region to replicate to; got nothing.",
            ]);
            assert.deepEqual(messages({ protect: true, forceDestroy: true }), [
                "`forceDestroy` must be false when `protect` is true: a protected bucket is never emptied by `pulumi destroy`; got true.",
            ]);
            assert.deepEqual(messages({ corsAllowedOrigins: ["https://ok.example.com", "http://app.example.com"] }), [
                '`corsAllowedOrigins[1]` must be an https origin such as "https://app.example.com"; got "http://app.example.com".',
            ]);
        });

        it("throws every problem before creating any child", async () => {
            await assert.rejects(
                simulate(settingsFor("staging"), () => {
                    new Storage("storage", {
                        bucketNamePrefix: "x".repeat(50),
                        transitionToIaDays: 100,
                        transitionToGlacierDays: 40,
                        protect: false,
                    });
                }),
                (error: unknown) => {
                    assert.deepEqual(problemLines(error), [
                        '`bucketNamePrefix` must be at most 43 characters, leaving room for the longest suffix ("-uploads-dr-" and 8 random hex digits) in S3\'s 63; got 50 characters.',
                        "`transitionToGlacierDays` (40) must be later than `transitionToIaDays` (100).",
                    ]);
                    assert.match((error as Error).message, /^invalid arguments for Storage storage:/);
                    return true;
                },
            );
        });
    });
});
