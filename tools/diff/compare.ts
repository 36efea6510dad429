import type { RecordedResource, StackRun } from "../sim/runStack";
import { FORCE_NEW, STATEFUL_TYPES } from "./forceNew";

/** One changed input property, old against new (`path` is dotted into objects). */
export interface PropertyChange {
    path: string;
    old: unknown;
    new: unknown;
    /** The top-level property forces a replacement (FORCE_NEW). */
    forcesReplacement: boolean;
    /** The value changes because a resource it refers to is replaced (its id, ARN or name change). */
    viaReplacementOf?: string;
}

export interface ResourceDiff {
    /** The URN without the stack part, the same in both revisions. */
    key: string;
    type: string;
    name: string;
    op: "create" | "delete" | "update" | "replace";
    changes: PropertyChange[];
    /** The properties that force the replacement. */
    replacedBy: string[];
    stateful: boolean;
    /** Protected in the old revision and deleted or replaced: `pulumi up` refuses. */
    refused: boolean;
}

/** The URN without `urn:pulumi:<stack>::`: the identity of a resource across stacks and revisions. */
export const keyOf = (urn: string) => urn.replace(/^urn:pulumi:[^:]+::/, "");

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * Replaces the simulated ids, ARNs and generated names a run's resources got with symbols
 * (`<name.arn>`), so inputs that refer to another resource compare by what they refer to, not by a
 * value the simulation derived from the stack's name.
 */
function symbolizer(run: StackRun, stackName: boolean): (v: Json) => Json {
    const symbols: [string, string][] = [];
    for (const r of run.resources) {
        if (!r.custom) continue;
        const values: Record<string, Json> = { id: r.id, ...r.state };
        for (const [prop, value] of Object.entries(values)) {
            if (typeof value !== "string" || value.length < 8 || prop in r.inputs) continue;
            if (/^\d+$/.test(value) || !/[0-9a-f]{7,}/.test(value)) continue;
            symbols.push([value, `<${keyOf(r.urn).replace(/^.*::/, "")}.${prop}>`]);
        }
    }
    symbols.sort((a, b) => b[0].length - a[0].length);
    // Comparing two stacks: names built from the stack's name are the same name.
    if (stackName) symbols.push([run.stack, "<stack>"]);
    const walk = (v: Json): Json => {
        if (typeof v === "string") {
            let out = v;
            for (const [value, symbol] of symbols) if (out.includes(value)) out = out.split(value).join(symbol);
            return out;
        }
        if (Array.isArray(v)) return v.map(walk);
        if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
        return v;
    };
    return walk;
}

/** Parses JSON-in-a-string inputs (policies, container definitions) so they diff property by property. */
function expand(v: Json): Json {
    if (typeof v === "string" && /^[[{]/.test(v)) {
        try {
            return JSON.parse(v) as Json;
        } catch {
            return v;
        }
    }
    return v;
}

function diffValues(path: string, a: Json, b: Json, out: { path: string; old: Json; new: Json }[]): void {
    const x = expand(a);
    const y = expand(b);
    if (isObject(x) && isObject(y)) {
        for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort())
            diffValues(path ? `${path}.${k}` : k, x[k], y[k], out);
        return;
    }
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
        x.forEach((item, i) => diffValues(`${path}[${i}]`, item, y[i], out));
        return;
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ path, old: x, new: y });
}

const topLevel = (path: string) => path.split(/[.[]/)[0];

/** Inputs the engine does not diff as the program's: tags come from the provider's defaultTags. */
const IGNORED = new Set(["__defaults"]);

/**
 * What turning `before` into `after` does, resource by resource: created, deleted, updated (each
 * changed input, old and new) or replaced (naming the ForceNew property). A replacement propagates:
 * inputs that refer to a replaced resource change too, and replace their own resource when ForceNew.
 * Comparing two stacks (`stackNames`), each stack's name reads as `<stack>` and nothing propagates.
 */
export function compareRuns(
    before: StackRun,
    after: StackRun,
    options: { propagate?: boolean; stackNames?: boolean } = {},
): ResourceDiff[] {
    const symOld = symbolizer(before, options.stackNames === true);
    const symNew = symbolizer(after, options.stackNames === true);
    const olds = new Map(before.resources.filter((r) => r.custom).map((r) => [keyOf(r.urn), r]));
    const news = new Map(after.resources.filter((r) => r.custom).map((r) => [keyOf(r.urn), r]));
    const diffs = new Map<string, ResourceDiff>();
    const base = (r: RecordedResource, op: ResourceDiff["op"]): ResourceDiff => ({
        key: keyOf(r.urn),
        type: r.type,
        name: r.name,
        op,
        changes: [],
        replacedBy: [],
        stateful: STATEFUL_TYPES.includes(r.type),
        refused: false,
    });
    const inputsOf = (r: RecordedResource, sym: (v: Json) => Json) =>
        sym(Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !IGNORED.has(k)))) as Record<string, Json>;
    const newInputs = new Map([...news].map(([k, r]) => [k, inputsOf(r, symNew)]));

    for (const [key, r] of news) if (!olds.has(key)) diffs.set(key, base(r, "create"));
    for (const [key, r] of olds) {
        const now = news.get(key);
        if (!now) {
            diffs.set(key, { ...base(r, "delete"), refused: r.protect });
            continue;
        }
        const changed: { path: string; old: Json; new: Json }[] = [];
        diffValues("", inputsOf(r, symOld), newInputs.get(key), changed);
        // Resource options the engine keeps in state: no update of the cloud resource, but they matter.
        for (const option of ["protect", "retainOnDelete"] as const)
            if (r[option] !== now[option]) changed.push({ path: `[${option}]`, old: r[option], new: now[option] });
        if (changed.length === 0) continue;
        const forceNew = FORCE_NEW[r.type]?.properties ?? [];
        const changes = changed.map((c) => ({ ...c, forcesReplacement: forceNew.includes(topLevel(c.path)) }));
        const replacedBy = [...new Set(changes.filter((c) => c.forcesReplacement).map((c) => topLevel(c.path)))];
        diffs.set(key, { ...base(r, replacedBy.length > 0 ? "replace" : "update"), changes, replacedBy });
    }

    // A replaced resource gets new ids and ARNs: whatever refers to it changes as well.
    const replaced =
        options.propagate === false ? [] : [...diffs.values()].filter((d) => d.op === "replace" || d.op === "delete");
    for (let i = 0; i < replaced.length; i++) {
        const symbol = `<${replaced[i].key.replace(/^.*::/, "")}.`;
        for (const [key, inputs] of newInputs) {
            if (!olds.has(key) || key === replaced[i].key) continue;
            const r = news.get(key)!;
            const forceNew = FORCE_NEW[r.type]?.properties ?? [];
            for (const [prop, value] of Object.entries(inputs)) {
                if (!JSON.stringify(value ?? null).includes(symbol)) continue;
                const d = diffs.get(key) ?? { ...base(r, "update") };
                if (d.changes.some((c) => topLevel(c.path) === prop)) continue;
                const forces = forceNew.includes(prop);
                d.changes.push({
                    path: prop,
                    old: value,
                    new: "(new value after the replacement)",
                    forcesReplacement: forces,
                    viaReplacementOf: replaced[i].name,
                });
                if (forces && !d.replacedBy.includes(prop)) {
                    d.replacedBy.push(prop);
                    if (d.op !== "replace") replaced.push(d);
                    d.op = "replace";
                }
                diffs.set(key, d);
            }
        }
    }
    for (const d of diffs.values()) if (d.op === "replace") d.refused = olds.get(d.key)?.protect === true;
    const order = { delete: 0, replace: 1, update: 2, create: 3 };
    return [...diffs.values()].sort((a, b) => order[a.op] - order[b.op] || a.key.localeCompare(b.key));
}
