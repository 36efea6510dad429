import type { RecordedResource } from "../sim/runStack";

/** One priced quantity of one resource. */
export interface CostLine {
    item: string;
    /** Quantity in the price's unit (hours, GB-months, millions of requests...). */
    quantity: number;
    unit: string;
    priceKey: string;
    /** Undefined when the price table has no such price for the resource's region. */
    unitUsd: number | undefined;
    monthlyUsd: number;
    /** Fixed: provisioned capacity billed whatever the traffic; usage: driven by cost/usage/<stack>.json. */
    kind: "fixed" | "usage";
    verified: boolean;
    /** The usage assumption behind a usage-driven line. */
    assumption?: string;
}

export interface ResourceCost {
    urn: string;
    type: string;
    name: string;
    /** The top-level component the resource belongs to (its name), or "(stack)". */
    component: string;
    region: string;
    /** priced: every line has a price; free: AWS charges nothing for it; unpriced: no price known. */
    status: "priced" | "free" | "unpriced";
    lines: CostLine[];
    /** Why a resource is free or unpriced. */
    reason?: string;
    fixedUsd: number;
    usageUsd: number;
}

export interface Estimate {
    project: string;
    stack: string;
    region: string;
    resources: ResourceCost[];
    fixedUsd: number;
    usageUsd: number;
    totalUsd: number;
    /** Usage assumptions in effect: key, value, and whether the stack's usage file set it. */
    assumptions: { key: string; value: unknown; source: "usage file" | "default" }[];
    usageFile: string | undefined;
    /** Price keys used whose figure no stored page showed (cost/prices.json `verified: false`). */
    unverifiedPrices: string[];
}

/** What a pricer of one resource type sees. */
export interface PricingContext {
    resources: readonly RecordedResource[];
    byUrn: ReadonlyMap<string, RecordedResource>;
    hoursPerMonth: number;
    /** A line priced from the table in the resource's region. */
    line(item: string, quantity: number, priceKey: string, kind: "fixed" | "usage", assumption?: string): CostLine;
}

/** What a pricer returns: lines, or a free/unpriced verdict with its reason. */
export type Pricing = CostLine[] | { free: string } | { unpriced: string };
