import { StackValidationPolicy } from "@pulumi/policy";
import { S3BucketSse, S3BucketSseV2, SseDefault, SseRule } from "../awsTypes";
import { allowAwsManagedKeysSchema, asList, keyProblem, resourcesOf, show, whenKnown } from "../common";
import { label } from "../labels";
import { bucketsOf, byBucket, isLogTarget, linkedTo, logTargets } from "../logTargets";

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/**
 * Follows each `BucketServerSideEncryptionConfiguration` to its bucket by the `bucket` input
 * (the bucket's name). A bucket with no such resource falls back to the deprecated inline
 * `serverSideEncryptionConfiguration` a stack export reports. Access-log targets must use
 * AES256, which is all AWS log delivery supports; every other bucket must use KMS.
 * Unknown links (preview) cannot be judged: a bucket is then reported missing a configuration
 * only when every link is known.
 */
export const s3BucketRequireEncryption: StackValidationPolicy = {
    name: "s3-bucket-require-encryption",
    description:
        "S3 buckets must have a server-side encryption configuration that uses KMS, or SSE-S3 for access-log targets.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowAwsManagedKeys: allowAwsManagedKeysSchema } },
    validateStack: (args, report) => {
        const { allowAwsManagedKeys } = args.getConfig<{ allowAwsManagedKeys: boolean }>();
        const targets = logTargets(args.resources);
        const configs = byBucket([
            ...resourcesOf(args.resources, S3BucketSse),
            ...resourcesOf(args.resources, S3BucketSseV2),
        ]);
        for (const bucket of bucketsOf(args.resources)) {
            whenKnown(() => {
                const what = label("S3 bucket", bucket.resource.name);
                const urn = bucket.resource.urn;
                const logTarget = isLogTarget(bucket, targets);
                const linked = linkedTo(bucket, configs.map);
                const inline = bucket.props.serverSideEncryptionConfiguration;
                const rules: SseRule[] =
                    linked.length > 0
                        ? linked.flatMap((config) => asList(config.props.rules))
                        : [...asList(inline?.rule), ...asList(inline?.rules)];
                const defaults = rules
                    .map((rule) => rule.applyServerSideEncryptionByDefault)
                    .filter((d): d is SseDefault => d !== undefined);
                if (defaults.length === 0) {
                    if (!configs.complete) return;
                    const required = logTarget
                        ? '"AES256" (SSE-S3), as it receives access logs'
                        : '"aws:kms" with a customer-managed key';
                    report(
                        `${what} has no server-side encryption configuration; it must have one using ${required}.`,
                        urn,
                    );
                    return;
                }
                for (const d of defaults) {
                    if (logTarget) {
                        if (d.sseAlgorithm !== "AES256") {
                            report(
                                `${what} has sseAlgorithm ${show(d.sseAlgorithm)}; it must be "AES256" (SSE-S3), as it receives access logs, which AWS delivers only to SSE-S3 buckets.`,
                                urn,
                            );
                        }
                    } else if (!KMS_ALGORITHMS.includes(d.sseAlgorithm ?? "")) {
                        if (d.sseAlgorithm === "AES256" && !targets.complete) continue;
                        report(`${what} has sseAlgorithm ${show(d.sseAlgorithm)}; it must be "aws:kms".`, urn);
                    } else if (keyProblem(d.kmsMasterKeyId, allowAwsManagedKeys)) {
                        if (allowAwsManagedKeys) continue;
                        report(
                            `${what} has kmsMasterKeyId ${show(d.kmsMasterKeyId)}; it must be a customer-managed KMS key.`,
                            urn,
                        );
                    }
                }
            });
        }
    },
};
