import {
    acmCertificateArn,
    acu,
    anyAuroraInstanceClass,
    API_DEFAULTS,
    API_LIMITS,
    AURORA_POSTGRES_MAJOR_VERSIONS,
    awsRegion,
    CLOUDWATCH_RETENTION_DAYS,
    cidrBlock,
    clusterIdentifier,
    dailyWindow,
    DATABASE_DEFAULTS,
    DATABASE_LIMITS,
    dbIdentifier,
    DEFAULT_LOG_RETENTION_DAYS,
    dnsName,
    emailAddress,
    hostedZoneId,
    httpPath,
    imageTagOrDigest,
    matches,
    MONITORING_INTERVALS,
    NAT_GATEWAY_STRATEGIES,
    NETWORK_DEFAULTS,
    NETWORK_LIMITS,
    OBSERVABILITY_DEFAULTS,
    OBSERVABILITY_LIMITS,
    restoreTime,
    snapshotIdentifier,
    STORAGE_DEFAULTS,
    STORAGE_LIMITS,
    weeklyWindow,
    FeatureFlag,
    featureFlagProblems,
} from "../components";
import {
    boolean,
    decimal,
    enumeration,
    integer,
    jsonMap,
    optional,
    SchemaValues,
    string,
    stringList,
} from "./configFields";

/**
 * The typed schema of the project's stack config: each key's kind and doc. Every default and
 * limit comes from the component that owns the setting (`*_DEFAULTS`, `*_LIMITS`), never a
 * copy; `Pulumi.yaml` declares the same defaults for Pulumi (a test keeps them equal), and
 * `config.ts` reads and validates against this schema.
 */
export const ENVIRONMENTS = ["staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Tags every resource must carry (through the provider's `defaultTags`). */
export const REQUIRED_TAGS = ["Project", "Environment", "ManagedBy", "Stack", "CostCenter"] as const;

/**
 * The tag each stack's budget filters on, activated once per account as a cost-allocation tag
 * (bootstrap/costAllocationTags.ts). Its value must be the stack's name, so that stacks sharing
 * an account never share a budget.
 */
export const COST_ALLOCATION_TAG = "Stack" satisfies (typeof REQUIRED_TAGS)[number];

/** Every `migration-api:*` key. Order and grouping mirror the README's config table. */
export const schema = {
    // Environment
    environment: enumeration(ENVIRONMENTS, {
        doc: "Which environment this stack is; selects production-only safeguards.",
    }),

    // Network
    vpcCidr: string({
        doc: "CIDR block of the VPC.",
        default: NETWORK_DEFAULTS.vpcCidr,
        check: cidrBlock(NETWORK_LIMITS.vpcCidrPrefix.min, NETWORK_LIMITS.vpcCidrPrefix.max),
        allowed: `an IPv4 CIDR from /${NETWORK_LIMITS.vpcCidrPrefix.min} to /${NETWORK_LIMITS.vpcCidrPrefix.max}`,
    }),
    availabilityZoneCount: integer({
        ...NETWORK_LIMITS.availabilityZoneCount,
        default: NETWORK_DEFAULTS.availabilityZoneCount,
        doc: "How many AZs the VPC, database and service span.",
    }),
    natGatewayStrategy: enumeration(NAT_GATEWAY_STRATEGIES, {
        default: NETWORK_DEFAULTS.natGatewayStrategy,
        doc: "NAT gateways: one for the VPC (cheaper) or one per AZ (survives an AZ loss).",
    }),
    vpcEndpointsEnabled: boolean({
        default: NETWORK_DEFAULTS.vpcEndpointsEnabled,
        doc: "Interface VPC endpoints (ECR, Logs, Secrets Manager, KMS) so task traffic stays private.",
    }),

    // Database
    dbEngineMajorVersion: enumeration(AURORA_POSTGRES_MAJOR_VERSIONS, {
        default: DATABASE_DEFAULTS.engineMajorVersion,
        doc: "Aurora PostgreSQL major version; the newest minor is resolved at deploy time.",
    }),
    dbEngineVersion: optional(
        string({
            doc: "Pins an exact Aurora PostgreSQL version (e.g. 16.4) instead of resolving the newest minor.",
            check: matches(/^\d{2}\.\d{1,2}$/, 'a version such as "16.4"'),
        }),
    ),
    dbInstanceClass: string({
        default: DATABASE_DEFAULTS.instanceClass,
        doc: "Instance class of every cluster instance; db.serverless for Serverless v2.",
        check: anyAuroraInstanceClass,
    }),
    dbServerlessMinAcu: decimal({
        ...DATABASE_LIMITS.serverlessMinAcu,
        default: DATABASE_DEFAULTS.serverlessMinAcu,
        check: acu(DATABASE_LIMITS.serverlessMinAcu),
        doc: "Serverless v2 minimum capacity (ACUs, steps of 0.5).",
    }),
    dbServerlessMaxAcu: decimal({
        ...DATABASE_LIMITS.serverlessMaxAcu,
        default: DATABASE_DEFAULTS.serverlessMaxAcu,
        check: acu(DATABASE_LIMITS.serverlessMaxAcu),
        doc: "Serverless v2 maximum capacity (ACUs, steps of 0.5).",
    }),
    dbInstanceCount: integer({
        ...DATABASE_LIMITS.instanceCount,
        default: DATABASE_DEFAULTS.instanceCount,
        doc: "Cluster instances: one writer and the rest readers, spread over the AZs.",
    }),
    dbName: string({
        default: DATABASE_DEFAULTS.databaseName,
        doc: "Name of the application database.",
        check: dbIdentifier,
    }),
    dbMasterUsername: string({
        default: DATABASE_DEFAULTS.masterUsername,
        doc: "Master user name; its password is generated and kept by Secrets Manager.",
        check: dbIdentifier,
    }),
    dbBackupRetentionDays: integer({
        ...DATABASE_LIMITS.backupRetentionDays,
        default: DATABASE_DEFAULTS.backupRetentionDays,
        doc: "Days of automated backups (point-in-time recovery window).",
    }),
    dbPreferredBackupWindow: string({
        default: DATABASE_DEFAULTS.preferredBackupWindow,
        doc: "Daily backup window, UTC.",
        check: dailyWindow,
    }),
    dbPreferredMaintenanceWindow: string({
        default: DATABASE_DEFAULTS.preferredMaintenanceWindow,
        doc: "Weekly maintenance window, UTC.",
        check: weeklyWindow,
    }),
    dbDeletionProtection: boolean({
        default: DATABASE_DEFAULTS.deletionProtection,
        doc: "RDS deletion protection on the cluster.",
    }),
    dbSkipFinalSnapshot: boolean({
        default: DATABASE_DEFAULTS.skipFinalSnapshot,
        doc: "Opt-out: destroy the cluster without a final snapshot (staging only).",
    }),
    dbMonitoringIntervalSeconds: enumeration(MONITORING_INTERVALS, {
        default: DATABASE_DEFAULTS.monitoringIntervalSeconds,
        doc: "Enhanced monitoring interval; 0 turns it off.",
    }),
    dbPerformanceInsights: boolean({
        default: DATABASE_DEFAULTS.performanceInsightsEnabled,
        doc: "Performance Insights on every instance, encrypted with the database key.",
    }),
    dbProxyEnabled: boolean({
        default: DATABASE_DEFAULTS.proxyEnabled,
        doc: "RDS Proxy in front of the cluster (TLS and IAM auth required).",
    }),
    dbRestoreFromSnapshot: optional(
        string({
            doc: "Builds the cluster from this cluster snapshot (identifier or ARN).",
            check: snapshotIdentifier,
        }),
    ),
    dbRestoreSourceCluster: optional(
        string({ doc: "Point-in-time restore: the source cluster identifier.", check: clusterIdentifier }),
    ),
    dbRestoreToTime: optional(
        string({
            doc: 'Point-in-time restore: a UTC time, or "latest" for the latest restorable time.',
            check: restoreTime,
        }),
    ),
    drRegion: optional(string({ doc: "Second region for backup copies and bucket replication.", check: awsRegion })),
    protectStatefulResources: boolean({
        // The Database, Storage and load balancer share this default (a test checks).
        default: DATABASE_DEFAULTS.protect,
        doc: "Pulumi `protect` and `retainOnDelete` on the database, keys and buckets.",
    }),

    // ApiService
    apiImageTag: string({
        doc: "Image tag or digest of the API in the stack's ECR repository.",
        check: imageTagOrDigest,
    }),
    apiCpu: enumeration(API_LIMITS.cpu, { default: API_DEFAULTS.cpu, doc: "Fargate task CPU units." }),
    apiMemoryMiB: integer({
        ...API_LIMITS.memoryMiB,
        default: API_DEFAULTS.memoryMiB,
        doc: "Fargate task memory (MiB); must suit `apiCpu`.",
    }),
    apiDesiredCount: integer({
        ...API_LIMITS.taskCount,
        default: API_DEFAULTS.desiredCount,
        doc: "Tasks the service starts with.",
    }),
    apiMinCount: integer({ ...API_LIMITS.taskCount, default: API_DEFAULTS.minCount, doc: "Autoscaling floor." }),
    apiMaxCount: integer({ ...API_LIMITS.taskCount, default: API_DEFAULTS.maxCount, doc: "Autoscaling ceiling." }),
    apiUseFargateSpot: boolean({
        default: API_DEFAULTS.useFargateSpot,
        doc: "Run tasks above the on-demand base on Fargate Spot.",
    }),
    apiEcsExec: boolean({ default: API_DEFAULTS.enableEcsExec, doc: "ECS Exec (shell into tasks); staging only." }),
    apiHealthCheckPath: string({
        default: API_DEFAULTS.healthCheckPath,
        doc: "Path the load balancer checks.",
        check: httpPath,
    }),
    apiIdleTimeoutSeconds: integer({
        ...API_LIMITS.idleTimeoutSeconds,
        default: API_DEFAULTS.idleTimeoutSeconds,
        doc: "ALB idle timeout; large CSV uploads need minutes.",
    }),
    apiRequestTimeoutSeconds: optional(
        integer({
            ...API_LIMITS.requestTimeoutSeconds,
            doc: "Longest request the API must finish (uploads included); unset, `apiIdleTimeoutSeconds`. The target group drains this long; the container's stopTimeout follows, capped at Fargate's 120 s.",
        }),
    ),
    apiMigrationCommand: stringList({
        default: API_DEFAULTS.migrationCommand,
        doc: "Command of the one-off schema migration task.",
    }),
    apiAllowedIngressCidrs: stringList({
        default: API_DEFAULTS.allowedIngressCidrs,
        doc: "CIDRs allowed to reach the load balancer on 80/443.",
        itemCheck: cidrBlock(0, 32),
        itemAllowed: "IPv4 CIDR blocks",
    }),
    domainName: optional(
        string({ doc: "The API's domain; enables HTTPS with a DNS-validated certificate.", check: dnsName }),
    ),
    hostedZoneId: optional(string({ doc: "Route 53 hosted zone of `domainName`.", check: hostedZoneId })),
    certificateArn: optional(
        string({ doc: "Use this existing ACM certificate instead of issuing one.", check: acmCertificateArn }),
    ),
    wafEnabled: boolean({ default: API_DEFAULTS.wafEnabled, doc: "WAFv2 web ACL on the load balancer." }),
    wafRateLimitPer5Minutes: integer({
        ...API_LIMITS.wafRateLimitPer5Minutes,
        default: API_DEFAULTS.wafRateLimitPer5Minutes,
        doc: "Requests per client IP per 5 minutes before WAF blocks.",
    }),
    wafUploadPathPrefixes: stringList({
        default: API_DEFAULTS.wafUploadPathPrefixes,
        doc: "Paths that take CSV uploads: there WAF neither blocks bodies over 8 KB nor judges their content (body XSS/SQLi rules count); elsewhere it blocks both. With none, oversized bodies are only counted and body rules block everywhere.",
        itemCheck: matches(/^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]{0,199}$/, 'a URL path prefix starting with "/"'),
        itemAllowed: 'URL path prefixes starting with "/"',
    }),
    featureFlags: optional(
        jsonMap<Readonly<Record<string, FeatureFlag>>>({
            doc: 'Feature flags -> SSM parameters under /migration-api/<stack>/flags/ (the task reads only that path); {"value": ..., "secret": true} makes a SecureString. Flipped through git: change here, then deploy.',
            allowed: 'a map of flag name to a string, number or boolean, or {"value": ..., "secret": true}',
            problems: featureFlagProblems,
        }),
    ),
    tracingEnabled: boolean({
        default: API_DEFAULTS.tracingEnabled,
        doc: "AWS X-Ray tracing through a collector sidecar.",
    }),
    tracingSamplingPercent: integer({
        ...API_LIMITS.tracingSamplingPercent,
        default: API_DEFAULTS.tracingSamplingPercent,
        doc: "Share of requests traced.",
    }),

    // Storage
    uploadsTransitionToIaDays: integer({
        ...STORAGE_LIMITS.transitionToIaDays,
        default: STORAGE_DEFAULTS.transitionToIaDays,
        doc: "Days before uploads move to Standard-IA.",
    }),
    uploadsTransitionToGlacierDays: integer({
        ...STORAGE_LIMITS.transitionToGlacierDays,
        default: STORAGE_DEFAULTS.transitionToGlacierDays,
        doc: "Days before uploads move to Glacier.",
    }),
    uploadsNoncurrentExpirationDays: integer({
        ...STORAGE_LIMITS.noncurrentVersionExpirationDays,
        default: STORAGE_DEFAULTS.noncurrentVersionExpirationDays,
        doc: "Days a replaced upload version is kept.",
    }),
    uploadsReplicationEnabled: boolean({
        default: STORAGE_DEFAULTS.replicationEnabled,
        doc: "Replicate uploads to a bucket in `drRegion`.",
    }),
    uploadsForceDestroy: boolean({
        default: STORAGE_DEFAULTS.forceDestroy,
        doc: "Opt-out: let `pulumi destroy` empty the buckets (staging only).",
    }),
    uploadsCorsAllowedOrigins: stringList({
        default: STORAGE_DEFAULTS.corsAllowedOrigins,
        doc: "Browser origins allowed to upload with presigned URLs.",
        itemCheck: matches(/^https:\/\/[a-z0-9.-]+(:\d+)?$/, "an https origin"),
        itemAllowed: "https origins",
    }),
    logBucketExpirationDays: integer({
        ...STORAGE_LIMITS.logExpirationDays,
        default: STORAGE_DEFAULTS.logExpirationDays,
        doc: "Days access logs are kept.",
    }),

    // Observability
    logRetentionDays: enumeration(CLOUDWATCH_RETENTION_DAYS, {
        default: DEFAULT_LOG_RETENTION_DAYS,
        doc: "Retention of every log group.",
    }),
    alarmEmails: stringList({
        default: OBSERVABILITY_DEFAULTS.alarmEmails,
        doc: "Addresses subscribed to the alarm topic.",
        itemCheck: emailAddress,
        itemAllowed: "email addresses",
    }),
    monthlyBudgetUsd: integer({
        ...OBSERVABILITY_LIMITS.monthlyBudgetUsd,
        default: OBSERVABILITY_DEFAULTS.monthlyBudgetUsd,
        doc: "Monthly cost budget; alerts at 80% forecast and 100% actual.",
    }),

    // Observability: alarm thresholds (the Observability component's defaults are production's)
    alarmEvaluationPeriods: integer({
        ...OBSERVABILITY_LIMITS.evaluationPeriods,
        default: OBSERVABILITY_DEFAULTS.evaluationPeriods,
        doc: "Consecutive one-minute periods that must breach before a metric alarm fires.",
    }),
    alarm5xxRatePercent: decimal({
        ...OBSERVABILITY_LIMITS.http5xxRatePercent,
        default: OBSERVABILITY_DEFAULTS.http5xxRatePercent,
        doc: "5xx responses, as a percentage of requests, that fire the target and load balancer 5xx alarms.",
    }),
    alarmLatencyP95Ms: integer({
        ...OBSERVABILITY_LIMITS.latencyMs,
        default: OBSERVABILITY_DEFAULTS.latencyP95ThresholdMs,
        doc: "p95 target response time that fires its alarm (ms).",
    }),
    alarmLatencyP99Ms: integer({
        ...OBSERVABILITY_LIMITS.latencyMs,
        default: OBSERVABILITY_DEFAULTS.latencyP99ThresholdMs,
        doc: "p99 target response time that fires its alarm (ms).",
    }),
    alarmUtilizationPercent: integer({
        ...OBSERVABILITY_LIMITS.utilizationPercent,
        // One key for four thresholds that share this default (a test checks).
        default: OBSERVABILITY_DEFAULTS.ecsCpuThresholdPercent,
        doc: "Utilisation that fires: ECS CPU and memory, Aurora writer CPU, and connections as a share of max_connections.",
    }),
    alarmDbReplicaLagMs: integer({
        ...OBSERVABILITY_LIMITS.dbReplicaLagMs,
        default: OBSERVABILITY_DEFAULTS.dbReplicaLagThresholdMs,
        doc: "Aurora replica lag that fires its alarm (ms).",
    }),
    alarmDbFreeableMemoryMiB: integer({
        ...OBSERVABILITY_LIMITS.dbMemoryMiB,
        default: OBSERVABILITY_DEFAULTS.dbFreeableMemoryThresholdMiB,
        doc: "Freeable memory of any Aurora instance below which its alarm fires (MiB).",
    }),
    alarmDbFreeLocalStorageMiB: integer({
        ...OBSERVABILITY_LIMITS.dbMemoryMiB,
        default: OBSERVABILITY_DEFAULTS.dbFreeLocalStorageThresholdMiB,
        doc: "Free local storage of any Aurora instance below which its alarm fires (MiB).",
    }),
    alarmAppErrorsPer5Minutes: integer({
        ...OBSERVABILITY_LIMITS.appErrorsPer5Minutes,
        default: OBSERVABILITY_DEFAULTS.appErrorThresholdPer5Minutes,
        doc: "ERROR lines in the API's log per 5 minutes above which its alarm fires.",
    }),
} as const;

export type AppConfig = SchemaValues<typeof schema>;

export interface StackConfig extends AppConfig {
    readonly stack: string;
    readonly region: string;
    readonly defaultTags: Readonly<Record<string, string>>;
}
