import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
    API_DEFAULTS,
    API_LIMITS,
    AUTOSCALING_DEFAULTS,
    DATABASE_DEFAULTS,
    DATABASE_LIMITS,
    DEFAULT_LOG_RETENTION_DAYS,
    LOAD_BALANCER_DEFAULTS,
    NETWORK_DEFAULTS,
    NETWORK_LIMITS,
    OBSERVABILITY_DEFAULTS,
    OBSERVABILITY_LIMITS,
    Range,
    STORAGE_DEFAULTS,
    STORAGE_LIMITS,
    WEB_ACL_DEFAULTS,
} from "../components";
import { schema } from "../config";
import { renderProjectFile } from "../tools/config-reference";
import { readProjectFile, REPO_ROOT } from "../tools/sim";

/*
 * One source for each default and limit: the component that owns a setting exports it, the
 * config schema refers to it, Pulumi.yaml is generated from the schema, and the TSDoc
 * `@default`s restate it. These tests fail when any copy drifts.
 */
type Key = keyof typeof schema;

/** Each config key with a default, and the component default(s) it feeds. */
const COMPONENT_DEFAULTS: Readonly<Partial<Record<Key, readonly unknown[]>>> = {
    vpcCidr: [NETWORK_DEFAULTS.vpcCidr],
    availabilityZoneCount: [NETWORK_DEFAULTS.availabilityZoneCount],
    natGatewayStrategy: [NETWORK_DEFAULTS.natGatewayStrategy],
    vpcEndpointsEnabled: [NETWORK_DEFAULTS.vpcEndpointsEnabled],
    dbEngineMajorVersion: [DATABASE_DEFAULTS.engineMajorVersion],
    dbInstanceClass: [DATABASE_DEFAULTS.instanceClass],
    dbServerlessMinAcu: [DATABASE_DEFAULTS.serverlessMinAcu],
    dbServerlessMaxAcu: [DATABASE_DEFAULTS.serverlessMaxAcu],
    dbInstanceCount: [DATABASE_DEFAULTS.instanceCount],
    dbName: [DATABASE_DEFAULTS.databaseName],
    dbMasterUsername: [DATABASE_DEFAULTS.masterUsername],
    dbBackupRetentionDays: [DATABASE_DEFAULTS.backupRetentionDays],
    dbPreferredBackupWindow: [DATABASE_DEFAULTS.preferredBackupWindow],
    dbPreferredMaintenanceWindow: [DATABASE_DEFAULTS.preferredMaintenanceWindow],
    dbDeletionProtection: [DATABASE_DEFAULTS.deletionProtection],
    dbSkipFinalSnapshot: [DATABASE_DEFAULTS.skipFinalSnapshot],
    dbMonitoringIntervalSeconds: [DATABASE_DEFAULTS.monitoringIntervalSeconds],
    dbPerformanceInsights: [DATABASE_DEFAULTS.performanceInsightsEnabled],
    dbProxyEnabled: [DATABASE_DEFAULTS.proxyEnabled],
    protectStatefulResources: [DATABASE_DEFAULTS.protect, STORAGE_DEFAULTS.protect, API_DEFAULTS.deletionProtection],
    apiCpu: [API_DEFAULTS.cpu],
    apiMemoryMiB: [API_DEFAULTS.memoryMiB],
    apiDesiredCount: [API_DEFAULTS.desiredCount],
    apiMinCount: [API_DEFAULTS.minCount],
    apiMaxCount: [API_DEFAULTS.maxCount],
    apiUseFargateSpot: [API_DEFAULTS.useFargateSpot],
    apiEcsExec: [API_DEFAULTS.enableEcsExec],
    apiHealthCheckPath: [API_DEFAULTS.healthCheckPath, LOAD_BALANCER_DEFAULTS.healthCheckPath],
    apiIdleTimeoutSeconds: [API_DEFAULTS.idleTimeoutSeconds, LOAD_BALANCER_DEFAULTS.idleTimeoutSeconds],
    apiMigrationCommand: [API_DEFAULTS.migrationCommand],
    apiAllowedIngressCidrs: [API_DEFAULTS.allowedIngressCidrs, LOAD_BALANCER_DEFAULTS.allowedIngressCidrs],
    wafEnabled: [API_DEFAULTS.wafEnabled],
    wafRateLimitPer5Minutes: [API_DEFAULTS.wafRateLimitPer5Minutes, WEB_ACL_DEFAULTS.rateLimitPer5Minutes],
    wafUploadPathPrefixes: [API_DEFAULTS.wafUploadPathPrefixes, WEB_ACL_DEFAULTS.uploadPathPrefixes],
    tracingEnabled: [API_DEFAULTS.tracingEnabled],
    tracingSamplingPercent: [API_DEFAULTS.tracingSamplingPercent],
    uploadsTransitionToIaDays: [STORAGE_DEFAULTS.transitionToIaDays],
    uploadsTransitionToGlacierDays: [STORAGE_DEFAULTS.transitionToGlacierDays],
    uploadsNoncurrentExpirationDays: [STORAGE_DEFAULTS.noncurrentVersionExpirationDays],
    uploadsReplicationEnabled: [STORAGE_DEFAULTS.replicationEnabled],
    uploadsForceDestroy: [STORAGE_DEFAULTS.forceDestroy],
    uploadsCorsAllowedOrigins: [STORAGE_DEFAULTS.corsAllowedOrigins],
    logBucketExpirationDays: [STORAGE_DEFAULTS.logExpirationDays],
    logRetentionDays: [
        DEFAULT_LOG_RETENTION_DAYS,
        NETWORK_DEFAULTS.logRetentionDays,
        DATABASE_DEFAULTS.logRetentionDays,
        API_DEFAULTS.logRetentionDays,
        WEB_ACL_DEFAULTS.logRetentionDays,
        OBSERVABILITY_DEFAULTS.logRetentionDays,
    ],
    alarmEmails: [OBSERVABILITY_DEFAULTS.alarmEmails],
    monthlyBudgetUsd: [OBSERVABILITY_DEFAULTS.monthlyBudgetUsd],
    alarmEvaluationPeriods: [OBSERVABILITY_DEFAULTS.evaluationPeriods],
    alarm5xxRatePercent: [OBSERVABILITY_DEFAULTS.http5xxRatePercent],
    alarmLatencyP95Ms: [OBSERVABILITY_DEFAULTS.latencyP95ThresholdMs],
    alarmLatencyP99Ms: [OBSERVABILITY_DEFAULTS.latencyP99ThresholdMs],
    alarmUtilizationPercent: [
        OBSERVABILITY_DEFAULTS.ecsCpuThresholdPercent,
        OBSERVABILITY_DEFAULTS.ecsMemoryThresholdPercent,
        OBSERVABILITY_DEFAULTS.dbCpuThresholdPercent,
        OBSERVABILITY_DEFAULTS.dbConnectionsThresholdPercent,
    ],
    alarmDbReplicaLagMs: [OBSERVABILITY_DEFAULTS.dbReplicaLagThresholdMs],
    alarmDbFreeableMemoryMiB: [OBSERVABILITY_DEFAULTS.dbFreeableMemoryThresholdMiB],
    alarmDbFreeLocalStorageMiB: [OBSERVABILITY_DEFAULTS.dbFreeLocalStorageThresholdMiB],
    alarmAppErrorsPer5Minutes: [OBSERVABILITY_DEFAULTS.appErrorThresholdPer5Minutes],
};

/** Each numeric config key and the component limit it must equal. */
const COMPONENT_LIMITS: Readonly<Partial<Record<Key, Range>>> = {
    availabilityZoneCount: NETWORK_LIMITS.availabilityZoneCount,
    dbServerlessMinAcu: DATABASE_LIMITS.serverlessMinAcu,
    dbServerlessMaxAcu: DATABASE_LIMITS.serverlessMaxAcu,
    dbInstanceCount: DATABASE_LIMITS.instanceCount,
    dbBackupRetentionDays: DATABASE_LIMITS.backupRetentionDays,
    apiMemoryMiB: API_LIMITS.memoryMiB,
    apiDesiredCount: API_LIMITS.taskCount,
    apiMinCount: API_LIMITS.taskCount,
    apiMaxCount: API_LIMITS.taskCount,
    apiIdleTimeoutSeconds: API_LIMITS.idleTimeoutSeconds,
    apiRequestTimeoutSeconds: API_LIMITS.requestTimeoutSeconds,
    wafRateLimitPer5Minutes: API_LIMITS.wafRateLimitPer5Minutes,
    tracingSamplingPercent: API_LIMITS.tracingSamplingPercent,
    uploadsTransitionToIaDays: STORAGE_LIMITS.transitionToIaDays,
    uploadsTransitionToGlacierDays: STORAGE_LIMITS.transitionToGlacierDays,
    uploadsNoncurrentExpirationDays: STORAGE_LIMITS.noncurrentVersionExpirationDays,
    logBucketExpirationDays: STORAGE_LIMITS.logExpirationDays,
    monthlyBudgetUsd: OBSERVABILITY_LIMITS.monthlyBudgetUsd,
    alarmEvaluationPeriods: OBSERVABILITY_LIMITS.evaluationPeriods,
    alarm5xxRatePercent: OBSERVABILITY_LIMITS.http5xxRatePercent,
    alarmLatencyP95Ms: OBSERVABILITY_LIMITS.latencyMs,
    alarmLatencyP99Ms: OBSERVABILITY_LIMITS.latencyMs,
    alarmUtilizationPercent: OBSERVABILITY_LIMITS.utilizationPercent,
    alarmDbReplicaLagMs: OBSERVABILITY_LIMITS.dbReplicaLagMs,
    alarmDbFreeableMemoryMiB: OBSERVABILITY_LIMITS.dbMemoryMiB,
    alarmDbFreeLocalStorageMiB: OBSERVABILITY_LIMITS.dbMemoryMiB,
    alarmAppErrorsPer5Minutes: OBSERVABILITY_LIMITS.appErrorsPer5Minutes,
};

/** Pulumi.yaml holds decimals as strings; compare them as the numbers the schema parses. */
function asConfigValue(key: Key, declared: unknown): unknown {
    return schema[key].pulumiType === "string" && typeof schema[key].default === "number" ? Number(declared) : declared;
}

describe("one source for each default and limit", () => {
    const declared = readProjectFile().config;

    it("keeps Pulumi.yaml's config section as `npm run docs` generates it from the schema", () => {
        const text = readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8");
        assert.equal(text, renderProjectFile(text));
    });

    it("declares in Pulumi.yaml exactly the component default of every key that has one", () => {
        const keysWithDefault = Object.keys(declared).filter((key) => "default" in declared[key]);
        assert.deepEqual(keysWithDefault.sort(), Object.keys(COMPONENT_DEFAULTS).sort());
        for (const [key, componentDefaults] of Object.entries(COMPONENT_DEFAULTS) as [Key, unknown[]][]) {
            const value = asConfigValue(key, declared[key].default);
            for (const componentDefault of componentDefaults) {
                assert.deepEqual(value, componentDefault, `Pulumi.yaml default of ${key}`);
            }
            assert.deepEqual(schema[key].default, componentDefaults[0], `schema default of ${key}`);
        }
    });

    it("takes every numeric config limit from the component", () => {
        const numericKeys = (Object.keys(schema) as Key[]).filter((key) => schema[key].limits !== undefined);
        assert.deepEqual(numericKeys.sort(), Object.keys(COMPONENT_LIMITS).sort());
        for (const [key, limit] of Object.entries(COMPONENT_LIMITS) as [Key, Range][]) {
            assert.deepEqual(schema[key].limits, { min: limit.min, max: limit.max }, `limits of ${key}`);
            assert.ok("rule" in schema[key].parse(String(limit.max + 1)), `${key} refuses ${limit.max + 1}`);
            assert.ok("value" in schema[key].parse(String(limit.max)), `${key} accepts ${limit.max}`);
        }
    });

    it("gives a config value outside the component's limit the component's range in its message", () => {
        assert.deepEqual(schema.dbBackupRetentionDays.parse("36"), { rule: "be an integer from 1 to 35" });
        assert.deepEqual(schema.apiIdleTimeoutSeconds.parse("59"), { rule: "be an integer from 60 to 4000" });
    });
});

/** Fields whose `@default <literal>` in `source` differs from `defaults`, and how many agreed. */
function defaultMismatches(source: string, defaults: Readonly<Record<string, unknown>>) {
    const mismatches: string[] = [];
    let agreed = 0;
    for (const [, literal, field] of source.matchAll(/@default ([^\n]+)\n\s*\*\/\n\s*readonly (\w+)\?:/g)) {
        if (literal.startsWith("-") || literal.startsWith("`") || !(field in defaults)) continue; // described, not a value
        const documented: unknown = JSON.parse(literal.trim());
        if (JSON.stringify(documented) === JSON.stringify(defaults[field])) agreed++;
        else mismatches.push(`${field}: documented ${literal.trim()}, exported ${JSON.stringify(defaults[field])}`);
    }
    return { mismatches, agreed };
}

describe("TSDoc @defaults", () => {
    const cases: [string, Readonly<Record<string, unknown>>][] = [
        ["components/network/index.ts", NETWORK_DEFAULTS],
        ["components/database/args.ts", DATABASE_DEFAULTS],
        ["components/storage/args.ts", STORAGE_DEFAULTS],
        ["components/api/args.ts", API_DEFAULTS],
        ["components/api/loadBalancer.ts", LOAD_BALANCER_DEFAULTS],
        ["components/api/waf.ts", WEB_ACL_DEFAULTS],
        ["components/api/autoscaling.ts", AUTOSCALING_DEFAULTS],
        ["components/observability/args.ts", OBSERVABILITY_DEFAULTS],
    ];
    for (const [file, defaults] of cases) {
        it(`state the exported defaults of ${file}`, () => {
            const { mismatches, agreed } = defaultMismatches(
                readFileSync(path.join(REPO_ROOT, file), "utf8"),
                defaults,
            );
            assert.deepEqual(mismatches, []);
            assert.ok(agreed >= 2, `${file}: expected documented defaults to compare; found ${agreed}`);
        });
    }

    it("catches a documented default that differs from the exported one", () => {
        const source =
            "/**\n     * Tasks.\n     * @default 3\n     */\n    readonly count?: number;\n" +
            '/**\n     * Paths.\n     * @default ["/a"]\n     */\n    readonly paths?: string[];';
        assert.deepEqual(defaultMismatches(source, { count: 4, paths: ["/a"] }), {
            mismatches: ["count: documented 3, exported 4"],
            agreed: 1,
        });
    });
});
