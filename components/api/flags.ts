import * as ssm from "@pulumi/aws/ssm";
import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../shared/encryptionKey";
import { ArgProblems, problem } from "../shared/validation";

/*
 * Feature flags in Parameter Store: one parameter per flag under one path, which is all the
 * task role may read. Flags are flipped through git: a reviewed change of the stack config and a
 * deploy, which only rewrites the parameters (the task definition holds the path, not the values,
 * so no task restarts). The API re-reads the path to pick a change up.
 */

export type FeatureFlagValue = string | number | boolean;
/** A flag's value, or `{ value, secret: true }` for a SecureString encrypted with the flags' key. */
export type FeatureFlag = FeatureFlagValue | { readonly value: FeatureFlagValue; readonly secret?: boolean };

/** The flags' limits. */
export const FEATURE_FLAG_LIMITS = {
    // Our choice, far inside SSM's 1011 characters for a whole parameter name.
    nameLength: { min: 1, max: 128 },
    // A standard-tier parameter holds up to 4 KB, and a value may not be empty.
    valueLength: { min: 1, max: 4096 },
} as const;

/**
 * One segment of a parameter name: SSM allows only a-zA-Z0-9_.- (and `/` between the levels of a
 * hierarchy, which a flag name may not use: every flag sits directly under the path).
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html (Name)
 */
const FLAG_NAME = /^[A-Za-z0-9_.-]+$/;
const NAME_RULE = `name each flag as SSM allows in a parameter name: ${FEATURE_FLAG_LIMITS.nameLength.min}-${FEATURE_FLAG_LIMITS.nameLength.max} letters, digits, "_", "." or "-"`;
const VALUE_RULE = `give each flag a string, number or boolean (${FEATURE_FLAG_LIMITS.valueLength.min}-${FEATURE_FLAG_LIMITS.valueLength.max} characters), or {"value": ..., "secret": true}`;

/** A problem with the flags: the rule that completes "`key` must ...", and the part received. */
export interface FlagProblem {
    readonly rule: string;
    readonly received: unknown;
}

function isPlain(value: unknown): value is FeatureFlagValue {
    return (
        typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))
    );
}

/** The string Parameter Store keeps for a flag's value. */
export function flagText(value: FeatureFlagValue): string {
    return String(value);
}

/** Every problem with a flags map (as parsed from JSON or given as an arg), in order. */
export function featureFlagProblems(flags: unknown): FlagProblem[] {
    if (typeof flags !== "object" || flags === null || Array.isArray(flags)) {
        return [{ rule: "be a map of flag name to value", received: flags }];
    }
    const problems: FlagProblem[] = [];
    for (const [name, flag] of Object.entries(flags)) {
        const { min, max } = FEATURE_FLAG_LIMITS.nameLength;
        if (!FLAG_NAME.test(name) || name.length < min || name.length > max) {
            problems.push({ rule: NAME_RULE, received: name });
            continue;
        }
        const entry = typeof flag === "object" && flag !== null && !Array.isArray(flag) ? flag : undefined;
        const value: unknown = entry ? (entry as { value?: unknown }).value : flag;
        const extraKeys = entry ? Object.keys(entry).filter((k) => k !== "value" && k !== "secret") : [];
        const secret: unknown = entry ? (entry as { secret?: unknown }).secret : undefined;
        const text = isPlain(value) ? flagText(value) : undefined;
        if (
            text === undefined ||
            text.length < FEATURE_FLAG_LIMITS.valueLength.min ||
            text.length > FEATURE_FLAG_LIMITS.valueLength.max ||
            extraKeys.length > 0 ||
            (secret !== undefined && typeof secret !== "boolean")
        ) {
            problems.push({ rule: `${VALUE_RULE} (flag "${name}")`, received: flag });
        }
    }
    return problems;
}

/** Records every flag problem under `field` (e.g. `featureFlags`). */
export function featureFlagArgProblems(
    flags: unknown,
    field: string,
    problems: ArgProblems = new ArgProblems(),
): ArgProblems {
    if (flags === undefined) return problems;
    for (const p of featureFlagProblems(flags)) {
        problems.addMessage(problem(field, p.rule, p.received));
    }
    return problems;
}

/** Whether a flag is kept as a SecureString. */
export function isSecretFlag(flag: FeatureFlag): boolean {
    return typeof flag === "object" && flag.secret === true;
}

export interface FeatureFlagsArgs {
    /** Flag name -> value; see `FeatureFlag`. */
    readonly flags: Readonly<Record<string, FeatureFlag>>;
    /** The parameters' path, e.g. `/migration-api/staging/flags`: starts with "/", no trailing "/". */
    readonly path: string;
    /**
     * KMS key of the SecureString flags.
     * @default - a customer-managed key with rotation, created when any flag is secret
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
}

/** The parameters of the flags, and the statements that let a role read exactly them. */
export class FeatureFlags extends pulumi.ComponentResource {
    /** The path the container gets (`FEATURE_FLAGS_PATH`). */
    public readonly path: string;
    /** KMS key of the SecureString flags, or undefined when none is secret. */
    public readonly kmsKeyArn: pulumi.Output<string> | undefined;
    public readonly parameters: ssm.Parameter[];

    constructor(name: string, args: FeatureFlagsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:api:FeatureFlags", name, {}, opts);
        featureFlagArgProblems(args.flags, "flags")
            .check("path", args.path, (p) =>
                /^(\/[A-Za-z0-9_.-]+)+$/.test(p) ? undefined : 'be a parameter path such as "/app/stack/flags"',
            )
            .throwIfAny(this, `FeatureFlags ${name}`);

        const anySecret = Object.values(args.flags).some(isSecretFlag);
        this.kmsKeyArn = anySecret
            ? pulumi.output(
                  args.kmsKeyArn ??
                      new EncryptionKey(
                          `${name}-key`,
                          { description: `SecureString flags under ${args.path}` },
                          {
                              parent: this,
                          },
                      ).arn,
              )
            : undefined;
        this.path = args.path;
        // Names sorted, so the parameters keep their logical names whatever the map's order.
        this.parameters = Object.keys(args.flags)
            .sort()
            .map((flagName) => {
                const flag = args.flags[flagName];
                const secret = isSecretFlag(flag);
                const value = flagText(typeof flag === "object" ? flag.value : flag);
                return new ssm.Parameter(
                    `${name}-${flagName}`,
                    {
                        name: `${args.path}/${flagName}`,
                        type: secret ? "SecureString" : "String",
                        // The provider marks every value secret in the state (ssm/parameter.js).
                        value,
                        keyId: secret ? this.kmsKeyArn : undefined,
                        tier: "Standard",
                        dataType: "text",
                        description: `Feature flag ${flagName}; set through the stack config (a deploy).`,
                    },
                    { parent: this },
                );
            });
        this.registerOutputs({ path: this.path, kmsKeyArn: this.kmsKeyArn });
    }
}

/**
 * What reading the flags takes: GetParametersByPath on the path itself (it is authorized
 * against the requested path, not the parameters it returns), GetParameter(s) on the flags
 * under it, and, when some are SecureStrings, Decrypt with their key through SSM only.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-retrieval-authorization.html
 */
export function featureFlagReadStatements(
    path: string,
    kmsKeyArn: pulumi.Input<string> | undefined,
    where: { partition: pulumi.Input<string>; region: pulumi.Input<string>; account: pulumi.Input<string> },
): input.iam.GetPolicyDocumentStatementArgs[] {
    const parameterArn = (suffix: string) =>
        pulumi.interpolate`arn:${where.partition}:ssm:${where.region}:${where.account}:parameter${path}${suffix}`;
    return [
        { sid: "ReadFlagsPath", actions: ["ssm:GetParametersByPath"], resources: [parameterArn("")] },
        { sid: "ReadFlags", actions: ["ssm:GetParameter", "ssm:GetParameters"], resources: [parameterArn("/*")] },
        ...(kmsKeyArn === undefined
            ? []
            : [
                  {
                      sid: "DecryptSecretFlags",
                      actions: ["kms:Decrypt"],
                      resources: [kmsKeyArn],
                      conditions: [
                          {
                              test: "StringEquals",
                              variable: "kms:ViaService",
                              values: [pulumi.interpolate`ssm.${where.region}.amazonaws.com`],
                          },
                      ],
                  },
              ]),
    ];
}
