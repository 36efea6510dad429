import { createHash } from "node:crypto";

/** The simulated account, partition and regions: deterministic ids so runs and tests are stable. */
export const ACCOUNT_ID = "123456789012";
export const PARTITION = "aws";

/** Availability zones per region as AWS reports them (subset of real zone letters). */
const REGION_ZONES: Readonly<Record<string, string>> = {
    "us-east-1": "abcdef",
    "us-east-2": "abc",
    "us-west-1": "ac",
    "us-west-2": "abcd",
    "eu-west-1": "abc",
    "eu-central-1": "abc",
};

/** The zones of a region, as `getAvailabilityZones` reports them. */
export function zonesOf(region: string): string[] {
    return [...(REGION_ZONES[region] ?? "abc")].map((letter) => `${region}${letter}`);
}

/** Deterministic hex from a seed, so ids are stable across runs and tests. */
export function hexId(seed: string, length: number): string {
    let out = "";
    for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${seed}#${i}`).digest("hex");
    return out.slice(0, length);
}

/** A deterministic UUID (version 4 layout) from a seed. */
export function uuid(seed: string): string {
    const h = hexId(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Pulumi auto-names append "-" and 7 hex characters to the logical name. */
export function autoName(logicalName: string, seed: string): string {
    return `${logicalName}-${hexId(seed, 7)}`;
}
