import type { Estimate, ResourceCost } from "./model";

export const usd = (v: number) =>
    `${v < 0 ? "-" : ""}$${Math.abs(v).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** `aws:rds/clusterInstance:ClusterInstance` -> `rds/clusterInstance`. */
export const shortType = (type: string) => type.replace(/^aws:/, "").replace(/:[A-Za-z0-9]+$/, "");

function pad(rows: string[][]): string[] {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) =>
        r
            .map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
            .join("  ")
            .trimEnd(),
    );
}

function note(r: ResourceCost, stackRegion: string): string {
    if (r.status === "unpriced") return `UNPRICED: ${r.reason}`;
    const unverified = r.lines.some((l) => l.unitUsd !== undefined && !l.verified);
    return [r.region === stackRegion ? "" : r.region, unverified ? "unverified price" : ""].filter(Boolean).join(", ");
}

/** The estimate as a text table by component and resource, then totals, unpriced items and assumptions. */
export function renderEstimate(e: Estimate): string {
    const priced = e.resources.filter((r) => r.status !== "free");
    const rows = [["component", "resource", "fixed/mo", "usage/mo", "note"]];
    for (const component of [...new Set(priced.map((r) => r.component))]) {
        for (const r of priced.filter((x) => x.component === component))
            rows.push([
                component,
                `${shortType(r.type)} ${r.name}`,
                usd(r.fixedUsd),
                usd(r.usageUsd),
                note(r, e.region),
            ]);
    }
    const free = e.resources.filter((r) => r.status === "free").length;
    const unpriced = e.resources.filter((r) => r.status === "unpriced");
    const out = [
        `Monthly cost estimate of ${e.project}/${e.stack} (${e.region}, on-demand list prices from cost/prices.json):`,
        "",
        ...pad(rows),
        "",
        `fixed ${usd(e.fixedUsd)} + usage-driven ${usd(e.usageUsd)} = total ${usd(e.totalUsd)} per month` +
            (unpriced.length > 0 ? ` (plus ${unpriced.length} unpriced resource(s), not counted)` : ""),
        `${free} resources have no charge of their own (IAM, security groups, bucket settings...).`,
    ];
    if (unpriced.length > 0)
        out.push("", "Unpriced (not counted):", ...unpriced.map((r) => `  - ${r.type} ${r.name}: ${r.reason}`));
    if (e.unverifiedPrices.length > 0)
        out.push(
            "",
            `Prices not verified against a stored page (check cost/prices.json \`page\`): ${e.unverifiedPrices.join(", ")}`,
        );
    out.push(
        "",
        `Usage assumptions (${e.usageFile ? e.usageFile.replace(/^.*\/cost\//, "cost/") : "no usage file: defaults"}):`,
        ...e.assumptions.map(
            (a) => `  ${a.key} = ${JSON.stringify(a.value)}${a.source === "default" ? " (default)" : ""}`,
        ),
    );
    return out.join("\n");
}
