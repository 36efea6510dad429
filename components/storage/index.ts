import * as elb from "@pulumi/aws/elb";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as s3 from "@pulumi/aws/s3";
import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { EncryptionKey } from "../shared/encryptionKey";
import { PrivateBucket, replicateBucket } from "../shared/privateBucket";
import { StorageArgs, STORAGE_DEFAULTS, storageArgProblems } from "./args";
import { accessLogBucket, bucketLogging, s3AccessLogPrefix, s3LogDeliveryStatement } from "./accessLogs";

export {
    MAX_BUCKET_NAME_PREFIX,
    MIN_DAYS_IN_STANDARD_IA,
    STORAGE_DEFAULTS,
    STORAGE_LIMITS,
    storageArgProblems,
} from "./args";
export type { StorageArgs } from "./args";

type Statement = input.iam.GetPolicyDocumentStatement;

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
        const uploadsPrefix = args.uploadsPrefix ?? STORAGE_DEFAULTS.uploadsPrefix;
        const transitionToIaDays = args.transitionToIaDays ?? STORAGE_DEFAULTS.transitionToIaDays;
        const transitionToGlacierDays = args.transitionToGlacierDays ?? STORAGE_DEFAULTS.transitionToGlacierDays;
        const noncurrentVersionExpirationDays =
            args.noncurrentVersionExpirationDays ?? STORAGE_DEFAULTS.noncurrentVersionExpirationDays;
        const abortIncompleteMultipartUploadDays =
            args.abortIncompleteMultipartUploadDays ?? STORAGE_DEFAULTS.abortIncompleteMultipartUploadDays;
        const logExpirationDays = args.logExpirationDays ?? STORAGE_DEFAULTS.logExpirationDays;
        const logNoncurrentVersionExpirationDays =
            args.logNoncurrentVersionExpirationDays ?? STORAGE_DEFAULTS.logNoncurrentVersionExpirationDays;
        const albAccessLogsPrefix = args.albAccessLogsPrefix ?? STORAGE_DEFAULTS.albAccessLogsPrefix;
        const corsAllowedOrigins = args.corsAllowedOrigins ?? STORAGE_DEFAULTS.corsAllowedOrigins;
        const replicationEnabled = args.replicationEnabled ?? STORAGE_DEFAULTS.replicationEnabled;
        const protect = args.protect ?? STORAGE_DEFAULTS.protect;
        const forceDestroy = args.forceDestroy ?? STORAGE_DEFAULTS.forceDestroy;
        storageArgProblems(name, args).throwIfAny(this, `Storage ${name}`);

        const statefulComponent: pulumi.ComponentResourceOptions = {
            parent: this,
            protect,
            // Keys stay in AWS even if removed from the program (retainOnDelete is not inherited).
            transformations: protect ? [retainChildren] : [],
        };

        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = getPartitionOutput({}, { parent: this }).partition;
        this.region = getRegionOutput({}, { parent: this }).region;
        // Stable, globally unique bucket names: a random suffix kept in state.
        const suffix = new random.RandomId(`${name}-suffix`, { byteLength: 4 }, { parent: this });
        const uploadsBucketName = pulumi.interpolate`${bucketNamePrefix}-uploads-${suffix.hex}`;
        const logBucketName = pulumi.interpolate`${bucketNamePrefix}-logs-${suffix.hex}`;
        const logBucketArn = pulumi.interpolate`arn:${partition}:s3:::${logBucketName}`;
        const uploadsBucketArn = pulumi.interpolate`arn:${partition}:s3:::${uploadsBucketName}`;

        // --- Log bucket: SSE-S3 (ELB log delivery cannot use KMS), private, TLS-only, versioned, expiring.
        const elbAccount = elb.getServiceAccountOutput({}, { parent: this });
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
        const denyPut = (sid: string, ...conditions: input.iam.GetPolicyDocumentStatementConditionArgs[]) => ({
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
            new s3.BucketCorsConfiguration(
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

/** Keeps the children of a protected component (the KMS keys) in AWS when they leave the program. */
const retainChildren: pulumi.ResourceTransformation = (resource) => ({
    props: resource.props,
    opts: pulumi.mergeOptions(resource.opts, { retainOnDelete: true }),
});
