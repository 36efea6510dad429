import type { Resource } from "@pulumi/pulumi";
import { PolicyResource, UnknownValueError } from "@pulumi/policy";

/**
 * Shared helpers for the pack's policies. The pack does not depend on `@pulumi/aws`: each
 * policy names its resource by type token through `resourceType`, which gives
 * `validateResourceOfType` the same fast type check the SDK's generated classes give
 * (`__pulumiType`), and types the properties the policy reads (see `awsTypes.ts`).
 */

/** A class-shaped handle for a type token, accepted by `validateResourceOfType` and `isType`. */
export type ResourceClass<TProps> = {
    new (name: string, args: TProps, ...rest: unknown[]): Resource;
    __pulumiType: string;
};

export function resourceType<TProps>(token: string): ResourceClass<TProps> {
    const handle = class {};
    Object.defineProperty(handle, "__pulumiType", { value: token, enumerable: true });
    return handle as unknown as ResourceClass<TProps>;
}

/** A resource of a stack policy together with its properties, typed by `cls`. */
export interface Typed<TProps> {
    resource: PolicyResource;
    props: TProps;
}

/** The resources of one type in a stack validation (by type token, as `isType` does). */
export function resourcesOf<TProps>(resources: readonly PolicyResource[], cls: ResourceClass<TProps>): Typed<TProps>[] {
    return resources
        .filter((resource) => resource.type === cls.__pulumiType)
        .map((resource) => ({ resource, props: resource.props as TProps }));
}

/**
 * Runs `judge` and swallows an `UnknownValueError`: a value that is unknown during preview
 * (an ARN or a name a resource has not been given yet) cannot be judged, which is no
 * violation. Stack policies use it per resource so that one unknown value does not stop the
 * whole policy, as an uncaught one would in the engine. Returns whether `judge` completed.
 */
export function whenKnown(judge: () => void): boolean {
    try {
        judge();
        return true;
    } catch (e) {
        if (e instanceof UnknownValueError) return false;
        throw e;
    }
}

/** Reads a value, or `undefined` when it is unknown during preview (see `whenKnown`). */
export function knownOrUndefined<T>(read: () => T): T | undefined {
    let value: T | undefined;
    whenKnown(() => {
        value = read();
    });
    return value;
}

/** The value as a message shows it: strings quoted, absent values as "unset". */
export function show(value: unknown): string {
    if (value === undefined || value === null || value === "") return "unset";
    if (typeof value === "string") return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
    return String(value);
}

/** Identifiers other resources use to refer to a resource: its id and the given name fields. */
export function identifiers(props: Record<string, unknown>, ...fields: string[]): string[] {
    const out: string[] = [];
    for (const field of ["id", ...fields]) {
        const value = knownOrUndefined(() => props[field]);
        if (typeof value === "string" && value !== "") out.push(value);
    }
    return out;
}

/** AWS-managed key aliases (alias/aws/<service>) are not customer-managed keys. */
export function isAwsManagedKey(keyId: string): boolean {
    return /(^|:)alias\/aws\//.test(keyId);
}

/**
 * Why a KMS key reference is not acceptable, or `undefined` when it is: it must be set and,
 * unless AWS-managed keys are allowed, not an `alias/aws/...` key.
 */
export function keyProblem(keyId: unknown, allowAwsManagedKeys: boolean): string | undefined {
    if (typeof keyId !== "string" || keyId === "") return "no KMS key";
    if (!allowAwsManagedKeys && isAwsManagedKey(keyId)) return `the AWS-managed key ${JSON.stringify(keyId)}`;
    return undefined;
}

/** Config property shared by the KMS policies. */
export const allowAwsManagedKeysSchema = {
    type: "boolean" as const,
    default: false,
    description: "Accept AWS-managed keys (alias/aws/...) as well as customer-managed keys.",
};

/** Config property of the policies a stack's config can switch off (staging: no deletion protection). */
export const requiredSchema = (description: string) => ({
    type: "boolean" as const,
    default: true,
    description,
});

/** Parses an IAM or container JSON document given as a string or already as an object. */
export function parseJson(value: unknown): unknown {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return undefined;
    }
}

/** A value as a list: arrays as they are, a single value as a one-element list, absent as []. */
export function asList<T>(value: T | readonly T[] | undefined | null): T[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? [...(value as T[])] : [value as T];
}
