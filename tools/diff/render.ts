import { shortType, usd } from "../cost/render";
import type { ResourceDiff } from "./compare";

export interface CostDelta {
    key: string;
    type: string;
    name: string;
    beforeUsd: number;
    afterUsd: number;
    deltaUsd: number;
}

export interface DiffReport {
    project: string;
    stack: string;
    /** What the working tree is compared with: a commit, or another stack. */
    against: { ref: string; sha: string } | { stack: string };
    resources: ResourceDiff[];
    cost: { beforeUsd: number; afterUsd: number; deltaUsd: number; perResource: CostDelta[] };
}

const show = (v: unknown) => (typeof v === "string" && v.startsWith("(") ? v : (JSON.stringify(v) ?? "(none)"));
const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The diff as text: a summary, what `pulumi up` would refuse, then each resource and its changes, then cost. */
export function renderDiff(report: DiffReport): string {
    const parity = "stack" in report.against;
    const title = parity
        ? `How ${report.project}/${report.stack} differs from ${(report.against as { stack: string }).stack} (simulated AWS):`
        : `Diff of ${report.project}/${report.stack}: working tree against ${(report.against as { ref: string }).ref} (${(report.against as { sha: string }).sha.slice(0, 7)}), simulated AWS:`;
    const count = (op: string) => report.resources.filter((d) => d.op === op).length;
    const verbs = parity
        ? {
              create: `only in ${report.stack}`,
              delete: `only in ${(report.against as { stack: string }).stack}`,
              update: "differs",
              replace: "differs",
          }
        : { create: "create", delete: "delete", update: "update", replace: "REPLACE" };
    const out = [title];
    if (report.resources.length === 0) out.push("", "No changes.");
    else if (!parity)
        out.push(
            "",
            `${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete`,
        );
    const refused = report.resources.filter((d) => d.refused);
    if (!parity && refused.length > 0)
        out.push(
            "",
            "REFUSED by `pulumi up` (protected resources cannot be deleted or replaced; unprotect first, on purpose):",
            ...refused.map(
                (d) =>
                    `  ${d.op} ${shortType(d.type)} ${d.name}${d.replacedBy.length ? ` (${d.replacedBy.join(", ")})` : ""}`,
            ),
        );
    const stateful = report.resources.filter((d) => d.op === "replace" && d.stateful);
    if (!parity && stateful.length > 0)
        out.push(
            "",
            "Stateful resources REPLACED (data, keys or logs are not carried over):",
            ...stateful.map((d) => `  ${shortType(d.type)} ${d.name}: ${d.replacedBy.join(", ")} forces replacement`),
        );
    const mark = parity
        ? { create: "+", delete: "-", update: "~", replace: "~" }
        : { create: "+", delete: "-", update: "~", replace: "+-" };
    for (const d of report.resources) {
        const why = d.op === "replace" && !parity ? ` (${d.replacedBy.join(", ")} forces replacement)` : "";
        const flags = [
            d.stateful && d.op !== "update" && !parity ? "stateful" : "",
            d.refused && !parity ? "REFUSED: protected" : "",
        ].filter(Boolean);
        out.push(
            "",
            `${mark[d.op]} ${verbs[d.op]} ${shortType(d.type)} ${d.name}${why}${flags.length ? ` [${flags.join(", ")}]` : ""}`,
        );
        for (const c of d.changes) {
            const via = c.viaReplacementOf ? ` (refers to ${c.viaReplacementOf}, which is replaced)` : "";
            out.push(
                clip(
                    `    ${c.path}: ${show(c.old)} -> ${show(c.new)}${via}${c.forcesReplacement && !parity ? "  [forces replacement]" : ""}`,
                ),
            );
        }
    }
    const c = report.cost;
    out.push(
        "",
        `Monthly cost: ${usd(c.beforeUsd)} -> ${usd(c.afterUsd)} (${c.deltaUsd >= 0 ? "+" : ""}${usd(c.deltaUsd)})`,
    );
    for (const r of c.perResource)
        out.push(
            `  ${r.deltaUsd >= 0 ? "+" : ""}${usd(r.deltaUsd)}  ${shortType(r.type)} ${r.name} (${usd(r.beforeUsd)} -> ${usd(r.afterUsd)})`,
        );
    return out.join("\n");
}

/**
 * The differences between two stacks, one line each: `only in <stack>: <type> <name>` or
 * `differs: <type> <name> <property path>` (array positions dropped), for checking against a list.
 */
export function differenceLines(report: DiffReport): string[] {
    const other = (report.against as { stack?: string }).stack ?? "base";
    return report.resources.flatMap((d) => {
        const what = `${shortType(d.type)} ${d.name}`;
        if (d.op === "create") return [`only in ${report.stack}: ${what}`];
        if (d.op === "delete") return [`only in ${other}: ${what}`];
        return [...new Set(d.changes.map((c) => `differs: ${what} ${c.path.replace(/\[\d+\]/g, "[]")}`))];
    });
}
