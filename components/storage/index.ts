import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { EncryptionKey } from "../shared/encryptionKey";
import { PrivateBucket, replicateBucket } from "../shared/privateBucket";
import { ArgProblems, integerInRange, matches } from "../shared/validation";
import {
    ACCESS_LOG_DEFAULTS,
    ACCESS_LOG_LIMITS,
    accessLogBucket,
    bucketLogging,
    s3AccessLogPrefix,
    s3LogDeliveryStatement,
} from "./accessLogs";

export { ACCESS_LOG_DEFAULTS, ACCESS_LOG_LIMITS } from "./accessLogs";

type Statement = aws.types.input.iam.GetPolicyDocumentStatement;

/** The longest suffix a bucket name gets: `-uploads-dr-` and 8 random hex digits. */
const LONGEST_BUCKET_SUFFIX = "-uploads-dr-".length + 8;
/** S3 bucket names are at most 63 characters. */
export const MAX_BUCKET_NAME_PREFIX = 63 - LONGEST_BUCKET_SUFFIX;
/** S3 refuses a lifecycle rule whose Glacier transition comes less than 30 days after its Standard-IA one. */
export const MIN_DAYS_IN_STANDARD_IA = 30;

export interface StorageArgs {
    /**
     * Lowercase prefix of the bucket names (`<prefix>-uploads-<random>`, `<prefix>-logs-<random>`,
     * `<prefix>-uploads-dr-<random>`), at most 43 characters so the longest name fits S3's 63.
     * @default - the component's `name`
     */
    readonly bucketNamePrefix?: string;
    /**
     * Key prefix under which the API stores uploads; the IAM grant covers only this prefix.
     * @default "uploads/"
     */
    readonly uploadsPrefix?: string;
    /**
     * Days after upload before an object moves to Standard-IA (S3 requires at least 30).
     * @default 30
     */
    readonly transitionToIaDays?: number;
    /**
     * Days after upload before an object moves to Glacier Flexible Retrieval; later than `transitionToIaDays`.
     * @default 90
     */
    readonly transitionToGlacierDays?: number;
    /**
     * Days a replaced or deleted upload version is kept before it expires.
     * @default 90
     */
    readonly noncurrentVersionExpirationDays?: number;
    /**
     * Days after which an unfinished multipart upload is aborted and its parts deleted.
     * @default 7
     */
    readonly abortIncompleteMultipartUploadDays?: number;
    /**
     * Days access logs (ALB and S3 server access logs) are kept in the log bucket.
     * @default 90
     */
    readonly logExpirationDays?: number;
    /**
     * Days a replaced or deleted object of a log bucket is kept (the log buckets are versioned).
     * @default 30
     */
    readonly logNoncurrentVersionExpirationDays?: number;
    /**
     * Key prefix of the ALB access logs in the log bucket; the ELB log-delivery grant covers only it.
     * @default "alb"
     */
    readonly albAccessLogsPrefix?: string;
    /**
     * Browser origins (https) allowed to upload with presigned URLs; empty means no CORS rule.
     * @default []
     */
    readonly corsAllowedOrigins?: readonly string[];
    /**
     * Replicate the uploads bucket (every version, delete markers too) to a bucket in the region of `drProvider`.
     * @default false
     */
    readonly replicationEnabled?: boolean;
    /**
     * Provider for the disaster-recovery region, with the same default tags; required by `replicationEnabled`.
     * @default - none
     */
    readonly drProvider?: aws.Provider;
    /**
     * Pulumi `protect` and `retainOnDelete` on the buckets and keys: `pulumi destroy` never deletes uploads.
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Opt-out for disposable stacks: let `pulumi destroy` empty and delete the buckets. Needs `protect: false`.
     * @default false
     */
    readonly forceDestroy?: boolean;
}

/** Every problem with a Storage's args; the constructor throws them together. Exported for tests. */
export function storageArgProblems(name: string, args: StorageArgs): ArgProblems {
    const bucketNamePrefix = args.bucketNamePrefix ?? name;
    const uploadsPrefix = args.uploadsPrefix ?? "uploads/";
    const transitionToIaDays = args.transitionToIaDays ?? 30;
    const transitionToGlacierDays = args.transitionToGlacierDays ?? 90;
    const protect = args.protect ?? true;
    const problems = new ArgProblems()
        .check(
            "bucketNamePrefix",
            bucketNamePrefix,
            matches(
                /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
                "lowercase letters, digits and hyphens, starting and ending with a letter or digit",
            ),
        )
        .add(
            bucketNamePrefix.length > MAX_BUCKET_NAME_PREFIX,
            `\`bucketNamePrefix\` must be at most ${MAX_BUCKET_NAME_PREFIX} characters, leaving room for the longest suffix ("-uploads-dr-" and 8 random hex digits) in S3's 63; got ${bucketNamePrefix.length} characters.`,
        )
        .check(
            "uploadsPrefix",
            uploadsPrefix,
            matches(/^([A-Za-z0-9!_.*'()-]+\/)+$/, 'a key prefix of safe characters ending in "/" (e.g. "uploads/")'),
        )
        .add(
            uploadsPrefix.length > 256,
            `\`uploadsPrefix\` must be at most 256 characters; got ${uploadsPrefix.length} characters.`,
        )
        .check("transitionToIaDays", transitionToIaDays, integerInRange(30, 3650))
        .check("transitionToGlacierDays", transitionToGlacierDays, integerInRange(1, 3650))
        .add(
            transitionToGlacierDays <= transitionToIaDays,
            `\`transitionToGlacierDays\` (${transitionToGlacierDays}) must be later than \`transitionToIaDays\` (${transitionToIaDays}).`,
        )
        .add(
            transitionToGlacierDays > transitionToIaDays &&
                transitionToGlacierDays - transitionToIaDays < MIN_DAYS_IN_STANDARD_IA,
            `\`transitionToGlacierDays\` (${transitionToGlacierDays}) must be at least ${MIN_DAYS_IN_STANDARD_IA} days after \`transitionToIaDays\` (${transitionToIaDays}): S3 rejects a lifecycle rule that moves objects out of Standard-IA sooner; got ${plural(transitionToGlacierDays - transitionToIaDays, "day")}.`,
        )
        .check("noncurrentVersionExpirationDays", args.noncurrentVersionExpirationDays, integerInRange(1, 3650))
        .check("abortIncompleteMultipartUploadDays", args.abortIncompleteMultipartUploadDays, integerInRange(1, 365))
        .check("logExpirationDays", args.logExpirationDays, integerInRange(1, 3650))
        .check(
            "logNoncurrentVersionExpirationDays",
            args.logNoncurrentVersionExpirationDays,
            integerInRange(
                ACCESS_LOG_LIMITS.noncurrentVersionExpirationDays.min,
                ACCESS_LOG_LIMITS.noncurrentVersionExpirationDays.max,
            ),
        )
        .check(
            "albAccessLogsPrefix",
            args.albAccessLogsPrefix,
            matches(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/, 'a key prefix without leading or trailing "/" (e.g. "alb")'),
        )
        .add(
            (args.replicationEnabled ?? false) && args.drProvider === undefined,
            "`drProvider` must be set when `replicationEnabled` is true: it is the provider of the region to replicate to; got nothing.",
        )
        .add(
            protect && (args.forceDestroy ?? false),
            "`forceDestroy` must be false when `protect` is true: a protected bucket is never emptied by `pulumi destroy`; got true.",
        );
    (args.corsAllowedOrigins ?? []).forEach((origin, i) =>
        problems.check(
            `corsAllowedOrigins[${i}]`,
            origin,
            matches(/^https:\/\/[a-z0-9.-]+(:\d+)?$/, 'an https origin such as "https://app.example.com"'),
        ),
    );
    return problems;
}

/**
 * The CSV uploads bucket (versioned, SSE-KMS with its own key, private, TLS-only, tiered to
 * Standard-IA then Glacier, access-logged), the log bucket that also takes the ALB's access
 * logs (SSE-S3, as ELB log delivery requires; versioned), and optionally a replica in the DR
 * region, access-logged into a log bucket of its own there.
 */
export class Storage extends pulumi.ComponentResource {
    public readonly uploadsBucketName: pulumi.Output<string>;
    public readonly uploadsBucketArn: pulumi.Output<string>;
    public readonly uploadsKeyArn: pulumi.Output<string>;
    /** The key prefix the API writes uploads under. */
    public readonly uploadsPrefix: pulumi.Output<string>;
    /** Name of the log bucket; resolves once its log-delivery policy is in place, so the ALB may log to it. */
    public readonly logBucketName: pulumi.Output<string>;
    public readonly logBucketArn: pulumi.Output<string>;
    /** Key prefix the ALB must use for access logs in the log bucket. */
    public readonly albAccessLogsPrefix: pulumi.Output<string>;
    /** ARN of the DR replica bucket, or undefined without replication. */
    public readonly replicaBucketArn: pulumi.Output<string | undefined>;

    private readonly region: pulumi.Output<string>;

    constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:storage:Storage", name, {}, opts);
        const bucketNamePrefix = args.bucketNamePrefix ?? name;
        const uploadsPrefix = args.uploadsPrefix ?? "uploads/";
        const transitionToIaDays = args.transitionToIaDays ?? 30;
        const transitionToGlacierDays = args.transitionToGlacierDays ?? 90;
        const noncurrentVersionExpirationDays = args.noncurrentVersionExpirationDays ?? 90;
        const abortIncompleteMultipartUploadDays = args.abortIncompleteMultipartUploadDays ?? 7;
        const logExpirationDays = args.logExpirationDays ?? 90;
        const logNoncurrentVersionExpirationDays =
            args.logNoncurrentVersionExpirationDays ?? ACCESS_LOG_DEFAULTS.noncurrentVersionExpirationDays;
        const albAccessLogsPrefix = args.albAccessLogsPrefix ?? "alb";
        const corsAllowedOrigins = args.corsAllowedOrigins ?? [];
        const replicationEnabled = args.replicationEnabled ?? false;
        const protect = args.protect ?? true;
        const forceDestroy = args.forceDestroy ?? false;
        storageArgProblems(name, args).throwIfAny(this, `Storage ${name}`);

        const statefulComponent: pulumi.ComponentResourceOptions = {
            parent: this,
            protect,
            // Keys stay in AWS even if removed from the program (retainOnDelete is not inherited).
            transformations: protect ? [retainChildren] : [],
        };

        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        this.region = aws.getRegionOutput({}, { parent: this }).region;
        // Stable, globally unique bucket names: a random suffix kept in state.
        const suffix = new random.RandomId(`${name}-suffix`, { byteLength: 4 }, { parent: this });
        const uploadsBucketName = pulumi.interpolate`${bucketNamePrefix}-uploads-${suffix.hex}`;
        const logBucketName = pulumi.interpolate`${bucketNamePrefix}-logs-${suffix.hex}`;
        const logBucketArn = pulumi.interpolate`arn:${partition}:s3:::${logBucketName}`;
        const uploadsBucketArn = pulumi.interpolate`arn:${partition}:s3:::${uploadsBucketName}`;

        // --- Log bucket: SSE-S3 (ELB log delivery cannot use KMS), private, TLS-only, versioned, expiring.
        const elbAccount = aws.elb.getServiceAccountOutput({}, { parent: this });
        const albLogObjects = pulumi.interpolate`${logBucketArn}/${albAccessLogsPrefix}/AWSLogs/${account}/*`;
        const logBucketInputs = {
            expirationDays: logExpirationDays,
            noncurrentVersionExpirationDays: logNoncurrentVersionExpirationDays,
            abortIncompleteMultipartUploadDays,
            protect,
            forceDestroy,
        };
        const logs = accessLogBucket(
            `${name}-logs`,
            {
                ...logBucketInputs,
                bucketName: logBucketName,
                policyStatements: [
                    {
                        sid: "ElbAccountLogDelivery",
                        actions: ["s3:PutObject"],
                        resources: [albLogObjects],
                        principals: [{ type: "AWS", identifiers: [elbAccount.arn] }],
                    },
                    {
                        sid: "ElbServiceLogDelivery",
                        actions: ["s3:PutObject"],
                        resources: [albLogObjects],
                        principals: [
                            { type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] },
                        ],
                    },
                    s3LogDeliveryStatement(logBucketArn, s3AccessLogPrefix("uploads"), uploadsBucketArn, account),
                ],
            },
            { parent: this },
        );

        // --- Uploads bucket: SSE-KMS with its own key, versioned, TLS-only, key-enforced, tiered.
        const uploadsKey = new EncryptionKey(
            `${name}-uploads-key`,
            { description: `Encrypts the CSV uploads of ${name}` },
            statefulComponent,
        );
        const uploadObjects = pulumi.interpolate`${uploadsBucketArn}/*`;
        /** Denies uploads (PutObject, and so CreateMultipartUpload) when every condition holds. */
        const denyPut = (
            sid: string,
            ...conditions: aws.types.input.iam.GetPolicyDocumentStatementConditionArgs[]
        ) => ({
            sid,
            effect: "Deny",
            actions: ["s3:PutObject"],
            resources: [uploadObjects],
            principals: [{ type: "*", identifiers: ["*"] }],
            conditions,
        });
        const uploads = new PrivateBucket(
            `${name}-uploads`,
            {
                bucketName: uploadsBucketName,
                kmsKeyArn: uploadsKey.arn,
                versioned: true,
                protect,
                forceDestroy,
                policyStatements: [
                    denyPut("DenyUploadsNotEncryptedWithKms", {
                        test: "StringNotEqualsIfExists",
                        variable: "s3:x-amz-server-side-encryption",
                        values: ["aws:kms"],
                    }),
                    denyPut("DenyUploadsWithAnotherKey", {
                        test: "StringNotEqualsIfExists",
                        variable: "s3:x-amz-server-side-encryption-aws-kms-key-id",
                        values: [uploadsKey.arn],
                    }),
                    // "aws:kms" without a key id means the AWS-managed aws/s3 key, not the bucket's key.
                    denyPut(
                        "DenyKmsUploadsWithoutTheKeyId",
                        { test: "StringEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] },
                        { test: "Null", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: ["true"] },
                    ),
                    denyPut("DenyCustomerProvidedKeys", {
                        test: "Null",
                        variable: "s3:x-amz-server-side-encryption-customer-algorithm",
                        values: ["false"],
                    }),
                ],
                lifecycleRules: [
                    {
                        id: "tier-and-expire-versions",
                        status: "Enabled",
                        filter: {},
                        transitions: [
                            { days: transitionToIaDays, storageClass: "STANDARD_IA" },
                            { days: transitionToGlacierDays, storageClass: "GLACIER" },
                        ],
                        noncurrentVersionExpiration: { noncurrentDays: noncurrentVersionExpirationDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: abortIncompleteMultipartUploadDays },
                    },
                    {
                        id: "remove-expired-delete-markers",
                        status: "Enabled",
                        filter: {},
                        expiration: { expiredObjectDeleteMarker: true },
                    },
                ],
            },
            { parent: this },
        );
        bucketLogging(`${name}-uploads-logging`, uploads, logs, s3AccessLogPrefix("uploads"), { parent: this });
        if (corsAllowedOrigins.length > 0) {
            new aws.s3.BucketCorsConfiguration(
                `${name}-uploads-cors`,
                {
                    bucket: uploads.bucket.id,
                    corsRules: [
                        {
                            id: "presigned-browser-uploads",
                            allowedOrigins: [...corsAllowedOrigins],
                            allowedMethods: ["PUT", "POST"],
                            allowedHeaders: ["content-type", "content-md5", "x-amz-*"],
                            exposeHeaders: ["ETag"],
                            maxAgeSeconds: 3000,
                        },
                    ],
                },
                { parent: this },
            );
        }

        let replicaBucketArn: pulumi.Output<string | undefined> = pulumi.output(undefined);
        if (replicationEnabled && args.drProvider) {
            const replica = replicateBucket(name, this, {
                bucketName: pulumi.interpolate`${bucketNamePrefix}-uploads-dr-${suffix.hex}`,
                source: uploads,
                sourceKeyArn: uploadsKey.arn,
                sourceRegion: this.region,
                drProvider: args.drProvider,
                noncurrentVersionExpirationDays,
                abortIncompleteMultipartUploadDays,
                protect,
                forceDestroy,
                statefulComponent,
            });
            replicaBucketArn = replica.arn;
            // S3 delivers server access logs only to a bucket in the source's region and account
            // (S3 user guide, "Enabling Amazon S3 server access logging"): the replica gets its own
            // log bucket in the DR region, which also survives the loss of the primary region.
            const drLogBucketName = pulumi.interpolate`${bucketNamePrefix}-logs-dr-${suffix.hex}`;
            const drLogs = accessLogBucket(
                `${name}-replica-logs`,
                {
                    ...logBucketInputs,
                    bucketName: drLogBucketName,
                    policyStatements: [
                        s3LogDeliveryStatement(
                            pulumi.interpolate`arn:${partition}:s3:::${drLogBucketName}`,
                            s3AccessLogPrefix("replica"),
                            replica.arn,
                            account,
                        ),
                    ],
                },
                { parent: this, providers: { aws: args.drProvider } },
            );
            bucketLogging(`${name}-replica-logging`, replica, drLogs, s3AccessLogPrefix("replica"), {
                parent: this,
                provider: args.drProvider,
            });
        }

        this.uploadsBucketName = uploads.bucketName;
        this.uploadsBucketArn = uploads.arn;
        this.uploadsKeyArn = uploadsKey.arn;
        this.uploadsPrefix = pulumi.output(uploadsPrefix);
        this.logBucketName = logs.nameWithPolicy;
        this.logBucketArn = logs.arn;
        this.albAccessLogsPrefix = pulumi.output(albAccessLogsPrefix);
        this.replicaBucketArn = replicaBucketArn;
        this.registerOutputs({
            uploadsBucketName: this.uploadsBucketName,
            uploadsBucketArn: this.uploadsBucketArn,
            uploadsKeyArn: this.uploadsKeyArn,
            uploadsPrefix: this.uploadsPrefix,
            logBucketName: this.logBucketName,
            logBucketArn: this.logBucketArn,
            albAccessLogsPrefix: this.albAccessLogsPrefix,
            replicaBucketArn: this.replicaBucketArn,
        });
    }

    /**
     * Least-privilege statements for a principal that reads and writes uploads: objects under
     * the uploads prefix, listing only that prefix, and the uploads key through S3 only.
     */
    public grantReadWrite(): pulumi.Output<Statement[]> {
        return pulumi
            .all([this.uploadsBucketArn, this.uploadsPrefix, this.uploadsKeyArn, this.region])
            .apply(([bucketArn, prefix, keyArn, region]) => [
                {
                    sid: "UploadsObjectsReadWrite",
                    actions: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                    resources: [`${bucketArn}/${prefix}*`],
                },
                {
                    sid: "UploadsPrefixList",
                    actions: ["s3:ListBucket"],
                    resources: [bucketArn],
                    conditions: [{ test: "StringLike", variable: "s3:prefix", values: [`${prefix}*`] }],
                },
                {
                    sid: "UploadsKeyUseThroughS3",
                    actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
                    resources: [keyArn],
                    conditions: [
                        { test: "StringEquals", variable: "kms:ViaService", values: [`s3.${region}.amazonaws.com`] },
                    ],
                },
            ]);
    }
}

function plural(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Keeps the children of a protected component (the KMS keys) in AWS when they leave the program. */
const retainChildren: pulumi.ResourceTransformation = (resource) => ({
    props: resource.props,
    opts: pulumi.mergeOptions(resource.opts, { retainOnDelete: true }),
});
