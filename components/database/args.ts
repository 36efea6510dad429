import type { Provider } from "@pulumi/aws/provider";
import type * as pulumi from "@pulumi/pulumi";
import { DEFAULT_LOG_RETENTION_DAYS } from "../shared/validation";

/** Point-in-time restore: a new cluster from another cluster's continuous backup. */
export interface DatabaseRestoreToPointInTime {
    /** Identifier of the cluster to restore from (this account and region). */
    readonly sourceClusterIdentifier: string;
    /**
     * A UTC time such as "2026-11-20T08:30:00Z", or "latest" for the latest restorable time.
     * @default "latest"
     */
    readonly restoreToTime?: string;
}

export interface DatabaseArgs {
    /** VPC of the cluster's security groups. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated (no route to the internet) subnets of the DB subnet group, one per AZ. */
    readonly isolatedSubnetIds: pulumi.Input<string[]>;
    /**
     * Private subnets of the RDS Proxy; required when `proxyEnabled`.
     * @default - none
     */
    readonly privateSubnetIds?: pulumi.Input<string[]>;
    /**
     * The VPC's AZs, in order. Instance `i` is placed in zone `i mod n`: the writer and the first
     * reader always land in different AZs. At least 2 zones.
     */
    readonly availabilityZoneNames: pulumi.Input<string[]>;
    /**
     * Security groups admitted on 5432, keyed by a short stable name used in the rule's
     * resource name (`{ api: apiSecurityGroupId }`). More can be added later with `allowFrom`.
     * @default {}
     */
    readonly allowedSecurityGroupIds?: Readonly<Record<string, pulumi.Input<string>>>;

    /**
     * Aurora PostgreSQL major version.
     * @default "16"
     */
    readonly engineMajorVersion?: string;
    /**
     * The exact engine version (e.g. "16.6"), used as given: `aws.rds.getEngineVersion` only checks
     * that AWS offers it. An upgrade is a change of this value (docs/runbooks/upgrade-database-engine.md).
     * @default - the newest minor of `engineMajorVersion`, resolved on every run (not for production)
     */
    readonly engineVersion?: string;
    /**
     * Class of every instance; `db.serverless` for Serverless v2.
     * @default "db.r6g.large"
     */
    readonly instanceClass?: string;
    /**
     * Serverless v2 minimum capacity, 0-256 ACUs in steps of 0.5 (used with `db.serverless`).
     * @default 0.5
     */
    readonly serverlessMinAcu?: number;
    /**
     * Serverless v2 maximum capacity, 1-256 ACUs in steps of 0.5 (used with `db.serverless`).
     * @default 8
     */
    readonly serverlessMaxAcu?: number;
    /**
     * Instances: one writer, the rest readers (2-15).
     * @default 2
     */
    readonly instanceCount?: number;
    /**
     * Name of the application database. Ignored by restores, which keep the source's.
     * @default "migrations"
     */
    readonly databaseName?: string;
    /**
     * Master user; its password is generated and kept by Secrets Manager under the database key.
     * @default "migration_admin"
     */
    readonly masterUsername?: string;

    /**
     * Days of automated backups, the point-in-time window (1-35).
     * @default 35
     */
    readonly backupRetentionDays?: number;
    /**
     * Daily backup window, UTC.
     * @default "03:00-04:00"
     */
    readonly preferredBackupWindow?: string;
    /**
     * Weekly maintenance window, UTC.
     * @default "sun:04:30-sun:05:30"
     */
    readonly preferredMaintenanceWindow?: string;
    /**
     * RDS deletion protection on the cluster.
     * @default true
     */
    readonly deletionProtection?: boolean;
    /**
     * Opt-out: destroy the cluster without a final snapshot (for throwaway environments).
     * @default false
     */
    readonly skipFinalSnapshot?: boolean;
    /**
     * Prefix of the snapshot taken when the cluster is deleted; a random suffix, kept in state and
     * renewed whenever the cluster is replaced, makes each deletion's snapshot name unique.
     * @default `${name}-final`
     */
    readonly finalSnapshotPrefix?: string;
    /**
     * Pulumi `protect` and `retainOnDelete` on the cluster, its instances, keys and vaults.
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Builds the cluster from this cluster snapshot (identifier or ARN).
     * @default - no restore
     */
    readonly restoreFromSnapshot?: string;
    /**
     * Builds the cluster from another cluster's backups at a point in time.
     * @default - no restore
     */
    readonly restoreToPointInTime?: DatabaseRestoreToPointInTime;

    /** The primary region, to check `drRegion` against. */
    readonly region: string;
    /**
     * Second region: an AWS Backup plan copies every recovery point to a vault there, under a
     * key of that region. Needs `drProvider`.
     * @default - no cross-region copy
     */
    readonly drRegion?: string;
    /**
     * Provider for `drRegion` (same default tags as the primary provider).
     * @default - none; required with `drRegion`
     */
    readonly drProvider?: Provider;
    /**
     * When the AWS Backup plan runs (UTC schedule expression).
     * @default "cron(0 5 * * ? *)"
     */
    readonly drBackupSchedule?: string;

    /**
     * Logs exported to CloudWatch, into KMS-encrypted groups with `logRetentionDays`.
     * @default ["postgresql"]
     */
    readonly cloudwatchLogExports?: readonly string[];
    /** KMS key of the exported log groups; its policy must allow `logs`. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /**
     * Retention of the exported log groups, a value CloudWatch Logs accepts.
     * @default 365
     */
    readonly logRetentionDays?: number;
    /**
     * Enhanced monitoring interval in seconds; 0 turns it off.
     * @default 60
     */
    readonly monitoringIntervalSeconds?: number;
    /**
     * Performance Insights on every instance, encrypted with the database key.
     * @default true
     */
    readonly performanceInsightsEnabled?: boolean;
    /**
     * RDS Proxy (TLS and IAM auth required, private subnets) for pooling and faster failover.
     * @default false
     */
    readonly proxyEnabled?: boolean;
    /**
     * The application's least-privilege role, which logs in with IAM database authentication
     * (through the proxy when there is one). The migration creates it (docs/database-access.md).
     * @default "migration_app"
     */
    readonly appUsername?: string;
    /**
     * Database Insights mode of the cluster: "standard" (free, 7 days of Performance Insights) or
     * "advanced" (billed per vCPU or ACU hour; needs Performance Insights, kept 465 days).
     * @default "standard"
     */
    readonly databaseInsightsMode?: DatabaseInsightsMode;
    /**
     * `log_min_duration_statement`: statements slower than this are logged (ms); -1 turns it off.
     * @default 1000
     */
    readonly logMinDurationStatementMs?: number;
    /**
     * `log_connections`: log each successful connection.
     * @default true
     */
    readonly logConnections?: boolean;
    /**
     * `log_disconnections`: log each session's end and duration.
     * @default true
     */
    readonly logDisconnections?: boolean;
    /**
     * `log_lock_waits`: log waits longer than `deadlock_timeout`.
     * @default true
     */
    readonly logLockWaits?: boolean;
}

export const DATABASE_INSIGHTS_MODES = ["standard", "advanced"] as const;
export type DatabaseInsightsMode = (typeof DATABASE_INSIGHTS_MODES)[number];

/** The Database's defaults: its constructor, the `@default`s above and the stack config all read these. */
export const DATABASE_DEFAULTS = {
    engineMajorVersion: "16",
    instanceClass: "db.r6g.large",
    serverlessMinAcu: 0.5,
    serverlessMaxAcu: 8,
    instanceCount: 2,
    databaseName: "migrations",
    masterUsername: "migration_admin",
    backupRetentionDays: 35,
    preferredBackupWindow: "03:00-04:00",
    preferredMaintenanceWindow: "sun:04:30-sun:05:30",
    deletionProtection: true,
    skipFinalSnapshot: false,
    protect: true,
    drBackupSchedule: "cron(0 5 * * ? *)",
    cloudwatchLogExports: ["postgresql"],
    logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
    monitoringIntervalSeconds: 60,
    performanceInsightsEnabled: true,
    proxyEnabled: false,
    appUsername: "migration_app",
    databaseInsightsMode: "standard" as DatabaseInsightsMode,
    logMinDurationStatementMs: 1000,
    logConnections: true,
    logDisconnections: true,
    logLockWaits: true,
} as const;

/** The Database's numeric limits, read by its validation and by the stack config. */
export const DATABASE_LIMITS = {
    // Serverless v2 capacity, in steps of 0.5 ACU: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html
    serverlessMinAcu: { min: 0, max: 256 },
    serverlessMaxAcu: { min: 1, max: 256 },
    // A writer plus at least one reader in another AZ; Aurora allows up to 15 readers.
    instanceCount: { min: 2, max: 15 },
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Backups.html: 1 to 35 days.
    backupRetentionDays: { min: 1, max: 35 },
    // PostgreSQL's range for log_min_duration_statement (ms; -1 disables).
    logMinDurationStatementMs: { min: -1, max: 2147483647 },
    /**
     * Serverless v2 minimum AWS advises with Performance Insights: "Performance and scaling for
     * Aurora Serverless v2", https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html
     */
    performanceInsightsMinAcu: 2,
} as const;
