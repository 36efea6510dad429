import type { RecordedResource, StackRun } from "../sim/runStack";
import type { CostLine, Estimate, PricingContext, ResourceCost } from "./model";
import { FREE_TYPES, PRICERS } from "./pricers";
import { priceOf, PriceTable } from "./prices";
import type { LoadedUsage } from "./usage";
import { USAGE_DEFAULTS } from "./usage";

const round2 = (usd: number) => Math.round(usd * 100) / 100;

/** The region a resource lives in: its own `region`, else the one in its ARN, else the stack's. */
export function regionOf(r: RecordedResource, stackRegion: string): string {
    if (typeof r.state.region === "string" && r.state.region) return r.state.region;
    const arn = /^arn:[^:]+:[^:]+:([a-z0-9-]+):/.exec(String(r.state.arn ?? ""));
    return arn?.[1] || stackRegion;
}

/** The name of the top-level component a resource belongs to, or "(stack)". */
export function componentOf(r: RecordedResource, byUrn: ReadonlyMap<string, RecordedResource>): string {
    let top: RecordedResource | undefined;
    for (let at: RecordedResource | undefined = r; at; at = at.parent ? byUrn.get(at.parent) : undefined) top = at;
    return top && top !== r ? top.name : r.custom ? "(stack)" : r.name;
}

/** True for what the estimate walks: cloud resources, not components or providers. */
function billable(r: RecordedResource): boolean {
    return r.custom && !r.type.startsWith("pulumi:providers:");
}

/**
 * Prices every resource a simulated stack run declared, in its region, from the price table and
 * the usage assumptions. A type without a price model is listed as unpriced, never counted as zero.
 */
export function estimate(run: StackRun, table: PriceTable, loaded: LoadedUsage, stackRegion: string): Estimate {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const unverified = new Set<string>();
    const costs: ResourceCost[] = [];
    for (const r of run.resources) {
        const region = regionOf(r, stackRegion);
        const component = componentOf(r, byUrn);
        const base = {
            urn: r.urn,
            type: r.type,
            name: r.name,
            component,
            region,
            lines: [] as CostLine[],
            fixedUsd: 0,
            usageUsd: 0,
        };
        // awsx's remote VPC registers its children itself; where the simulation records none, they are unpriced.
        if (r.type === "awsx:ec2:Vpc" && !run.resources.some((c) => c.parent === r.urn)) {
            costs.push({
                ...base,
                status: "unpriced",
                reason: "its children (NAT gateways, EIPs, subnets) were not recorded",
            });
            continue;
        }
        if (!billable(r)) continue;
        const ctx: PricingContext = {
            resources: run.resources,
            byUrn,
            hoursPerMonth: table.hoursPerMonth,
            line(item, quantity, priceKey, kind, assumption) {
                const price = priceOf(table, region, priceKey);
                if (price && !price.verified) unverified.add(`${region} ${priceKey}`);
                return {
                    item,
                    quantity,
                    unit: price?.unit ?? "(no price)",
                    priceKey,
                    unitUsd: price?.usd,
                    monthlyUsd: price ? quantity * price.usd : 0,
                    kind,
                    verified: price?.verified ?? false,
                    ...(assumption ? { assumption } : {}),
                };
            },
        };
        const pricer = PRICERS[r.type];
        const result = pricer
            ? pricer(r, ctx, loaded.usage)
            : FREE_TYPES[r.type]
              ? { free: FREE_TYPES[r.type] }
              : { unpriced: "no price model for this type" };
        if (!Array.isArray(result)) {
            costs.push(
                "free" in result
                    ? { ...base, status: "free", reason: result.free }
                    : { ...base, status: "unpriced", reason: result.unpriced },
            );
            continue;
        }
        const missing = result.filter((l) => l.unitUsd === undefined);
        const sum = (kind: string) => result.filter((l) => l.kind === kind).reduce((s, l) => s + l.monthlyUsd, 0);
        costs.push({
            ...base,
            lines: result,
            status: missing.length > 0 ? "unpriced" : "priced",
            ...(missing.length > 0
                ? { reason: `no price ${missing.map((l) => l.priceKey).join(", ")} in ${region}` }
                : {}),
            fixedUsd: sum("fixed"),
            usageUsd: sum("usage"),
        });
    }
    const fixedUsd = costs.reduce((s, c) => s + c.fixedUsd, 0);
    const usageUsd = costs.reduce((s, c) => s + c.usageUsd, 0);
    return {
        project: run.project,
        stack: run.stack,
        region: stackRegion,
        resources: costs,
        fixedUsd: round2(fixedUsd),
        usageUsd: round2(usageUsd),
        totalUsd: round2(fixedUsd + usageUsd),
        assumptions: Object.keys(USAGE_DEFAULTS).map((key) => ({
            key,
            value: (loaded.usage as unknown as Record<string, unknown>)[key],
            source: loaded.fromFile.includes(key) ? "usage file" : "default",
        })),
        usageFile: loaded.file,
        unverifiedPrices: [...unverified].sort(),
    };
}
