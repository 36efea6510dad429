import { PolicyResource } from "@pulumi/policy";
import {
    AlbLoadBalancer,
    LbLogsConfig,
    LoadBalancer,
    S3Bucket,
    S3BucketLogging,
    S3BucketLoggingV2,
    S3BucketProps,
    S3BucketV2,
} from "./awsTypes";
import { identifiers, knownOrUndefined, resourcesOf, Typed, whenKnown } from "./common";

/** The buckets of a stack: `aws:s3/bucket:Bucket` and the v6 name `aws:s3/bucketV2:BucketV2`. */
export function bucketsOf(resources: readonly PolicyResource[]): Typed<S3BucketProps>[] {
    return [...resourcesOf(resources, S3Bucket), ...resourcesOf(resources, S3BucketV2)];
}

/** Names and ids by which other resources refer to a bucket. */
export function bucketKeys(bucket: Typed<S3BucketProps>): string[] {
    return identifiers(bucket.resource.props, "bucket");
}

export interface LogTargets {
    /** Bucket names that receive load balancer or S3 server access logs (SSE-S3 only). */
    names: Set<string>;
    /** Whether every link was known; when not, a bucket outside `names` may still be a target. */
    complete: boolean;
}

/**
 * The buckets that receive access logs, which AWS delivers only to SSE-S3 (AES256) buckets:
 * a load balancer's `accessLogs`/`connectionLogs` bucket (unless `enabled: false`) and an S3
 * server-access-logging `targetBucket`.
 */
export function logTargets(resources: readonly PolicyResource[]): LogTargets {
    const names = new Set<string>();
    let complete = true;
    const add = (read: () => string | undefined) => {
        const known = whenKnown(() => {
            const name = read();
            if (name) names.add(name);
        });
        complete &&= known;
    };
    const fromLogs = (logs: LbLogsConfig | undefined) =>
        logs && logs.enabled !== false && typeof logs.bucket === "string" ? logs.bucket : undefined;
    for (const lb of [...resourcesOf(resources, LoadBalancer), ...resourcesOf(resources, AlbLoadBalancer)]) {
        add(() => fromLogs(lb.props.accessLogs));
        add(() => fromLogs(lb.props.connectionLogs));
    }
    for (const logging of [...resourcesOf(resources, S3BucketLogging), ...resourcesOf(resources, S3BucketLoggingV2)]) {
        add(() => logging.props.targetBucket);
    }
    return { names, complete };
}

/** Whether a bucket is a known access-log target. */
export function isLogTarget(bucket: Typed<S3BucketProps>, targets: LogTargets): boolean {
    return bucketKeys(bucket).some((key) => targets.names.has(key));
}

/**
 * Groups `configs` (resources with a `bucket` input naming their bucket) by that name;
 * `complete` is false when some link was unknown.
 */
export function byBucket<T extends { bucket?: string }>(
    configs: Typed<T>[],
): { map: Map<string, Typed<T>[]>; complete: boolean } {
    const map = new Map<string, Typed<T>[]>();
    let complete = true;
    for (const config of configs) {
        const name = knownOrUndefined(() => config.props.bucket);
        if (name === undefined) {
            complete &&= whenKnown(() => config.props.bucket);
            continue;
        }
        map.set(name, [...(map.get(name) ?? []), config]);
    }
    return { map, complete };
}

/** The configs linked to a bucket by any of its names. */
export function linkedTo<T>(bucket: Typed<S3BucketProps>, map: Map<string, Typed<T>[]>): Typed<T>[] {
    return [...new Set(bucketKeys(bucket).flatMap((key) => map.get(key) ?? []))];
}
