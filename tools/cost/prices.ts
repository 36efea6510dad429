import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../sim/stackFiles";

/** One on-demand list price, with where it came from (cost/prices.json). */
export interface Price {
    usd: number;
    unit: string;
    /** The AWS pricing page of the item. */
    page: string;
    /** The date the figure was read. */
    read: string;
    /** False when no stored page showed the figure: it needs checking against `page`. */
    verified: boolean;
    readFrom?: string;
    note?: string;
}

export interface PriceTable {
    currency: string;
    hoursPerMonth: number;
    regions: Record<string, Record<string, Price>>;
}

export const PRICES_FILE = path.join(REPO_ROOT, "cost", "prices.json");

export class CostInputError extends Error {}

export function loadPrices(file = PRICES_FILE): PriceTable {
    let table: PriceTable;
    try {
        table = JSON.parse(readFileSync(file, "utf8")) as PriceTable;
    } catch (error) {
        throw new CostInputError(`cannot read the price table ${file}: ${(error as Error).message}`);
    }
    if (!table.regions || typeof table.hoursPerMonth !== "number")
        throw new CostInputError(`the price table ${file} needs \`hoursPerMonth\` and \`regions\`.`);
    return table;
}

/** The price of `key` in `region`, or undefined when the table has none (the item is then unpriced). */
export function priceOf(table: PriceTable, region: string, key: string): Price | undefined {
    return table.regions[region]?.[key];
}
