import { StackValidationPolicy } from "@pulumi/policy";
import { S3BucketVersioning, S3BucketVersioningV2 } from "../awsTypes";
import { resourcesOf, show, whenKnown } from "../common";
import { label } from "../labels";
import { bucketsOf, byBucket, isLogTarget, linkedTo, logTargets } from "../logTargets";

/**
 * Follows each `BucketVersioning` to its bucket by the `bucket` input. Buckets that only
 * receive access logs hold no data and are exempt unless `exemptLogTargets` is false. A bucket
 * with no versioning resource falls back to the inline `versioning` a stack export reports.
 * Unknown links (preview) cannot be judged.
 */
export const s3BucketEnableVersioning: StackValidationPolicy = {
    name: "s3-bucket-enable-versioning",
    description: "S3 buckets that hold data must have versioning enabled.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            exemptLogTargets: {
                type: "boolean",
                default: true,
                description: "Exempt buckets that only receive load balancer or S3 access logs.",
            },
        },
    },
    validateStack: (args, report) => {
        const { exemptLogTargets } = args.getConfig<{ exemptLogTargets: boolean }>();
        const targets = logTargets(args.resources);
        const versionings = byBucket([
            ...resourcesOf(args.resources, S3BucketVersioning),
            ...resourcesOf(args.resources, S3BucketVersioningV2),
        ]);
        for (const bucket of bucketsOf(args.resources)) {
            whenKnown(() => {
                if (exemptLogTargets && isLogTarget(bucket, targets)) return;
                const linked = linkedTo(bucket, versionings.map);
                const statuses = linked.map((v) => v.props.versioningConfiguration?.status);
                if (linked.length === 0 && bucket.props.versioning?.enabled === true) return;
                if (statuses.includes("Enabled")) return;
                if (linked.length === 0 && (!versionings.complete || (exemptLogTargets && !targets.complete))) return;
                report(
                    `${label("S3 bucket", bucket.resource.name)} has versioning ${show(statuses[0])}; it must be "Enabled".`,
                    bucket.resource.urn,
                );
            });
        }
    },
};
