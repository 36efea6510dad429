import * as pulumi from "@pulumi/pulumi";
import { awsRegion, problem } from "./components/shared";
import { CROSS_KEY_RULES } from "./lib/crossKeyRules";
import { PROJECT } from "./lib/project";
import { parseNamespace } from "./lib/configFields";
import { AppConfig, COST_ALLOCATION_TAG, REQUIRED_TAGS, schema, StackConfig } from "./lib/configSchema";

/**
 * The one place that reads stack config. The schema (`lib/configSchema.ts`) declares each key;
 * this file adds the rules Pulumi cannot express and turns the raw strings into one typed,
 * frozen object. Nothing else reads config.
 */
export { PROJECT } from "./lib/project";
export { COST_ALLOCATION_TAG, ENVIRONMENTS, REQUIRED_TAGS, schema } from "./lib/configSchema";
export type { AppConfig, Environment, StackConfig } from "./lib/configSchema";

/** A config problem report: clean exit with every problem listed, no stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly problems: readonly string[],
    ) {
        super([`invalid config for stack "${stack}":`, ...problems.map((p) => `  - ${p}`)].join("\n"));
        this.name = "ConfigError";
    }
}

function parseProviderConfig(raw: Readonly<Record<string, string>>, stack: string, problems: string[]) {
    const region = raw["aws:region"];
    if (region === undefined) problems.push("`aws:region` is required: set it to an AWS region name; got nothing.");
    else if (awsRegion(region)) problems.push(problem("aws:region", awsRegion(region) as string, region));

    let defaultTags: Record<string, string> = {};
    const rawTags = raw["aws:defaultTags"];
    const tagRule = `be {"tags": {...}} with ${REQUIRED_TAGS.join(", ")}`;
    if (rawTags === undefined) {
        problems.push(
            `\`aws:defaultTags\` is required: set it to {"tags": {...}} with ${REQUIRED_TAGS.join(", ")}; got nothing.`,
        );
    } else {
        let parsed: unknown;
        try {
            parsed = JSON.parse(rawTags);
        } catch {
            parsed = undefined;
        }
        const tags = (parsed as { tags?: unknown } | undefined)?.tags;
        if (!tags || typeof tags !== "object" || Object.values(tags).some((v) => typeof v !== "string")) {
            problems.push(problem("aws:defaultTags", tagRule, rawTags));
        } else {
            defaultTags = tags as Record<string, string>;
            const missing = REQUIRED_TAGS.filter((tag) => !defaultTags[tag]);
            if (missing.length > 0) {
                problems.push(
                    `\`aws:defaultTags\` must set the tags ${REQUIRED_TAGS.join(", ")}; missing ${missing.join(", ")}.`,
                );
            }
            const costTag = defaultTags[COST_ALLOCATION_TAG];
            if (costTag && costTag !== stack) {
                problems.push(
                    `\`aws:defaultTags\` tag ${COST_ALLOCATION_TAG} must be the stack's name, ${JSON.stringify(stack)}: the stack's budget counts only costs tagged with it; got ${JSON.stringify(costTag)}.`,
                );
            }
        }
    }
    return { region: region ?? "", defaultTags };
}

type Key = keyof AppConfig;
const k = (key: Key) => `${PROJECT}:${key}`;

/**
 * Validates a raw config map (`project:key` -> string, as Pulumi provides it) for `stack`.
 * Throws a `ConfigError` listing every problem; returns a frozen, typed config otherwise.
 * Cross-key rules run whenever the keys they read are valid, so one report lists everything.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, stack: string): StackConfig {
    const { values, problems } = parseNamespace(PROJECT, schema, raw);
    const provider = parseProviderConfig(raw, stack, problems);
    const usable = (key: Key | "region") =>
        key === "region"
            ? provider.region !== "" && awsRegion(provider.region) === undefined
            : key in values || (schema[key].optional && raw[k(key)] === undefined);
    const config = { ...(values as AppConfig), stack, ...provider };
    for (const [keys, rule] of CROSS_KEY_RULES) {
        if (!keys.every(usable)) continue;
        const message = rule(config);
        if (message !== undefined) problems.push(message);
    }
    if (problems.length > 0) throw new ConfigError(stack, problems);
    return Object.freeze({ ...config, defaultTags: Object.freeze({ ...provider.defaultTags }) });
}

/** Reads and validates the current stack's config from the Pulumi runtime. */
export function loadStackConfig(): StackConfig {
    return parseStackConfig(pulumi.runtime.allConfig(), pulumi.getStack());
}
