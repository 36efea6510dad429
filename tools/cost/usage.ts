import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../sim/stackFiles";
import { CostInputError } from "./prices";

/** Per-resource amounts keyed by the resource's logical name; `*` applies to every other one. */
export type PerResource = Record<string, number>;

/**
 * What a stack's usage-driven costs assume (cost/usage/<stack>.json; documented in cost/README.md).
 * Fixed costs (hours of provisioned things, per-month items) need none of this.
 */
export interface Usage {
    /** Requests the API serves per month: ALB LCUs, WAF inspection, X-Ray traces. @default 1000000 */
    requestsPerMonth: number;
    /** Average response size, KB: ALB processed bytes and data transfer out. @default 20 */
    averageResponseKb: number;
    /** GB of CSV uploaded per month: ALB processed bytes, S3 requests, replication. @default 10 */
    uploadGbPerMonth: number;
    /** Average size of one uploaded file, MB: replication PUT requests. @default 5 */
    averageUploadMb: number;
    /** GB stored in S3 Standard per bucket. @default { "*": 1 } */
    s3StandardGb: PerResource;
    /** GB stored in S3 Standard-IA per bucket (after the lifecycle transition). @default { "*": 0 } */
    s3StandardIaGb: PerResource;
    /** GB stored in S3 Glacier Flexible Retrieval per bucket. @default { "*": 0 } */
    s3GlacierGb: PerResource;
    /** GET requests per month per bucket. @default { "*": 10000 } */
    s3GetRequestsPerMonth: PerResource;
    /** PUT requests per month per bucket (uploads: GB uploaded / average file size). @default { "*": 1000 } */
    s3PutRequestsPerMonth: PerResource;
    /** GB of logs ingested per day per log group. @default { "*": 0.05 } */
    logGbPerDay: PerResource;
    /** GB processed by the NAT gateways per month, all gateways together. @default 20 */
    natGbPerMonth: number;
    /** GB processed by the interface endpoints per month, all together. @default 10 */
    interfaceEndpointGbPerMonth: number;
    /** Aurora storage, GB. @default 20 */
    dbStorageGb: number;
    /** Aurora I/O requests per month, millions. @default 5 */
    dbIoMillionsPerMonth: number;
    /** Average Serverless v2 ACUs per instance (clamped to the cluster's min and max). @default 1 */
    dbServerlessAverageAcu: number;
    /** Aurora automated backup storage beyond the free amount (the cluster's size), GB. @default 0 */
    dbBackupGb: number;
    /** AWS Backup recovery points stored per vault, GB. @default 20 */
    awsBackupGb: number;
    /** GB copied to another Region per month by AWS Backup copy actions. @default 20 */
    backupCopyGbPerMonth: number;
    /** Images stored in ECR, GB. @default 2 */
    ecrStorageGb: number;
    /** KMS requests per key per month (the free tier of 20,000 is account-wide: not deducted). @default 10000 */
    kmsRequestsPerKeyPerMonth: number;
    /** Age of the keys in years: each yearly rotation adds a billed key version, at most two. @default 0 */
    kmsKeyAgeYears: number;
    /** Secrets Manager API calls per month. @default 10000 */
    secretsApiCallsPerMonth: number;
    /** Hours per month the one-off migration task runs. @default 0.5 */
    migrationTaskHoursPerMonth: number;
    /** Route 53 queries per month to non-alias records. @default 1000 */
    route53QueriesPerMonth: number;
}

export const USAGE_DEFAULTS: Readonly<Usage> = {
    requestsPerMonth: 1_000_000,
    averageResponseKb: 20,
    uploadGbPerMonth: 10,
    averageUploadMb: 5,
    s3StandardGb: { "*": 1 },
    s3StandardIaGb: { "*": 0 },
    s3GlacierGb: { "*": 0 },
    s3GetRequestsPerMonth: { "*": 10_000 },
    s3PutRequestsPerMonth: { "*": 1_000 },
    logGbPerDay: { "*": 0.05 },
    natGbPerMonth: 20,
    interfaceEndpointGbPerMonth: 10,
    dbStorageGb: 20,
    dbIoMillionsPerMonth: 5,
    dbServerlessAverageAcu: 1,
    dbBackupGb: 0,
    awsBackupGb: 20,
    backupCopyGbPerMonth: 20,
    ecrStorageGb: 2,
    kmsRequestsPerKeyPerMonth: 10_000,
    kmsKeyAgeYears: 0,
    secretsApiCallsPerMonth: 10_000,
    migrationTaskHoursPerMonth: 0.5,
    route53QueriesPerMonth: 1_000,
};

export function usageFile(stack: string): string {
    return path.join(REPO_ROOT, "cost", "usage", `${stack}.json`);
}

export interface LoadedUsage {
    usage: Usage;
    /** The file read, or undefined when the stack has none (defaults only). */
    file: string | undefined;
    /** Keys the file set (the rest are defaults). */
    fromFile: string[];
}

const isAmount = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

/**
 * Defaults overlaid by a usage file: `file` when given (it must be readable), else the stack's own
 * (defaults alone when it has none). A bad file fails with one message.
 */
export function loadUsage(stack: string, given?: string): LoadedUsage {
    const file = given ?? usageFile(stack);
    if (given === undefined && !existsSync(file))
        return { usage: { ...USAGE_DEFAULTS }, file: undefined, fromFile: [] };
    let raw: unknown;
    try {
        raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
        throw new CostInputError(`cannot read the usage file ${file}: ${(error as Error).message}`);
    }
    if (!raw || typeof raw !== "object" || Array.isArray(raw))
        throw new CostInputError(`the usage file ${file} must hold a JSON object.`);
    const usage: Record<string, unknown> = { ...USAGE_DEFAULTS };
    const fromFile: string[] = [];
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        if (key === "$comment") continue;
        const fallback = (USAGE_DEFAULTS as unknown as Record<string, unknown>)[key];
        if (fallback === undefined)
            throw new CostInputError(
                `the usage file ${file} has an unknown key \`${key}\`; allowed: ${Object.keys(USAGE_DEFAULTS).join(", ")}.`,
            );
        if (typeof fallback === "number") {
            if (!isAmount(value))
                throw new CostInputError(`\`${key}\` in ${file} must be a number >= 0; got ${JSON.stringify(value)}.`);
            usage[key] = value;
        } else {
            const ok =
                value && typeof value === "object" && !Array.isArray(value) && Object.values(value).every(isAmount);
            if (!ok)
                throw new CostInputError(
                    `\`${key}\` in ${file} must map resource names (or "*") to numbers >= 0; got ${JSON.stringify(value)}.`,
                );
            usage[key] = { ...(fallback as PerResource), ...(value as PerResource) };
        }
        fromFile.push(key);
    }
    return { usage: usage as unknown as Usage, file, fromFile };
}

/** The amount for one resource from a per-resource map: its own entry, else `*`, else 0. */
export function forResource(map: PerResource, name: string): number {
    return map[name] ?? map["*"] ?? 0;
}
