import { EvaluatorResource, UNKNOWN } from "./resources";

/**
 * A resource list as the first `pulumi preview` of a new stack presents it: nothing exists yet,
 * so ids and ARNs are unknown, and so is every input built from one (an ARN in a policy
 * document, a key id, a subnet id). Check has run, so auto-names and `tagsAll` stay known.
 *
 * From a saved list the derivation is inferred: an input string that contains another
 * resource's id or ARN (or another `...Id`/`...Arn` output the program did not give) becomes
 * unknown, as a whole, like an interpolated Output. The offline preview's own
 * `--first-preview` runs the program instead, so there the SDK propagates the unknowns.
 */
export function asFirstPreview(resources: readonly EvaluatorResource[]): EvaluatorResource[] {
    const computed = new Set<string>();
    for (const r of resources) {
        for (const [key, value] of Object.entries(r.outputs ?? {})) {
            if (key in r.props || typeof value !== "string" || value.length < 8) continue;
            if (key === "id" || key === "arn" || /[a-z](Arn|Id)$/.test(key)) computed.add(value);
        }
    }
    const values = [...computed];
    const derived = (value: unknown): unknown => {
        if (typeof value === "string") return values.some((c) => value.includes(c)) ? UNKNOWN : value;
        if (Array.isArray(value)) return value.map(derived);
        if (value && typeof value === "object")
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, derived(v)]));
        return value;
    };
    return resources.map((r) => {
        const props = derived(r.props) as Record<string, unknown>;
        if (r.outputs === undefined) return { ...r, props };
        // What the provider computes is unknown until the resource is created.
        const outputs: Record<string, unknown> = {};
        for (const key of Object.keys(r.outputs)) outputs[key] = key in props ? props[key] : UNKNOWN;
        return { ...r, props, outputs };
    });
}
