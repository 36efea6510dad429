import {
    awsRegion,
    cidrBlock,
    dnsName,
    emailAddress,
    httpPath,
    imageTagOrDigest,
    logRetentionDays,
    matches,
} from "../components/shared";
import { DATABASE_INSIGHTS_MODES, DATABASE_LIMITS } from "../components/database";
import { boolean, decimal, enumeration, integer, optional, SchemaValues, string, stringList } from "./configFields";

/**
 * The typed schema of the project's stack config: each key's kind, limits and doc. Types and
 * defaults are declared in `Pulumi.yaml` (a test keeps the two in step); `config.ts` reads and
 * validates against it.
 */
export const ENVIRONMENTS = ["staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Tags every resource must carry (through the provider's `defaultTags`). */
export const REQUIRED_TAGS = ["Project", "Environment", "ManagedBy", "Stack", "CostCenter"] as const;

const identifier = matches(/^[a-z][a-z0-9_]{0,62}$/, "a lowercase identifier: a letter, then letters, digits or _");
const window = matches(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'a UTC window "hh:mm-hh:mm"');
const weeklyWindow = matches(
    /^(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}-(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}$/,
    'a UTC window "ddd:hh:mm-ddd:hh:mm"',
);
const auroraInstanceClass = matches(
    /^db\.(serverless|t3\.medium|t4g\.(medium|large)|(r5|r6g|r6i|r6gd|r7g|r7i|r8g)\.(large|x?large|\d{1,2}xlarge)|x2g\.(large|x?large|\d{1,2}xlarge))$/,
    "an instance class Aurora PostgreSQL supports: db.serverless, db.t3.medium, db.t4g.medium, db.t4g.large, or a db.r5/r6g/r6i/r6gd/r7g/r7i/r8g/x2g size",
);
const halfStep = (value: number): string | undefined =>
    Number.isInteger(value * 2) ? undefined : "be a multiple of 0.5";
const isoTimeOrLatest = matches(
    /^(latest|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)$/,
    '"latest" or a UTC time such as "2026-11-20T08:30:00Z"',
);
const snapshotIdentifier = matches(
    /^(arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster-snapshot:)?[A-Za-z][A-Za-z0-9-:]{0,254}$/,
    "a DB cluster snapshot identifier or ARN",
);
const clusterIdentifier = matches(
    /^[a-z][a-z0-9-]{0,62}$/,
    "a DB cluster identifier (lowercase, starts with a letter)",
);

/** Every `migration-api:*` key. Order and grouping mirror the README's config table. */
export const schema = {
    // Environment
    environment: enumeration(ENVIRONMENTS, {
        doc: "Which environment this stack is; selects production-only safeguards.",
    }),

    // Network
    vpcCidr: string({
        doc: "CIDR block of the VPC.",
        check: cidrBlock(16, 22),
        allowed: "an IPv4 CIDR from /16 to /22",
    }),
    availabilityZoneCount: integer({ min: 2, max: 3, doc: "How many AZs the VPC, database and service span." }),
    natGatewayStrategy: enumeration(["Single", "OnePerAz"] as const, {
        doc: "NAT gateways: one for the VPC (cheaper) or one per AZ (survives an AZ loss).",
    }),
    vpcEndpointsEnabled: boolean({
        doc: "Interface VPC endpoints (ECR, Logs, Secrets Manager, KMS) so task traffic stays private.",
    }),

    // Database
    dbEngineMajorVersion: enumeration(["14", "15", "16", "17"] as const, {
        doc: "Aurora PostgreSQL major version; the newest minor is resolved at deploy time.",
    }),
    dbEngineVersion: optional(
        string({
            doc: "The exact Aurora PostgreSQL version (e.g. 16.6); required in production. An upgrade is a change of this key (docs/runbooks/upgrade-database-engine.md).",
            check: matches(/^\d{2}\.\d{1,2}$/, 'a version such as "16.4"'),
        }),
    ),
    dbInstanceClass: string({
        doc: "Instance class of every cluster instance; db.serverless for Serverless v2.",
        check: auroraInstanceClass,
    }),
    dbServerlessMinAcu: decimal({
        min: 0,
        max: 256,
        check: halfStep,
        doc: "Serverless v2 minimum capacity (ACUs, steps of 0.5).",
    }),
    dbServerlessMaxAcu: decimal({
        min: 1,
        max: 256,
        check: halfStep,
        doc: "Serverless v2 maximum capacity (ACUs, steps of 0.5).",
    }),
    dbInstanceCount: integer({
        min: 2,
        max: 15,
        doc: "Cluster instances: one writer and the rest readers, spread over the AZs.",
    }),
    dbName: string({ doc: "Name of the application database.", check: identifier }),
    dbMasterUsername: string({
        doc: "Master user name; its password is generated and kept by Secrets Manager.",
        check: identifier,
    }),
    dbBackupRetentionDays: integer({
        min: 1,
        max: 35,
        doc: "Days of automated backups (point-in-time recovery window).",
    }),
    dbPreferredBackupWindow: string({ doc: "Daily backup window, UTC.", check: window }),
    dbPreferredMaintenanceWindow: string({ doc: "Weekly maintenance window, UTC.", check: weeklyWindow }),
    dbDeletionProtection: boolean({ doc: "RDS deletion protection on the cluster." }),
    dbSkipFinalSnapshot: boolean({ doc: "Opt-out: destroy the cluster without a final snapshot (staging only)." }),
    dbMonitoringIntervalSeconds: enumeration([0, 1, 5, 10, 15, 30, 60] as const, {
        doc: "Enhanced monitoring interval; 0 turns it off.",
    }),
    dbPerformanceInsights: boolean({
        doc: "Performance Insights on every instance, encrypted with the database key; on db.serverless it needs dbServerlessMinAcu of at least 2 (AWS's advice).",
    }),
    dbProxyEnabled: boolean({ doc: "RDS Proxy in front of the cluster (TLS and IAM auth required)." }),
    dbAppUsername: string({
        doc: "The API's database user: IAM authentication, least privilege, created by the migration (docs/database-access.md).",
        check: identifier,
    }),
    dbDatabaseInsightsMode: enumeration(DATABASE_INSIGHTS_MODES, {
        doc: "Database Insights (cluster-wide): standard, the default, costs nothing extra (Performance Insights kept 7 days); advanced is billed by CloudWatch per vCPU-hour (per ACU-hour on Serverless v2) and needs dbPerformanceInsights, kept 465 days.",
    }),
    dbLogMinDurationStatementMs: integer({
        ...DATABASE_LIMITS.logMinDurationStatementMs,
        doc: "log_min_duration_statement: statements slower than this are logged (ms); -1 turns it off.",
    }),
    dbLogConnections: boolean({ doc: "log_connections: log each successful connection." }),
    dbLogDisconnections: boolean({ doc: "log_disconnections: log each session's end and duration." }),
    dbLogLockWaits: boolean({ doc: "log_lock_waits: log lock waits longer than deadlock_timeout." }),
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
            check: isoTimeOrLatest,
        }),
    ),
    drRegion: optional(string({ doc: "Second region for backup copies and bucket replication.", check: awsRegion })),
    protectStatefulResources: boolean({
        doc: "Pulumi `protect` and `retainOnDelete` on the database, keys and buckets.",
    }),

    // ApiService
    apiImageTag: string({
        doc: "Image tag or digest of the API in the stack's ECR repository.",
        check: imageTagOrDigest,
    }),
    apiCpu: enumeration([256, 512, 1024, 2048, 4096, 8192, 16384] as const, { doc: "Fargate task CPU units." }),
    apiMemoryMiB: integer({ min: 512, max: 122880, doc: "Fargate task memory (MiB); must suit `apiCpu`." }),
    apiDesiredCount: integer({ min: 2, max: 100, doc: "Tasks the service starts with." }),
    apiMinCount: integer({ min: 2, max: 100, doc: "Autoscaling floor." }),
    apiMaxCount: integer({ min: 2, max: 100, doc: "Autoscaling ceiling." }),
    apiUseFargateSpot: boolean({ doc: "Run tasks above the on-demand base on Fargate Spot." }),
    apiEcsExec: boolean({ doc: "ECS Exec (shell into tasks); staging only." }),
    apiHealthCheckPath: string({ doc: "Path the load balancer checks.", check: httpPath }),
    apiIdleTimeoutSeconds: integer({ min: 60, max: 4000, doc: "ALB idle timeout; large CSV uploads need minutes." }),
    apiMigrationCommand: stringList({ doc: "Command of the one-off schema migration task." }),
    apiAllowedIngressCidrs: stringList({
        doc: "CIDRs allowed to reach the load balancer on 80/443.",
        itemCheck: cidrBlock(0, 32),
        itemAllowed: "IPv4 CIDR blocks",
    }),
    domainName: optional(
        string({ doc: "The API's domain; enables HTTPS with a DNS-validated certificate.", check: dnsName }),
    ),
    hostedZoneId: optional(
        string({
            doc: "Route 53 hosted zone of `domainName`.",
            check: matches(/^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone id"),
        }),
    ),
    certificateArn: optional(
        string({
            doc: "Use this existing ACM certificate instead of issuing one.",
            check: matches(
                /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
                "an ACM certificate ARN",
            ),
        }),
    ),
    wafEnabled: boolean({ doc: "WAFv2 web ACL on the load balancer." }),
    wafRateLimitPer5Minutes: integer({
        min: 100,
        max: 2000000000,
        doc: "Requests per client IP per 5 minutes before WAF blocks.",
    }),
    wafUploadPathPrefixes: stringList({
        doc: "Paths that take CSV uploads: WAF blocks bodies over 8 KB elsewhere; with none, it only counts them.",
        itemCheck: matches(/^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]{0,199}$/, 'a URL path prefix starting with "/"'),
        itemAllowed: 'URL path prefixes starting with "/"',
    }),
    tracingEnabled: boolean({ doc: "AWS X-Ray tracing through a collector sidecar." }),
    tracingSamplingPercent: integer({ min: 0, max: 100, doc: "Share of requests traced." }),

    // Storage
    uploadsTransitionToIaDays: integer({ min: 30, max: 3650, doc: "Days before uploads move to Standard-IA." }),
    uploadsTransitionToGlacierDays: integer({ min: 31, max: 3650, doc: "Days before uploads move to Glacier." }),
    uploadsNoncurrentExpirationDays: integer({ min: 1, max: 3650, doc: "Days a replaced upload version is kept." }),
    uploadsReplicationEnabled: boolean({ doc: "Replicate uploads to a bucket in `drRegion`." }),
    uploadsForceDestroy: boolean({ doc: "Opt-out: let `pulumi destroy` empty the buckets (staging only)." }),
    uploadsCorsAllowedOrigins: stringList({
        doc: "Browser origins allowed to upload with presigned URLs.",
        itemCheck: matches(/^https:\/\/[a-z0-9.-]+(:\d+)?$/, "an https origin"),
        itemAllowed: "https origins",
    }),
    logBucketExpirationDays: integer({ min: 1, max: 3650, doc: "Days access logs are kept." }),

    // Observability
    logRetentionDays: integer({ min: 1, max: 3653, check: logRetentionDays, doc: "Retention of every log group." }),
    alarmEmails: stringList({
        doc: "Addresses subscribed to the alarm topic.",
        itemCheck: emailAddress,
        itemAllowed: "email addresses",
    }),
    monthlyBudgetUsd: integer({
        min: 1,
        max: 1000000,
        doc: "Monthly cost budget; alerts at 80% forecast and 100% actual.",
    }),

    // Observability: alarm thresholds (the Observability component's defaults are production's)
    alarmEvaluationPeriods: integer({
        min: 1,
        max: 30,
        doc: "Consecutive one-minute periods that must breach before a metric alarm fires.",
    }),
    alarm5xxRatePercent: decimal({
        min: 0.01,
        max: 100,
        doc: "5xx responses, as a percentage of requests, that fire the target and load balancer 5xx alarms.",
    }),
    alarmLatencyP95Ms: integer({ min: 1, max: 600000, doc: "p95 target response time that fires its alarm (ms)." }),
    alarmLatencyP99Ms: integer({ min: 1, max: 600000, doc: "p99 target response time that fires its alarm (ms)." }),
    alarmUtilizationPercent: integer({
        min: 1,
        max: 100,
        doc: "Utilisation that fires: ECS CPU and memory, Aurora writer CPU, and connections as a share of max_connections.",
    }),
    alarmDbReplicaLagMs: integer({ min: 1, max: 3600000, doc: "Aurora replica lag that fires its alarm (ms)." }),
    alarmDbFreeableMemoryMiB: integer({
        min: 1,
        max: 1048576,
        doc: "Freeable memory of any Aurora instance below which its alarm fires (MiB).",
    }),
    alarmDbFreeLocalStorageMiB: integer({
        min: 1,
        max: 1048576,
        doc: "Free local storage of any Aurora instance below which its alarm fires (MiB).",
    }),
    alarmAppErrorsPer5Minutes: integer({
        min: 0,
        max: 1000000,
        doc: "ERROR lines in the API's log per 5 minutes above which its alarm fires.",
    }),
} as const;

export type AppConfig = SchemaValues<typeof schema>;

export interface StackConfig extends AppConfig {
    readonly stack: string;
    readonly region: string;
    readonly defaultTags: Readonly<Record<string, string>>;
}
