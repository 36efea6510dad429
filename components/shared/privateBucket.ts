import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import type { Provider } from "@pulumi/aws/provider";
import * as s3 from "@pulumi/aws/s3";
import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "./encryptionKey";
import { ArgProblems, matches } from "./validation";

type Statement = input.iam.GetPolicyDocumentStatementArgs;
type LifecycleRule = input.s3.BucketLifecycleConfigurationRule;

export interface PrivateBucketArgs {
    /** The bucket's name: 3-63 lowercase characters, globally unique. */
    readonly bucketName: pulumi.Input<string>;
    /**
     * Customer-managed KMS key for SSE-KMS with S3 bucket keys.
     * @default - SSE-S3 (AES256), for buckets AWS services write to without KMS (ELB access logs)
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * Keep every version of every object.
     * @default true
     */
    readonly versioned?: boolean;
    /**
     * Statements added to the bucket policy after the one that denies requests without TLS.
     * @default []
     */
    readonly policyStatements?: pulumi.Input<Statement>[];
    /**
     * Lifecycle rules of the bucket.
     * @default - no lifecycle configuration
     */
    readonly lifecycleRules?: pulumi.Input<LifecycleRule>[];
    /**
     * Pulumi `protect` and `retainOnDelete` on the bucket itself.
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Opt-out for disposable stacks: let `pulumi destroy` empty and delete the bucket. Needs `protect: false`.
     * @default false
     */
    readonly forceDestroy?: boolean;
}

/**
 * An S3 bucket that cannot leak: all four public-access blocks, owner-enforced object
 * ownership (no ACLs), default encryption, and a policy that denies requests without TLS.
 */
export class PrivateBucket extends pulumi.ComponentResource {
    public readonly bucket: s3.Bucket;
    public readonly bucketName: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    /** Resolves to the bucket's name once its policy is in place (for writers the policy admits). */
    public readonly nameWithPolicy: pulumi.Output<string>;
    /** The versioning resource, when versioned (replication depends on it). */
    public readonly versioning: s3.BucketVersioning | undefined;

    constructor(name: string, args: PrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:storage:PrivateBucket", name, {}, opts);
        const versioned = args.versioned ?? true;
        const protect = args.protect ?? true;
        const forceDestroy = args.forceDestroy ?? false;
        new ArgProblems()
            .check(
                "bucketName",
                typeof args.bucketName === "string" ? args.bucketName : undefined,
                matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "3 to 63 lowercase letters, digits, dots or hyphens"),
            )
            .add(
                protect && forceDestroy,
                "`forceDestroy` must be false when `protect` is true: a protected bucket is never emptied by `pulumi destroy`; got true.",
            )
            .throwIfAny(this, `PrivateBucket ${name}`);

        this.bucket = new s3.Bucket(
            name,
            { bucket: args.bucketName, forceDestroy },
            { parent: this, protect, retainOnDelete: protect },
        );
        const publicAccessBlock = new s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            {
                bucket: this.bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            { parent: this },
        );
        new s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            { parent: this },
        );
        new s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket: this.bucket.id,
                rules: [
                    args.kmsKeyArn === undefined
                        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
                        : {
                              applyServerSideEncryptionByDefault: {
                                  sseAlgorithm: "aws:kms",
                                  kmsMasterKeyId: args.kmsKeyArn,
                              },
                              bucketKeyEnabled: true,
                          },
                ],
            },
            { parent: this },
        );
        this.versioning = versioned
            ? new s3.BucketVersioning(
                  `${name}-versioning`,
                  { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } },
                  { parent: this },
              )
            : undefined;
        const policy = new s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket: this.bucket.id,
                policy: iam.getPolicyDocumentOutput(
                    {
                        statements: [denyInsecureTransport(this.bucket.arn), ...(args.policyStatements ?? [])],
                    },
                    { parent: this },
                ).json,
            },
            // S3 rejects a policy change while the public-access block is being applied.
            { parent: this, dependsOn: [publicAccessBlock] },
        );
        if (args.lifecycleRules !== undefined && args.lifecycleRules.length > 0) {
            new s3.BucketLifecycleConfiguration(
                `${name}-lifecycle`,
                { bucket: this.bucket.id, rules: args.lifecycleRules },
                { parent: this, dependsOn: this.versioning ? [this.versioning] : [] },
            );
        }

        this.bucketName = this.bucket.bucket;
        this.arn = this.bucket.arn;
        this.nameWithPolicy = pulumi.all([this.bucket.bucket, policy.id]).apply(([bucket]) => bucket);
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn, nameWithPolicy: this.nameWithPolicy });
    }
}

/** Denies every request to the bucket that does not use TLS. */
function denyInsecureTransport(bucketArn: pulumi.Input<string>): Statement {
    return {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["s3:*"],
        resources: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
        principals: [{ type: "*", identifiers: ["*"] }],
        conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    };
}

/** What `replicateBucket` needs: the versioned source, its key and region, and the DR region's provider. */
export interface BucketReplicationInputs {
    /** Name of the replica bucket. */
    readonly bucketName: pulumi.Output<string>;
    /** The versioned bucket to replicate. */
    readonly source: PrivateBucket;
    /** KMS key of the source bucket. */
    readonly sourceKeyArn: pulumi.Output<string>;
    /** Region of the source bucket. */
    readonly sourceRegion: pulumi.Input<string>;
    /** Provider of the region the replica lives in. */
    readonly drProvider: Provider;
    readonly noncurrentVersionExpirationDays: number;
    readonly abortIncompleteMultipartUploadDays: number;
    readonly protect: boolean;
    readonly forceDestroy: boolean;
    /** Options of the replica's key (parent, protect, retention), as for the source's key. */
    readonly statefulComponent: pulumi.ComponentResourceOptions;
}

/**
 * A replica of `source` in the DR region: its own key there (`<name>-replica-key`), a versioned
 * private bucket (`<name>-replica`), a role S3 assumes (`<name>-replication-role`), and the
 * replication rule for every version and delete marker (`<name>-replication`). Every child is
 * a child of `parent`. Returns the replica.
 */
export function replicateBucket(name: string, parent: pulumi.Resource, r: BucketReplicationInputs): PrivateBucket {
    const drRegion = getRegionOutput({}, { parent, provider: r.drProvider }).region;
    const replicaKey = new EncryptionKey(
        `${name}-replica-key`,
        { description: `Encrypts the DR replica of the CSV uploads of ${name}` },
        { ...r.statefulComponent, providers: { aws: r.drProvider } },
    );
    const replica = new PrivateBucket(
        `${name}-replica`,
        {
            bucketName: r.bucketName,
            kmsKeyArn: replicaKey.arn,
            versioned: true,
            protect: r.protect,
            forceDestroy: r.forceDestroy,
            lifecycleRules: [
                {
                    id: "expire-versions",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: r.noncurrentVersionExpirationDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: r.abortIncompleteMultipartUploadDays },
                },
            ],
        },
        { parent, providers: { aws: r.drProvider } },
    );

    const document = (statements: Statement[]) => iam.getPolicyDocumentOutput({ statements }, { parent }).json;
    const role = new iam.Role(
        `${name}-replication-role`,
        {
            description: `S3 replication of the uploads of ${name} to the DR region`,
            assumeRolePolicy: document([
                { actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["s3.amazonaws.com"] }] },
            ]),
        },
        { parent },
    );
    const viaS3In = (region: pulumi.Input<string>) => [
        { test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`s3.${region}.amazonaws.com`] },
    ];
    const rolePolicy = new iam.RolePolicy(
        `${name}-replication-policy`,
        {
            role: role.id,
            policy: document([
                {
                    sid: "ReadReplicationConfiguration",
                    actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                    resources: [r.source.arn],
                },
                {
                    sid: "ReadSourceVersions",
                    actions: [
                        "s3:GetObjectVersionForReplication",
                        "s3:GetObjectVersionAcl",
                        "s3:GetObjectVersionTagging",
                    ],
                    resources: [pulumi.interpolate`${r.source.arn}/*`],
                },
                {
                    sid: "WriteReplicas",
                    actions: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                    resources: [pulumi.interpolate`${replica.arn}/*`],
                },
                {
                    sid: "DecryptSource",
                    actions: ["kms:Decrypt"],
                    resources: [r.sourceKeyArn],
                    conditions: viaS3In(r.sourceRegion),
                },
                {
                    sid: "EncryptReplicas",
                    actions: ["kms:Encrypt", "kms:GenerateDataKey"],
                    resources: [replicaKey.arn],
                    conditions: viaS3In(drRegion),
                },
            ]),
        },
        { parent },
    );
    new s3.BucketReplicationConfig(
        `${name}-replication`,
        {
            bucket: r.source.bucket.id,
            role: role.arn,
            rules: [
                {
                    id: "uploads-to-dr",
                    status: "Enabled",
                    priority: 1,
                    filter: {},
                    deleteMarkerReplication: { status: "Enabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: {
                        bucket: replica.arn,
                        storageClass: "STANDARD",
                        encryptionConfiguration: { replicaKmsKeyId: replicaKey.arn },
                    },
                },
            ],
        },
        // S3 refuses a replication rule until both buckets are versioned.
        { parent, dependsOn: [rolePolicy, ...[r.source.versioning, replica.versioning].filter(isDefined)] },
    );
    return replica;
}

function isDefined<T>(value: T | undefined): value is T {
    return value !== undefined;
}
