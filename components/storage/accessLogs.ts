import * as s3 from "@pulumi/aws/s3";
import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { PrivateBucket } from "../shared/privateBucket";

type Statement = input.iam.GetPolicyDocumentStatementArgs;

/** Where S3 server access logs of `source` land in its log bucket. */
export function s3AccessLogPrefix(source: "uploads" | "replica"): string {
    return `s3-access/${source}/`;
}

export interface AccessLogBucketInputs {
    readonly bucketName: pulumi.Input<string>;
    readonly expirationDays: number;
    readonly noncurrentVersionExpirationDays: number;
    readonly abortIncompleteMultipartUploadDays: number;
    readonly protect: boolean;
    readonly forceDestroy: boolean;
    /** Who may deliver logs, besides the TLS-only statement every private bucket has. */
    readonly policyStatements: pulumi.Input<Statement>[];
}

/**
 * A bucket that receives access logs: SSE-S3, the only encryption AWS log delivery writes to;
 * versioned, so a log overwritten or deleted stays recoverable for a while; logs expire, and
 * replaced versions after `noncurrentVersionExpirationDays`. With expiration in days, S3 also
 * removes the delete markers it leaves once they are old enough, so no second rule is needed
 * (S3 API, LifecycleExpiration: ExpiredObjectDeleteMarker "cannot be specified with Days").
 */
export function accessLogBucket(
    name: string,
    inputs: AccessLogBucketInputs,
    opts: pulumi.ComponentResourceOptions,
): PrivateBucket {
    return new PrivateBucket(
        name,
        {
            bucketName: inputs.bucketName,
            versioned: true,
            protect: inputs.protect,
            forceDestroy: inputs.forceDestroy,
            policyStatements: inputs.policyStatements,
            lifecycleRules: [
                {
                    id: "expire-logs",
                    status: "Enabled",
                    filter: {},
                    expiration: { days: inputs.expirationDays },
                    noncurrentVersionExpiration: { noncurrentDays: inputs.noncurrentVersionExpirationDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: inputs.abortIncompleteMultipartUploadDays },
                },
            ],
        },
        opts,
    );
}

/**
 * Lets S3 server access logging of `sourceBucketArn` (in this account) write under `prefix`
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
 */
export function s3LogDeliveryStatement(
    logBucketArn: pulumi.Input<string>,
    prefix: string,
    sourceBucketArn: pulumi.Input<string>,
    account: pulumi.Input<string>,
): Statement {
    return {
        sid: "S3ServerAccessLogDelivery",
        actions: ["s3:PutObject"],
        resources: [pulumi.interpolate`${logBucketArn}/${prefix}*`],
        principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
        conditions: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [sourceBucketArn] },
        ],
    };
}

/** Server access logging of `source` into `target` under `prefix`, partitioned by event time. */
export function bucketLogging(
    name: string,
    source: PrivateBucket,
    target: PrivateBucket,
    prefix: string,
    opts: pulumi.CustomResourceOptions,
): s3.BucketLogging {
    return new s3.BucketLogging(
        name,
        {
            bucket: source.bucket.id,
            targetBucket: target.nameWithPolicy,
            targetPrefix: prefix,
            targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        },
        opts,
    );
}
