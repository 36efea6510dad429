import { readFileSync } from "node:fs";
import {
    EnforcementLevel,
    Policies,
    PolicyConfigSchema,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
    unknownCheckingProxy,
    UnknownValueError,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { PACK_NAME, PACK_VERSION } from "./pack";
import { allPolicies } from "./policies";
import { EvaluatorResource } from "./resources";

/**
 * Runs the pack's policies over a list of resources the way the Pulumi engine and the policy
 * SDK do, without a gRPC server:
 *
 * - enforcement: the config file's entry for the policy, else its `all`, else the policy's own
 *   level, else the pack's (`advisory`); `disabled` skips the policy; `remediate` reports as
 *   mandatory (remediations are not run);
 * - config: each policy's `configSchema` defaults with the config file's values over them,
 *   checked against the schema (a value of the wrong type or range, a bad enforcement level or
 *   a missing required property is a `PolicyConfigError`, as the CLI refuses it). Stricter than
 *   the CLI on purpose: CLI 3.248 silently accepts an unknown policy name and an unknown
 *   property (pulumi/pulumi `pkg/resource/analyzer/config.go`: `applyConfig` adds any name, and
 *   the schema it validates against sets no `additionalProperties`), so a misspelt key in a
 *   stack's config would leave that guardrail at its default unnoticed; the evaluator refuses
 *   it, and the stacks' configs are checked by it in the tests;
 * - resource policies see each resource; a validation made with `validateResourceOfType` is
 *   skipped for other types (`__pulumiType`), and `isType`/`asType` compare type tokens;
 * - `args.notApplicable()` thrown inside a policy skips it for that resource (recorded in
 *   `notApplicable`, no violation); the fast-path type skips are not recorded;
 * - props are wrapped in the SDK's unknown-checking proxy: reading a value unknown during
 *   preview stops that policy for that resource (or stack) and is recorded as `undetermined`,
 *   the engine's advisory "can't run policy ... during preview", never as a violation;
 * - resource policies see `props` (the checked inputs), stack policies `outputs` (see
 *   ./resources.ts for the engine's two views); stack policies see every resource, with
 *   `parent` and `dependencies` linked.
 */

export type ReportedLevel = "advisory" | "mandatory";

export interface Violation {
    policy: string;
    enforcementLevel: ReportedLevel;
    /** The resource in violation; "" for a stack policy's stack-wide violation. */
    urn: string;
    message: string;
}

/** A policy that could not judge a resource (or the stack) because a value was unknown. */
export interface Undetermined {
    policy: string;
    urn: string;
    message: string;
}

export interface NotApplicable {
    policy: string;
    urn: string;
    reason: string;
}

export interface PolicyReport {
    violations: Violation[];
    undetermined: Undetermined[];
    notApplicable: NotApplicable[];
}

/** The `--policy-pack-config` file: `all` and per-policy entries. */
export type PolicyPackConfigFile = Record<
    string,
    EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

export interface EvaluateOptions {
    /** The policies to run. @default allPolicies */
    policies?: Policies;
    /** The policy config (`--policy-pack-config` contents). @default {} */
    config?: PolicyPackConfigFile;
    /** Tags of the stack, as `args.stackTags`. @default none */
    stackTags?: Record<string, string>;
    /** The pack's own enforcement level. @default "advisory" (as the SDK) */
    packEnforcementLevel?: EnforcementLevel;
}

/** A policy config file the CLI would refuse, or one with a name or property the pack does not have. */
export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

/** A policy threw something other than `notApplicable` or an unknown value: a defect in the policy. */
export class PolicyEvaluationError extends Error {
    constructor(policy: string, urn: string, cause: unknown) {
        super(
            `policy ${policy} failed on ${urn || "the stack"}: ${cause instanceof Error ? cause.message : String(cause)}`,
        );
        this.name = "PolicyEvaluationError";
    }
}

/** Control flow, thrown thousands of times a run: it records no stack trace. */
class NotApplicableError extends Error {
    constructor(readonly reason: string) {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        super(reason);
        Error.stackTraceLimit = limit;
    }
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicableError(reason ?? "Policy does not apply");
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface ResolvedPolicy {
    enforcementLevel: EnforcementLevel;
    config: Record<string, unknown>;
}

function schemaProblem(value: unknown, schema: PolicyConfigJSONSchema, path: string): string | undefined {
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types.length > 0) {
        const ok = types.some((t) => {
            switch (t) {
                case "integer":
                    return Number.isInteger(value);
                case "number":
                    return typeof value === "number" && Number.isFinite(value);
                case "array":
                    return Array.isArray(value);
                case "object":
                    return typeof value === "object" && value !== null && !Array.isArray(value);
                case "null":
                    return value === null;
                default:
                    return typeof value === t;
            }
        });
        if (!ok) return `${path} must be ${types.join(" or ")}; got ${JSON.stringify(value)}`;
    }
    if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
        return `${path} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}; got ${JSON.stringify(value)}`;
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum)
            return `${path} must be at least ${schema.minimum}; got ${value}`;
        if (schema.maximum !== undefined && value > schema.maximum)
            return `${path} must be at most ${schema.maximum}; got ${value}`;
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems)
            return `${path} must have at least ${schema.minItems} items; got ${value.length}`;
        const items = schema.items;
        if (items && typeof items === "object" && !Array.isArray(items)) {
            for (let i = 0; i < value.length; i++) {
                const problem = schemaProblem(value[i], items, `${path}[${i}]`);
                if (problem) return problem;
            }
        }
    }
    return undefined;
}

function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(schema?.properties ?? {})) {
        if (prop.default !== undefined) defaults[key] = structuredClone(prop.default);
    }
    return defaults;
}

/**
 * Each policy's enforcement level and config from a policy config file, as the CLI resolves
 * them. Throws `PolicyConfigError` for an ill-typed property, a bad enforcement level or a
 * required property left without a value (as the CLI does), and for an unknown policy name or
 * property (which the CLI silently accepts; see the module comment).
 */
export function resolvePolicyConfig(
    policies: Policies,
    file: PolicyPackConfigFile = {},
    packEnforcementLevel: EnforcementLevel = "advisory",
): Map<string, ResolvedPolicy> {
    const byName = new Map(policies.map((p) => [p.name, p]));
    const levelOf = (entry: unknown, where: string): EnforcementLevel | undefined => {
        const level = typeof entry === "string" ? entry : (entry as { enforcementLevel?: unknown })?.enforcementLevel;
        if (level === undefined) return undefined;
        if (!LEVELS.includes(level as EnforcementLevel))
            throw new PolicyConfigError(
                `${where}: enforcement level must be one of ${LEVELS.join(", ")}; got ${JSON.stringify(level)}.`,
            );
        return level as EnforcementLevel;
    };
    for (const key of Object.keys(file)) {
        if (key !== "all" && !byName.has(key)) throw new PolicyConfigError(`"${key}" is not a policy of this pack.`);
    }
    const all = levelOf(file.all, '"all"');
    const resolved = new Map<string, ResolvedPolicy>();
    for (const policy of policies) {
        const entry = file[policy.name];
        if (
            entry !== undefined &&
            typeof entry !== "string" &&
            (typeof entry !== "object" || entry === null || Array.isArray(entry))
        )
            throw new PolicyConfigError(
                `"${policy.name}" must be an enforcement level or an object; got ${JSON.stringify(entry)}.`,
            );
        const level = levelOf(entry, `"${policy.name}"`) ?? all ?? policy.enforcementLevel ?? packEnforcementLevel;
        const config = schemaDefaults(policy.configSchema);
        if (typeof entry === "object" && entry !== null) {
            for (const [key, value] of Object.entries(entry)) {
                if (key === "enforcementLevel") continue;
                const prop = policy.configSchema?.properties[key];
                if (!prop) throw new PolicyConfigError(`"${policy.name}" has no config property "${key}".`);
                const problem = schemaProblem(value, prop, `"${policy.name}".${key}`);
                if (problem) throw new PolicyConfigError(`${problem}.`);
                config[key] = value;
            }
        }
        for (const key of policy.configSchema?.required ?? []) {
            if (config[key] === undefined)
                throw new PolicyConfigError(`"${policy.name}".${key} is required and has no default.`);
        }
        resolved.set(policy.name, { enforcementLevel: level, config });
    }
    return resolved;
}

/** Reads a `--policy-pack-config` JSON file; failures are `PolicyConfigError`s with one-line messages. */
export function loadPolicyConfig(path: string): PolicyPackConfigFile {
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new PolicyConfigError(
            `cannot read ${path}: ${code === "ENOENT" ? "no such file" : (e as Error).message}.`,
        );
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new PolicyConfigError(`${path} is not valid JSON: ${(e as Error).message}.`);
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc))
        throw new PolicyConfigError(`${path} must hold a JSON object of policy names; got ${JSON.stringify(doc)}.`);
    return doc as PolicyPackConfigFile;
}

const pulumiTypeOf = (fn: unknown): string | undefined => {
    const t = (fn as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    return typeof t === "string" && t !== "" ? t : undefined;
};

const isTypeOf = (type: string) => (resourceClass: unknown) => {
    const token = pulumiTypeOf(resourceClass);
    if (token) return token === type;
    const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
};

function options(r: EvaluatorResource): PolicyResourceOptions {
    return {
        protect: r.protect === true,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

const reported = (level: EnforcementLevel): ReportedLevel => (level === "advisory" ? "advisory" : "mandatory");

/**
 * Defines `target[key]` as the value `make` returns, made when first read (then a plain data
 * property, as if it had been there all along) or replaced when first written. Most policies check
 * the resource type and return before reading the properties: a copy nobody reads is not made.
 */
function defineLazily<T extends object>(target: T, key: string, make: () => unknown): void {
    const settle = (value: unknown) =>
        Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(target, key, {
        get: () => {
            const value = make();
            settle(value);
            return value;
        },
        set: settle,
        enumerable: true,
        configurable: true,
    });
}

/**
 * Each policy call gets its own copy of a resource's properties, as each engine call deserializes
 * them afresh (@pulumi/policy server.js). They are plain data (objects, arrays, primitives, the
 * SDK's unknown sentinel string); a plain copy is about 3x faster than structuredClone, which does
 * anything else. Tens of thousands of copies per stack.
 */
export function copyOf<T>(value: T): T {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(copyOf) as T;
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return structuredClone(value);
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = copyOf(item);
    return copy as T;
}

/** Runs the policies over the resources; see the module comment for the semantics. */
export async function evaluatePolicies(
    resources: readonly EvaluatorResource[],
    opts: EvaluateOptions = {},
): Promise<PolicyReport> {
    const policies = opts.policies ?? allPolicies;
    const resolved = resolvePolicyConfig(policies, opts.config ?? {}, opts.packEnforcementLevel);
    const stackTags: ReadonlyMap<string, string> = new Map(Object.entries(opts.stackTags ?? {}));
    const report: PolicyReport = { violations: [], undetermined: [], notApplicable: [] };

    const run = async (policy: string, urn: string, body: () => unknown) => {
        try {
            await body();
        } catch (e) {
            if (e instanceof NotApplicableError) report.notApplicable.push({ policy, urn, reason: e.reason });
            else if (e instanceof UnknownValueError)
                report.undetermined.push({
                    policy,
                    urn,
                    // The SDK's own wording (@pulumi/policy server.js), reported as an advisory diagnostic.
                    message: `can't run policy '${policy}' from policy pack '${PACK_NAME}@v${PACK_VERSION}' during preview: ${(e as Error).message}`,
                });
            else throw new PolicyEvaluationError(policy, urn, e);
        }
    };

    for (const policy of policies) {
        const { enforcementLevel, config } = resolved.get(policy.name) as ResolvedPolicy;
        if (enforcementLevel === "disabled") continue;
        const getConfig = <T extends object>() => structuredClone(config) as T;
        const violation =
            (defaultUrn: string): ReportViolation =>
            (message: string, urn?: string) =>
                report.violations.push({
                    policy: policy.name,
                    enforcementLevel: reported(enforcementLevel),
                    urn: defaultUrn || urn || "",
                    message,
                });

        const validate = (policy as ResourceValidationPolicy).validateResource;
        if (validate) {
            const validations: ResourceValidation[] = Array.isArray(validate) ? validate : [validate];
            // The engine's fast path: a single typed validation skips other types without a call.
            const fastType = Array.isArray(validate) ? undefined : pulumiTypeOf(validate);
            for (const r of resources) {
                if (fastType && fastType !== r.type) continue;
                for (const validation of validations) {
                    const args = {
                        type: r.type,
                        urn: r.urn,
                        name: r.name,
                        stackTags,
                        isType: isTypeOf(r.type),
                        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's signature
                        asType: ((cls: unknown) => (isTypeOf(r.type)(cls) ? args.props : undefined)) as any,
                        getConfig,
                        notApplicable: throwNotApplicable,
                    } as ResourceValidationArgs;
                    defineLazily(args, "props", () => unknownCheckingProxy(copyOf(r.props)) as Record<string, unknown>);
                    defineLazily(args, "opts", () => options(r));
                    await run(policy.name, r.urn, () => validation(args, violation(r.urn)));
                }
            }
        }

        const validateStack = (policy as StackValidationPolicy).validateStack;
        if (typeof validateStack === "function") {
            const fastType = pulumiTypeOf(validateStack);
            if (fastType && !resources.some((r) => r.type === fastType)) continue;
            const byUrn = new Map<string, PolicyResource>();
            const stackResources = resources.map((r) => {
                const resource = {
                    type: r.type,
                    urn: r.urn,
                    name: r.name,
                    dependencies: [],
                    propertyDependencies: {},
                    isType: isTypeOf(r.type),
                    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's signature
                    asType: ((cls: unknown) => (isTypeOf(r.type)(cls) ? resource.props : undefined)) as any,
                } as unknown as PolicyResource;
                defineLazily(
                    resource,
                    "props",
                    () => unknownCheckingProxy(copyOf(r.outputs ?? r.props)) as Record<string, unknown>,
                );
                defineLazily(resource, "opts", () => options(r));
                byUrn.set(r.urn, resource);
                return resource;
            });
            resources.forEach((r, i) => {
                if (r.parent && byUrn.has(r.parent)) stackResources[i].parent = byUrn.get(r.parent);
                stackResources[i].dependencies = (r.dependencies ?? [])
                    .map((d) => byUrn.get(d))
                    .filter((d): d is PolicyResource => d !== undefined);
            });
            const args: StackValidationArgs = {
                resources: stackResources,
                stackTags,
                getConfig,
                notApplicable: throwNotApplicable,
            };
            await run(policy.name, "", () => validateStack(args, violation("")));
        }
    }
    return report;
}

/** Whether the report holds a mandatory violation (the engine would stop the update). */
export function hasMandatoryViolation(report: Pick<PolicyReport, "violations">): boolean {
    return report.violations.some((v) => v.enforcementLevel === "mandatory");
}

/** Violations grouped by policy, for the terminal: one heading per policy, one line per violation. */
export function formatReport(report: PolicyReport): string {
    const groups = new Map<string, Violation[]>();
    for (const v of report.violations) groups.set(v.policy, [...(groups.get(v.policy) ?? []), v]);
    const lines: string[] = [];
    for (const [policy, violations] of groups) {
        lines.push(
            `${policy} (${violations[0].enforcementLevel}): ${violations.length} violation${violations.length === 1 ? "" : "s"}`,
        );
        for (const v of violations) lines.push(`  - ${v.message}${v.urn ? `\n    ${v.urn}` : ""}`);
    }
    if (report.undetermined.length > 0) {
        lines.push(`advisory, not judged (values unknown during preview): ${report.undetermined.length}`);
        for (const u of report.undetermined) lines.push(`  - ${u.message}${u.urn ? ` (${u.urn})` : ""}`);
    }
    const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    lines.push(
        report.violations.length === 0
            ? "Policy check passed: no violations."
            : `Policy check: ${mandatory} mandatory, ${report.violations.length - mandatory} advisory violation${report.violations.length - mandatory === 1 ? "" : "s"}.`,
    );
    return lines.join("\n");
}
