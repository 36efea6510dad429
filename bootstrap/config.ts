import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config";
import { awsRegion, Check, matches, problem } from "../components/shared";
import { boolean, integer, optional, parseNamespace, SchemaValues, string, stringList } from "../lib/configFields";

/**
 * The one place the bootstrap project reads config. Types and defaults are declared in
 * `bootstrap/Pulumi.yaml`; this file checks the values and turns them into a typed object.
 */
export const BOOTSTRAP_PROJECT = "migration-api-bootstrap";

/** GitHub user/organisation names: 1-39 letters, digits or single hyphens, no hyphen at either end. */
export const githubOwner: Check<string> = matches(
    /^(?=.{1,39}$)[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/,
    "a GitHub user or organisation name: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen",
);

/** GitHub repository names: 1-100 letters, digits, `.`, `-` or `_`, and not `.` or `..`. */
export const githubRepo: Check<string> = matches(
    /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/,
    'a GitHub repository name without the owner: 1-100 letters, digits, ".", "-" or "_"',
);

/** Environment names become GitHub environment names, role names and KMS aliases. */
export const environmentName: Check<string> = matches(
    /^[a-z][a-z0-9-]{0,31}$/,
    "a lowercase environment name: a letter, then up to 31 letters, digits or hyphens",
);

const oidcProviderArn = matches(
    /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
    "the ARN of this account's token.actions.githubusercontent.com OIDC provider",
);

export const schema = {
    githubOwner: string({
        doc: "GitHub organisation or user that owns the repository.",
        check: githubOwner,
        allowed: 'the GitHub organisation or user that owns the repository (e.g. "example-org")',
    }),
    githubRepo: string({
        doc: "Repository name, without the owner.",
        check: githubRepo,
        allowed: 'the repository name without the owner (e.g. "migration-api")',
    }),
    environments: stringList({
        doc: "GitHub environments (= stacks) that get a deploy role and a secrets key.",
        itemCheck: environmentName,
        itemAllowed: "lowercase environment names (a letter, then up to 31 letters, digits or hyphens)",
    }),
    stackProject: string({
        doc: "Pulumi project whose stacks the roles deploy.",
        check: matches(/^[a-z][a-z0-9-]{0,39}$/, "a lowercase Pulumi project name"),
    }),
    deployRoleMaxSessionSeconds: integer({
        min: 3600,
        max: 43200,
        doc: "Longest session a deploy role grants.",
    }),
    stateNoncurrentVersionDays: integer({ min: 1, max: 3650, doc: "Days a replaced state version is kept." }),
    activateCostAllocationTag: boolean({
        doc: "Activate the Stack cost-allocation tag the stacks' budgets filter on (set it a day after the first bootstrap).",
    }),
    existingOidcProviderArn: optional(
        string({
            doc: "Reuse the account's existing GitHub OIDC provider instead of creating one (one per account).",
            check: oidcProviderArn,
        }),
    ),
} as const;

export interface BootstrapConfig extends SchemaValues<typeof schema> {
    readonly stack: string;
    readonly region: string;
}

/**
 * Validates a raw config map (`namespace:key` -> string) for the bootstrap `stack`. Throws a
 * `ConfigError` listing every problem; returns a frozen, typed config otherwise.
 */
export function parseBootstrapConfig(raw: Readonly<Record<string, string>>, stack: string): BootstrapConfig {
    const { values, problems } = parseNamespace(BOOTSTRAP_PROJECT, schema, raw);
    const region = raw["aws:region"];
    if (region === undefined) problems.push("`aws:region` is required: set it to an AWS region name; got nothing.");
    else if (awsRegion(region)) problems.push(problem("aws:region", awsRegion(region) as string, region));

    const environments = values.environments as readonly string[] | undefined;
    if (environments !== undefined) {
        const key = `${BOOTSTRAP_PROJECT}:environments`;
        if (environments.length === 0) problems.push(`\`${key}\` must list at least one environment; got [].`);
        const duplicates = environments.filter((env, i) => environments.indexOf(env) !== i);
        if (duplicates.length > 0) {
            problems.push(
                `\`${key}\` must not repeat an environment; got ${[...new Set(duplicates)].join(", ")} twice.`,
            );
        }
    }
    if (problems.length > 0) throw new ConfigError(stack, problems);
    return Object.freeze({ ...(values as SchemaValues<typeof schema>), stack, region: region as string });
}

/** Reads and validates the current bootstrap stack's config from the Pulumi runtime. */
export function loadBootstrapConfig(): BootstrapConfig {
    return parseBootstrapConfig(pulumi.runtime.allConfig(), pulumi.getStack());
}
