import type * as aws from "@pulumi/aws";
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
     * Aurora PostgreSQL major version; the newest minor is resolved with `aws.rds.getEngineVersion`.
     * @default "16"
     */
    readonly engineMajorVersion?: string;
    /**
     * Pins an exact version of `engineMajorVersion` (e.g. "16.4") instead of the newest minor.
     * @default - the newest minor of `engineMajorVersion`
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
     * Identifier of the snapshot taken when the cluster is deleted.
     * @default `${name}-final-snapshot`
     */
    readonly finalSnapshotIdentifier?: string;
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
    readonly drProvider?: aws.Provider;
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
}

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
} as const;
