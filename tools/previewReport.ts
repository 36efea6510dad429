import type { RecordedResource, StackRun } from "./sim";

/** The `--json` document of the offline preview. */
export interface PreviewDocument {
    project: string;
    stack: string;
    simulated: true;
    resources: {
        urn: string;
        id: string;
        type: string;
        name: string;
        parent: string | null;
        custom: boolean;
        protect: boolean;
        retainOnDelete: boolean;
        dependencies: string[];
        inputs: Record<string, unknown>;
        /** The simulated provider's state (inputs plus computed ids and ARNs). */
        state: Record<string, unknown>;
        /** A remote component's Construct args and answer (the engine holds `{}` for it). */
        construct?: { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    }[];
    outputs: Record<string, unknown>;
}

export function toDocument(run: StackRun): PreviewDocument {
    return {
        project: run.project,
        stack: run.stack,
        simulated: true,
        resources: run.resources.map((r) => ({
            urn: r.urn,
            id: r.id,
            type: r.type,
            name: r.name,
            parent: r.parent ?? null,
            custom: r.custom,
            protect: r.protect,
            retainOnDelete: r.retainOnDelete,
            dependencies: r.dependencies,
            inputs: r.inputs,
            state: r.state,
            ...(r.construct ? { construct: r.construct } : {}),
        })),
        outputs: run.outputs,
    };
}

function flags(r: RecordedResource): string {
    const marks = [r.protect ? "protect" : "", r.retainOnDelete ? "retain-on-delete" : "", r.remote ? "remote" : ""];
    const shown = marks.filter(Boolean);
    return shown.length > 0 ? `  [${shown.join(", ")}]` : "";
}

/** Renders resources as a tree: components with their children, in registration order. */
export function renderTree(resources: readonly RecordedResource[]): string[] {
    const byParent = new Map<string | undefined, RecordedResource[]>();
    const urns = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
        byParent.set(parent, [...(byParent.get(parent) ?? []), r]);
    }
    const lines: string[] = [];
    const walk = (parent: string | undefined, prefix: string) => {
        const children = byParent.get(parent) ?? [];
        children.forEach((child, index) => {
            const last = index === children.length - 1;
            const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
            lines.push(`${prefix}${branch}${child.type}  ${child.name}${flags(child)}`);
            walk(child.urn, parent === undefined ? prefix : `${prefix}${last ? "   " : "│  "}`);
        });
    };
    walk(undefined, "");
    return lines;
}

export function countByType(resources: readonly RecordedResource[]): [string, number][] {
    const counts = new Map<string, number>();
    for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function formatOutput(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** What `[remote]` in the tree means. */
export const REMOTE_LEGEND =
    "[remote]: a component its provider builds (awsx, through Construct); the engine holds it with empty inputs and outputs, and the resources under it are the ones the provider registers, simulated here as awsx v3.9 lays them out.";

export function renderReport(run: StackRun): string {
    const custom = run.resources.filter((r) => r.custom).length;
    const lines = [
        `Offline preview of ${run.project}/${run.stack}`,
        "Ran the real program against SIMULATED AWS responses: a preflight, not `pulumi preview`.",
        "Nothing was sent to AWS; ids, ARNs and endpoints below are simulated.",
        "",
        `Resources: ${run.resources.length} (${custom} cloud resources, ${run.resources.length - custom} components)`,
        ...renderTree(run.resources).map((line) => `  ${line}`),
        ...(run.resources.some((r) => r.remote) ? ["", REMOTE_LEGEND] : []),
        "",
        "Counts by type:",
    ];
    const counts = countByType(run.resources);
    const width = Math.max(0, ...counts.map(([type]) => type.length));
    for (const [type, count] of counts) lines.push(`  ${type.padEnd(width)}  ${count}`);
    lines.push("", "Stack outputs:");
    // An undefined output is no stack output: the SDK drops undefined properties when it serializes
    // them (@pulumi/pulumi runtime/rpc.js, serializeFilteredProperties).
    const keys = Object.keys(run.outputs)
        .filter((key) => run.outputs[key] !== undefined)
        .sort();
    const keyWidth = Math.max(0, ...keys.map((k) => k.length));
    for (const key of keys) lines.push(`  ${key.padEnd(keyWidth)}  ${formatOutput(run.outputs[key])}`);
    return lines.join("\n");
}
