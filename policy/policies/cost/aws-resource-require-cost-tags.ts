import { ResourceValidationPolicy } from "@pulumi/policy";
import { label } from "../labels";

/** Keep in step with REQUIRED_TAGS in config.ts (a test checks it); the pack is published on its own. */
export const DEFAULT_REQUIRED_TAGS = ["Project", "Environment", "ManagedBy", "Stack", "CostCenter"];

/**
 * Reads `tagsAll`: the resource's tags merged with the provider's `defaultTags`, which is where
 * this program's cost tags come from. pulumi-aws computes `tagsAll` in its Check
 * (pulumi/pulumi-aws#2655, "Compute tags in Check"), and the engine hands resource policies the
 * checked inputs, so the policy judges it in every preview, the first one of a new stack
 * included. A list whose inputs no provider checked (hand-written, no `tagsAll`) cannot be
 * judged: `tags` alone would wrongly lack the default tags. config.ts also refuses default tags
 * without these keys.
 */
export const awsResourceRequireCostTags: ResourceValidationPolicy = {
    name: "aws-resource-require-cost-tags",
    description: "Every taggable AWS resource must carry the cost-allocation tags.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requiredTags: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_REQUIRED_TAGS,
                description: "Tags every taggable resource must carry with a non-empty value.",
            },
        },
    },
    validateResource: (args, report) => {
        if (!args.type.startsWith("aws:")) args.notApplicable("not an AWS resource");
        const props = args.props as { tags?: Record<string, unknown>; tagsAll?: Record<string, unknown> };
        if (!("tagsAll" in props) && !("tags" in props)) args.notApplicable("not taggable");
        if (props.tagsAll === undefined)
            args.notApplicable("no tagsAll (the tags the provider's Check merges with its default tags)");
        const tags = props.tagsAll ?? {};
        const { requiredTags } = args.getConfig<{ requiredTags: string[] }>();
        const missing = requiredTags.filter((tag) => typeof tags[tag] !== "string" || tags[tag] === "");
        if (missing.length > 0) {
            report(
                `${label(args.type, args.name)} is missing the tags ${missing.join(", ")}; it must carry ${requiredTags.join(", ")}.`,
            );
        }
    },
};
