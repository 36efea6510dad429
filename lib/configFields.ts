import { Check, describeValue, problem, Range } from "../components/shared";

/**
 * Field kinds for the stack config schema in `config.ts`. Pulumi hands every value to the
 * program as a string (arrays and objects as JSON), so each kind parses a raw string and
 * then runs its checks. A field's `default` and limits come from the component that owns the
 * setting (its `*_DEFAULTS` and `*_LIMITS`); `Pulumi.yaml` declares the same defaults for Pulumi,
 * and a test keeps the two equal. Required fields are the ones `Pulumi.yaml` declares (with or
 * without a default); optional ones may be absent.
 */
export type PulumiType = "string" | "integer" | "boolean" | "array" | "object";

export interface Field<T> {
    readonly pulumiType: PulumiType;
    /** Human description of the values allowed, used in messages and the README table. */
    readonly allowed: string;
    readonly doc: string;
    readonly optional: boolean;
    /** The owning component's default; `Pulumi.yaml` declares the same value. */
    readonly default?: T;
    /** The owning component's range, for numeric fields. */
    readonly limits?: Range;
    /** A failed parse names its rule, and may name the part of the value at fault (`received`). */
    parse(raw: string): { value: T } | { rule: string; received?: unknown };
}

export type FieldValue<F> = F extends Field<infer T> ? (F extends { optional: true } ? T | undefined : T) : never;

interface Options<T> {
    doc: string;
    /** The owning component's default (absent for keys every stack must set). */
    default?: T;
    check?: Check<T>;
    /** Overrides the generated "allowed" text. */
    allowed?: string;
}

function build<T>(
    pulumiType: PulumiType,
    allowed: string,
    options: Options<T>,
    parseRaw: (raw: string) => T | undefined,
): Field<T> & { optional: false } {
    const described = options.allowed ?? options.check?.rule?.replace(/^be /, "") ?? allowed;
    return {
        pulumiType,
        allowed: described,
        doc: options.doc,
        optional: false,
        ...(options.default === undefined ? {} : { default: options.default }),
        parse(raw) {
            const value = parseRaw(raw);
            if (value === undefined) return { rule: `be ${options.allowed ?? allowed}` };
            // The kind's own rule (e.g. the integer range) comes first; then the field's check.
            const rule = options.check?.(value);
            return rule === undefined ? { value } : { rule };
        },
    };
}

export function integer(options: Options<number> & Range): Field<number> & { optional: false } {
    const allowed = `an integer from ${options.min} to ${options.max}`;
    return withLimits(
        options,
        build("integer", allowed, options, (raw) => {
            if (!/^-?\d+$/.test(raw.trim())) return undefined;
            const value = Number(raw);
            return value >= options.min && value <= options.max ? value : undefined;
        }),
    );
}

function withLimits<F>(range: Range, field: F): F & { limits: Range } {
    return { ...field, limits: { min: range.min, max: range.max } };
}

/** A decimal number. Pulumi project config has no float type, so `Pulumi.yaml` declares it as a string. */
export function decimal(options: Options<number> & Range): Field<number> & { optional: false } {
    const allowed = `a number from ${options.min} to ${options.max}`;
    return withLimits(
        options,
        build("string", allowed, options, (raw) => {
            if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) return undefined;
            const value = Number(raw);
            return value >= options.min && value <= options.max ? value : undefined;
        }),
    );
}

export function boolean(options: Options<boolean>): Field<boolean> & { optional: false } {
    return build("boolean", "true or false", options, (raw) =>
        raw === "true" ? true : raw === "false" ? false : undefined,
    );
}

export function string(options: Options<string>): Field<string> & { optional: false } {
    return build("string", "a string", options, (raw) => raw);
}

export function enumeration<const T extends string | number>(
    values: readonly T[],
    options: Options<T>,
): Field<T> & { optional: false } {
    const allowed = `one of ${values.join(", ")}`;
    return build(typeof values[0] === "number" ? "integer" : "string", allowed, options, (raw) =>
        values.find((value) => String(value) === raw.trim()),
    );
}

/** A JSON array of strings; each item runs `itemCheck`. */
export function stringList(
    options: Options<readonly string[]> & { itemCheck?: Check<string>; itemAllowed?: string },
): Field<readonly string[]> & { optional: false } {
    const allowed = `a list of ${options.itemAllowed ?? "strings"}`;
    return build("array", allowed, options, (raw) => {
        let parsed: unknown;
        try {
            parsed = JSON.parse(raw);
        } catch {
            return undefined;
        }
        if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string")) return undefined;
        if (options.itemCheck && parsed.some((item: string) => options.itemCheck?.(item) !== undefined)) {
            return undefined;
        }
        return Object.freeze([...parsed]) as readonly string[];
    });
}

/**
 * A JSON object, checked by `problems`, whose first problem is reported with the part at fault.
 * Pulumi project config has no object type, so such a key is optional and not in `Pulumi.yaml`.
 */
export function jsonMap<T extends object>(options: {
    doc: string;
    allowed: string;
    problems: (value: unknown) => readonly { rule: string; received: unknown }[];
}): Field<T> & { optional: false } {
    return {
        pulumiType: "object",
        allowed: options.allowed,
        doc: options.doc,
        optional: false,
        parse(raw) {
            let parsed: unknown;
            try {
                parsed = JSON.parse(raw);
            } catch {
                return { rule: `be ${options.allowed}` };
            }
            const [first] = options.problems(parsed);
            return first === undefined ? { value: Object.freeze(parsed) as T } : first;
        },
    };
}

/** Marks a field as optional: it may be absent, and `Pulumi.yaml` does not declare it. */
export function optional<T>(field: Field<T>): Field<T> & { optional: true } {
    return { ...field, optional: true };
}

export type Schema = Readonly<Record<string, Field<unknown>>>;

export type SchemaValues<S extends Schema> = { readonly [K in keyof S]: FieldValue<S[K]> };

/** Shows a raw config string as the user wrote it: JSON literals bare, other text quoted. */
function asReceived(raw: string): unknown {
    try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== "string") return parsed;
    } catch {
        // not JSON: plain text
    }
    return raw;
}

/** Levenshtein distance, for "did you mean" hints on unknown keys. */
function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let previous = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const current = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
            previous = current;
        }
    }
    return row[b.length];
}

export function closestKey(key: string, known: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of known) {
        const d = distance(key.toLowerCase(), candidate.toLowerCase());
        if (d < bestDistance) [best, bestDistance] = [candidate, d];
    }
    return bestDistance <= Math.max(3, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * Parses every key of `namespace` in `raw` (a `project:key` -> string map, as Pulumi hands
 * it over) against `schema`. Returns the values, or every problem found.
 */
export function parseNamespace<S extends Schema>(
    namespace: string,
    schema: S,
    raw: Readonly<Record<string, string>>,
): { values: Partial<Record<keyof S, unknown>>; problems: string[] } {
    const problems: string[] = [];
    const values: Partial<Record<keyof S, unknown>> = {};
    const knownKeys = Object.keys(schema);
    const prefix = `${namespace}:`;
    for (const fullKey of Object.keys(raw).sort()) {
        if (!fullKey.startsWith(prefix)) continue;
        const key = fullKey.slice(prefix.length);
        if (!Object.prototype.hasOwnProperty.call(schema, key)) {
            const hint = closestKey(key, knownKeys);
            problems.push(
                `\`${fullKey}\` is not a known config key; got ${describeValue(asReceived(raw[fullKey]))}.` +
                    (hint ? ` Did you mean \`${prefix}${hint}\`?` : " See the configuration table in README.md."),
            );
        }
    }
    for (const key of knownKeys) {
        const field = schema[key];
        const fullKey = `${prefix}${key}`;
        const rawValue = raw[fullKey];
        if (rawValue === undefined) {
            if (!field.optional) problems.push(`\`${fullKey}\` is required: set it to ${field.allowed}; got nothing.`);
            continue;
        }
        const parsed = field.parse(rawValue);
        if ("rule" in parsed) {
            const received = "received" in parsed ? parsed.received : asReceived(rawValue);
            problems.push(problem(fullKey, parsed.rule, received));
        } else values[key as keyof S] = parsed.value;
    }
    return { values, problems };
}
