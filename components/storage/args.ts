import type { Provider } from "@pulumi/aws/provider";
import { ArgProblems, integerIn, matches } from "../shared/validation";

/** The longest suffix a bucket name gets: `-uploads-dr-` and 8 random hex digits. */
const LONGEST_BUCKET_SUFFIX = "-uploads-dr-".length + 8;
/** S3 bucket names are at most 63 characters. */
export const MAX_BUCKET_NAME_PREFIX = 63 - LONGEST_BUCKET_SUFFIX;
/** S3 refuses a lifecycle rule whose Glacier transition comes less than 30 days after its Standard-IA one. */
export const MIN_DAYS_IN_STANDARD_IA = 30;

/** The Storage's defaults: its constructor, the `@default`s below and the stack config all read these. */
export const STORAGE_DEFAULTS = {
    uploadsPrefix: "uploads/",
    transitionToIaDays: 30,
    transitionToGlacierDays: 90,
    noncurrentVersionExpirationDays: 90,
    abortIncompleteMultipartUploadDays: 7,
    logExpirationDays: 90,
    // Replaced or deleted log objects (the log buckets are versioned) are kept this long.
    logNoncurrentVersionExpirationDays: 30,
    albAccessLogsPrefix: "alb",
    corsAllowedOrigins: [],
    replicationEnabled: false,
    protect: true,
    forceDestroy: false,
} as const;

/** The Storage's limits (days), read by its validation and by the stack config. */
export const STORAGE_LIMITS = {
    // S3 moves objects to Standard-IA no sooner than 30 days after creation:
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
    transitionToIaDays: { min: 30, max: 3650 },
    transitionToGlacierDays: { min: 1, max: 3650 },
    noncurrentVersionExpirationDays: { min: 1, max: 3650 },
    abortIncompleteMultipartUploadDays: { min: 1, max: 365 },
    logExpirationDays: { min: 1, max: 3650 },
    logNoncurrentVersionExpirationDays: { min: 1, max: 3650 },
} as const;

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
    readonly drProvider?: Provider;
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
    const uploadsPrefix = args.uploadsPrefix ?? STORAGE_DEFAULTS.uploadsPrefix;
    const transitionToIaDays = args.transitionToIaDays ?? STORAGE_DEFAULTS.transitionToIaDays;
    const transitionToGlacierDays = args.transitionToGlacierDays ?? STORAGE_DEFAULTS.transitionToGlacierDays;
    const protect = args.protect ?? STORAGE_DEFAULTS.protect;
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
        .check("transitionToIaDays", transitionToIaDays, integerIn(STORAGE_LIMITS.transitionToIaDays))
        .check("transitionToGlacierDays", transitionToGlacierDays, integerIn(STORAGE_LIMITS.transitionToGlacierDays))
        .add(
            transitionToGlacierDays <= transitionToIaDays,
            `\`transitionToGlacierDays\` (${transitionToGlacierDays}) must be later than \`transitionToIaDays\` (${transitionToIaDays}).`,
        )
        .add(
            transitionToGlacierDays > transitionToIaDays &&
                transitionToGlacierDays - transitionToIaDays < MIN_DAYS_IN_STANDARD_IA,
            `\`transitionToGlacierDays\` (${transitionToGlacierDays}) must be at least ${MIN_DAYS_IN_STANDARD_IA} days after \`transitionToIaDays\` (${transitionToIaDays}): S3 rejects a lifecycle rule that moves objects out of Standard-IA sooner; got ${plural(transitionToGlacierDays - transitionToIaDays, "day")}.`,
        )
        .check(
            "noncurrentVersionExpirationDays",
            args.noncurrentVersionExpirationDays,
            integerIn(STORAGE_LIMITS.noncurrentVersionExpirationDays),
        )
        .check(
            "abortIncompleteMultipartUploadDays",
            args.abortIncompleteMultipartUploadDays,
            integerIn(STORAGE_LIMITS.abortIncompleteMultipartUploadDays),
        )
        .check("logExpirationDays", args.logExpirationDays, integerIn(STORAGE_LIMITS.logExpirationDays))
        .check(
            "logNoncurrentVersionExpirationDays",
            args.logNoncurrentVersionExpirationDays,
            integerIn(STORAGE_LIMITS.logNoncurrentVersionExpirationDays),
        )
        .check(
            "albAccessLogsPrefix",
            args.albAccessLogsPrefix,
            matches(/^[a-z0-9-]+(\/[a-z0-9-]+)*$/, 'a key prefix without leading or trailing "/" (e.g. "alb")'),
        )
        .add(
            (args.replicationEnabled ?? STORAGE_DEFAULTS.replicationEnabled) && args.drProvider === undefined,
            "`drProvider` must be set when `replicationEnabled` is true: it is the provider of the region to replicate to; got nothing.",
        )
        .add(
            protect && (args.forceDestroy ?? STORAGE_DEFAULTS.forceDestroy),
            "`forceDestroy` must be false when `protect` is true: a protected bucket is never emptied by `pulumi destroy`; got true.",
        );
    (args.corsAllowedOrigins ?? STORAGE_DEFAULTS.corsAllowedOrigins).forEach((origin, i) =>
        problems.check(
            `corsAllowedOrigins[${i}]`,
            origin,
            matches(/^https:\/\/[a-z0-9.-]+(:\d+)?$/, 'an https origin such as "https://app.example.com"'),
        ),
    );
    return problems;
}

function plural(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
