import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as rds from "@pulumi/aws/rds";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
    acu,
    AURORA_POSTGRES_MAJOR_VERSIONS,
    auroraInstanceClass,
    CLOUDWATCH_LOG_EXPORTS,
    clusterIdentifier,
    dailyWindow,
    dbIdentifier,
    engineVersionOf,
    MONITORING_INTERVALS,
    restoreTime,
    ruleName,
    serverlessPairProblems,
    snapshotIdentifier,
    weeklyWindow,
} from "./checks";
import { DatabaseArgs, DATABASE_DEFAULTS, DATABASE_INSIGHTS_MODES, DATABASE_LIMITS } from "./args";
import { dbUserArn, proxyResourceId } from "./access";
import { createCrossRegionBackup } from "./backup";
import { clusterEngine } from "./engine";
import { loggingParameters } from "./logging";
import { assumeRolePolicy, createRdsProxy } from "./proxy";
import { EncryptionKey } from "../shared/encryptionKey";
import { ArgProblems, awsRegion, integerIn, logRetentionDays, oneOf, problem } from "../shared/validation";

export { DATABASE_DEFAULTS, DATABASE_INSIGHTS_MODES, DATABASE_LIMITS } from "./args";
export type { DatabaseArgs, DatabaseInsightsMode, DatabaseRestoreToPointInTime } from "./args";
export { dbUserArn, proxyResourceId } from "./access";
export { LOGGING_PARAMETERS, loggingParameters } from "./logging";
export * from "./checks";

const PORT = 5432;

/**
 * An Aurora PostgreSQL cluster that survives the loss of an AZ and loses no data: a writer and
 * readers in distinct AZs, encrypted with its own key, TLS forced, IAM auth, a Secrets
 * Manager-managed master password, backups with a final snapshot, optional restore from a
 * snapshot or a point in time, an optional cross-region backup copy and an optional RDS Proxy.
 */
export class Database extends pulumi.ComponentResource {
    public readonly clusterIdentifier: pulumi.Output<string>;
    public readonly clusterArn: pulumi.Output<string>;
    /** For IAM database auth policies (`rds-db:connect`). */
    public readonly clusterResourceId: pulumi.Output<string>;
    public readonly instanceIdentifiers: pulumi.Output<string[]>;
    public readonly writerEndpoint: pulumi.Output<string>;
    public readonly readerEndpoint: pulumi.Output<string>;
    /** The proxy's endpoint; undefined without a proxy. */
    public readonly proxyEndpoint: pulumi.Output<string | undefined>;
    /** Where the application connects: the proxy's endpoint, or the writer's without a proxy. */
    public readonly appEndpoint: pulumi.Output<string>;
    /** The application's database user (IAM authentication, no password). */
    public readonly appUsername: pulumi.Output<string>;
    /** The `rds-db:connect` ARN of `appUsername` on `appEndpoint` (the proxy's `prx-` or the cluster's `cluster-` id). */
    public readonly appDbUserArn: pulumi.Output<string>;
    /** The final snapshot's identifier; undefined with `skipFinalSnapshot`. */
    public readonly finalSnapshotIdentifier: pulumi.Output<string | undefined>;
    public readonly port: pulumi.Output<number>;
    public readonly databaseName: pulumi.Output<string>;
    public readonly masterUsername: pulumi.Output<string>;
    public readonly masterSecretArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly kmsKeyArn: pulumi.Output<string>;
    public readonly engineVersion: pulumi.Output<string>;
    /** The DR-region backup vault; undefined without `drRegion`. */
    public readonly drBackupVaultArn: pulumi.Output<string | undefined>;

    private readonly baseName: string;
    private readonly securityGroup: ec2.SecurityGroup;
    private readonly proxySecurityGroup?: ec2.SecurityGroup;
    private readonly allowed = new Set<string>();

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:database:Database", name, {}, opts);
        const major = args.engineMajorVersion ?? DATABASE_DEFAULTS.engineMajorVersion;
        const instanceClass = args.instanceClass ?? DATABASE_DEFAULTS.instanceClass;
        const minAcu = args.serverlessMinAcu ?? DATABASE_DEFAULTS.serverlessMinAcu;
        const maxAcu = args.serverlessMaxAcu ?? DATABASE_DEFAULTS.serverlessMaxAcu;
        const instanceCount = args.instanceCount ?? DATABASE_DEFAULTS.instanceCount;
        const backupRetentionDays = args.backupRetentionDays ?? DATABASE_DEFAULTS.backupRetentionDays;
        const backupWindow = args.preferredBackupWindow ?? DATABASE_DEFAULTS.preferredBackupWindow;
        const maintenanceWindow = args.preferredMaintenanceWindow ?? DATABASE_DEFAULTS.preferredMaintenanceWindow;
        const deletionProtection = args.deletionProtection ?? DATABASE_DEFAULTS.deletionProtection;
        const skipFinalSnapshot = args.skipFinalSnapshot ?? DATABASE_DEFAULTS.skipFinalSnapshot;
        const finalSnapshotPrefix = args.finalSnapshotPrefix ?? `${name}-final`;
        const protect = args.protect ?? DATABASE_DEFAULTS.protect;
        const drBackupSchedule = args.drBackupSchedule ?? DATABASE_DEFAULTS.drBackupSchedule;
        const logExports = args.cloudwatchLogExports ?? DATABASE_DEFAULTS.cloudwatchLogExports;
        const retentionDays = args.logRetentionDays ?? DATABASE_DEFAULTS.logRetentionDays;
        const monitoringInterval = args.monitoringIntervalSeconds ?? DATABASE_DEFAULTS.monitoringIntervalSeconds;
        const performanceInsights = args.performanceInsightsEnabled ?? DATABASE_DEFAULTS.performanceInsightsEnabled;
        const proxyEnabled = args.proxyEnabled ?? DATABASE_DEFAULTS.proxyEnabled;
        const allowedSecurityGroupIds = args.allowedSecurityGroupIds ?? {};
        const pitr = args.restoreToPointInTime;
        const databaseName = args.databaseName ?? DATABASE_DEFAULTS.databaseName;
        const masterUsername = args.masterUsername ?? DATABASE_DEFAULTS.masterUsername;
        const d = DATABASE_DEFAULTS;
        const appUsername = args.appUsername ?? d.appUsername;
        const insightsMode = args.databaseInsightsMode ?? d.databaseInsightsMode;
        const logging = {
            logMinDurationStatementMs: args.logMinDurationStatementMs ?? d.logMinDurationStatementMs,
            logConnections: args.logConnections ?? d.logConnections,
            logDisconnections: args.logDisconnections ?? d.logDisconnections,
            logLockWaits: args.logLockWaits ?? d.logLockWaits,
        };
        const serverless = instanceClass === "db.serverless";

        const problems = new ArgProblems()
            .check("engineMajorVersion", major, oneOf<string>(AURORA_POSTGRES_MAJOR_VERSIONS))
            .check("engineVersion", args.engineVersion, engineVersionOf(major))
            .check("instanceClass", instanceClass, auroraInstanceClass(major))
            .check("serverlessMinAcu", minAcu, acu(DATABASE_LIMITS.serverlessMinAcu))
            .check("serverlessMaxAcu", maxAcu, acu(DATABASE_LIMITS.serverlessMaxAcu))
            .add(
                acu(DATABASE_LIMITS.serverlessMinAcu)(minAcu) === undefined &&
                    acu(DATABASE_LIMITS.serverlessMaxAcu)(maxAcu) === undefined &&
                    minAcu > maxAcu,
                `\`serverlessMinAcu\` (${minAcu}) must not exceed \`serverlessMaxAcu\` (${maxAcu}).`,
            )
            .check("instanceCount", instanceCount, integerIn(DATABASE_LIMITS.instanceCount))
            .check("databaseName", databaseName, dbIdentifier)
            .check("masterUsername", masterUsername, dbIdentifier)
            .check("backupRetentionDays", backupRetentionDays, integerIn(DATABASE_LIMITS.backupRetentionDays))
            .check("preferredBackupWindow", backupWindow, dailyWindow)
            .check("preferredMaintenanceWindow", maintenanceWindow, weeklyWindow)
            // The random suffix adds 9 characters ("-" and 8 hex digits) to the 63 a cluster identifier allows.
            .check(
                "finalSnapshotPrefix",
                finalSnapshotPrefix,
                (v) =>
                    clusterIdentifier(v) ??
                    (v.length > 54 ? "be at most 54 characters (a 9-character suffix follows)" : undefined),
            )
            .check("restoreFromSnapshot", args.restoreFromSnapshot, snapshotIdentifier)
            .check("restoreToPointInTime.sourceClusterIdentifier", pitr?.sourceClusterIdentifier, clusterIdentifier)
            .check("restoreToPointInTime.restoreToTime", pitr?.restoreToTime, restoreTime)
            .add(
                args.restoreFromSnapshot !== undefined && pitr !== undefined,
                "`restoreFromSnapshot` and `restoreToPointInTime` are two restore modes; set one, not both.",
            )
            .check("region", args.region, awsRegion)
            .check("drRegion", args.drRegion, awsRegion)
            .add(
                args.drRegion !== undefined && args.drRegion === args.region,
                `\`drRegion\` must differ from \`region\`; both are ${JSON.stringify(args.region)}.`,
            )
            .add(
                args.drRegion !== undefined && args.drProvider === undefined,
                `\`drProvider\` must be an aws.Provider for \`drRegion\` ${JSON.stringify(args.drRegion)}; got nothing.`,
            )
            .add(
                args.drRegion === undefined && args.drProvider !== undefined,
                "`drRegion` must name the region of `drProvider`; got nothing.",
            )
            .check("logRetentionDays", retentionDays, logRetentionDays)
            .check("monitoringIntervalSeconds", monitoringInterval, oneOf<number>(MONITORING_INTERVALS))
            .check("appUsername", appUsername, dbIdentifier)
            .add(
                appUsername === masterUsername,
                `\`appUsername\` must differ from \`masterUsername\` (the application never logs in as the master user); both are ${JSON.stringify(appUsername)}.`,
            )
            .check("databaseInsightsMode", insightsMode, oneOf<string>(DATABASE_INSIGHTS_MODES))
            .add(
                insightsMode === "advanced" && !performanceInsights,
                "`databaseInsightsMode` advanced needs `performanceInsightsEnabled` true (AWS keeps its data 465 days); got false.",
            )
            .add(
                serverless && performanceInsights && minAcu < DATABASE_LIMITS.performanceInsightsMinAcu,
                `\`serverlessMinAcu\` must be at least ${DATABASE_LIMITS.performanceInsightsMinAcu} with \`performanceInsightsEnabled\` on db.serverless (AWS advises ${DATABASE_LIMITS.performanceInsightsMinAcu} ACUs for Performance Insights); got ${minAcu}. Raise it or turn Performance Insights off.`,
            )
            .check(
                "logMinDurationStatementMs",
                logging.logMinDurationStatementMs,
                integerIn(DATABASE_LIMITS.logMinDurationStatementMs),
            )
            .add(
                proxyEnabled && args.privateSubnetIds === undefined,
                "`privateSubnetIds` must list the RDS Proxy's subnets when `proxyEnabled` is true; got nothing.",
            );
        serverlessPairProblems(major, args.engineVersion, instanceClass, minAcu).forEach((m) => problems.addMessage(m));
        logExports.forEach((log, i) =>
            problems.check(`cloudwatchLogExports[${i}]`, log, oneOf<string>(CLOUDWATCH_LOG_EXPORTS)),
        );
        const zoneRule = "list at least 2 distinct zones, so the writer and a reader never share one";
        const zoneList = args.availabilityZoneNames;
        if (Array.isArray(zoneList) && zoneList.every((z) => typeof z === "string")) {
            problems.add(new Set(zoneList).size < 2, problem("availabilityZoneNames", zoneRule, zoneList));
        }
        Object.keys(allowedSecurityGroupIds).forEach((key) =>
            problems.check("allowedSecurityGroupIds key", key, ruleName),
        );
        problems.throwIfAny(this, `Database ${name}`);

        this.baseName = name;
        const stateful = { parent: this, protect, retainOnDelete: protect };
        const region = getRegionOutput({}, { parent: this }).region;
        const partition = getPartitionOutput({}, { parent: this }).partition;

        const key = new EncryptionKey(
            `${name}-key`,
            {
                description: `Aurora cluster ${name}: storage, Performance Insights and the master secret`,
                retainOnDelete: protect,
            },
            { parent: this, protect },
        );

        const engine = clusterEngine(name, major, args.engineVersion, this);
        const account = getCallerIdentityOutput({}, { parent: this }).accountId;

        const subnetGroup = new rds.SubnetGroup(
            `${name}-subnets`,
            { description: `Isolated subnets of ${name}`, subnetIds: args.isolatedSubnetIds },
            { parent: this },
        );
        // No inline rules: every rule is its own resource, and there is never a CIDR ingress.
        this.securityGroup = new ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: `Aurora ${name}: PostgreSQL from the given security groups only` },
            { parent: this },
        );
        if (proxyEnabled) {
            this.proxySecurityGroup = new ec2.SecurityGroup(
                `${name}-proxy-sg`,
                { vpcId: args.vpcId, description: `RDS Proxy of ${name}: PostgreSQL from the given security groups` },
                { parent: this },
            );
            this.ingress(`${name}-from-proxy`, this.securityGroup, this.proxySecurityGroup.id, "the RDS Proxy");
            new vpc.SecurityGroupEgressRule(
                `${name}-proxy-to-cluster`,
                {
                    securityGroupId: this.proxySecurityGroup.id,
                    description: "PostgreSQL to the cluster",
                    ipProtocol: "tcp",
                    fromPort: PORT,
                    toPort: PORT,
                    referencedSecurityGroupId: this.securityGroup.id,
                },
                { parent: this },
            );
        }
        for (const [source, groupId] of Object.entries(allowedSecurityGroupIds)) this.allowFrom(source, groupId);

        const parameterGroup = new rds.ClusterParameterGroup(
            `${name}-params`,
            {
                family: engine.parameterGroupFamily,
                description: `${name}: TLS required, query, connection and lock-wait logging`,
                parameters: [
                    { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
                    ...loggingParameters(logging),
                ],
            },
            { parent: this },
        );

        const restoring = args.restoreFromSnapshot !== undefined || pitr !== undefined;
        // Unique per deletion, stable across updates: the suffix is kept in state and renewed when
        // an input that replaces the cluster changes (restore source, names, key, subnet group),
        // so a replaced or re-created cluster never collides with an earlier final snapshot.
        const finalSnapshotSuffix = skipFinalSnapshot
            ? undefined
            : new random.RandomId(
                  `${name}-final-snapshot-id`,
                  {
                      byteLength: 4,
                      keepers: {
                          restoreFromSnapshot: args.restoreFromSnapshot ?? "",
                          restoreSource: pitr?.sourceClusterIdentifier ?? "",
                          restoreToTime: pitr?.restoreToTime ?? "",
                          databaseName: restoring ? "" : databaseName,
                          masterUsername: restoring ? "" : masterUsername,
                          kmsKeyId: key.arn,
                          subnetGroup: subnetGroup.name,
                      },
                  },
                  { parent: this },
              );
        const finalSnapshotId =
            finalSnapshotSuffix && pulumi.interpolate`${finalSnapshotPrefix}-${finalSnapshotSuffix.hex}`;
        // Database Insights is a cluster setting; advanced mode needs Performance Insights kept
        // 465 days: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DatabaseInsights.Considerations.html
        const insightsRetentionDays = insightsMode === "advanced" ? 465 : 7;
        const cluster = new rds.Cluster(
            `${name}-cluster`,
            {
                engine: "aurora-postgresql",
                engineMode: "provisioned",
                engineVersion: engine.version,
                allowMajorVersionUpgrade: false,
                // Restores take the database name and master user from their source.
                databaseName: restoring ? undefined : databaseName,
                masterUsername: restoring ? undefined : masterUsername,
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: key.arn,
                iamDatabaseAuthenticationEnabled: true,
                storageEncrypted: true,
                kmsKeyId: key.arn,
                port: PORT,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [this.securityGroup.id],
                dbClusterParameterGroupName: parameterGroup.name,
                // No `availabilityZones`: fewer than 3 makes RDS add zones and Pulumi replace the
                // cluster on every update. Instances are placed with `availabilityZone` instead.
                backupRetentionPeriod: backupRetentionDays,
                preferredBackupWindow: backupWindow,
                preferredMaintenanceWindow: maintenanceWindow,
                copyTagsToSnapshot: true,
                deletionProtection,
                skipFinalSnapshot,
                finalSnapshotIdentifier: finalSnapshotId,
                databaseInsightsMode: insightsMode,
                performanceInsightsEnabled: performanceInsights,
                performanceInsightsKmsKeyId: performanceInsights ? key.arn : undefined,
                performanceInsightsRetentionPeriod: performanceInsights ? insightsRetentionDays : undefined,
                enabledCloudwatchLogsExports: [...logExports],
                serverlessv2ScalingConfiguration: serverless ? { minCapacity: minAcu, maxCapacity: maxAcu } : undefined,
                snapshotIdentifier: args.restoreFromSnapshot,
                restoreToPointInTime: pitr && {
                    sourceClusterIdentifier: pitr.sourceClusterIdentifier,
                    restoreType: "full-copy",
                    ...((pitr.restoreToTime ?? "latest") === "latest"
                        ? { useLatestRestorableTime: true }
                        : { restoreToTime: pitr.restoreToTime }),
                },
            },
            stateful,
        );

        // Created before RDS would create them itself (unencrypted, kept forever): the cluster
        // exists before any instance writes a log line, and the instances wait for these groups.
        const logGroups = logExports.map(
            (log) =>
                new cloudwatch.LogGroup(
                    `${name}-${log}-logs`,
                    {
                        name: pulumi.interpolate`/aws/rds/cluster/${cluster.clusterIdentifier}/${log}`,
                        retentionInDays: retentionDays,
                        kmsKeyId: args.logsKmsKeyArn,
                    },
                    { parent: this },
                ),
        );

        const monitoringRole = monitoringInterval > 0 ? this.monitoringRole(name, partition) : undefined;
        // A list known only at deploy time (another resource's output) is checked when it resolves.
        const zones = pulumi.output(args.availabilityZoneNames).apply((names) => {
            if (new Set(names).size < 2) {
                throw new pulumi.ResourceError(
                    `invalid arguments for Database ${name}:\n  - ${problem("availabilityZoneNames", zoneRule, names)}`,
                    this,
                );
            }
            return names;
        });
        const instances: rds.ClusterInstance[] = [];
        for (let i = 0; i < instanceCount; i++) {
            instances.push(
                new rds.ClusterInstance(
                    `${name}-instance-${i + 1}`,
                    {
                        clusterIdentifier: cluster.id,
                        engine: "aurora-postgresql",
                        instanceClass,
                        availabilityZone: zones.apply((names) => names[i % names.length]),
                        // The writer is created first; readers fail over in index order.
                        promotionTier: Math.min(i, 15),
                        dbSubnetGroupName: subnetGroup.name,
                        publiclyAccessible: false,
                        // A pinned engine must not move under the config: upgrades are config changes.
                        autoMinorVersionUpgrade: args.engineVersion === undefined,
                        copyTagsToSnapshot: true,
                        monitoringInterval,
                        monitoringRoleArn: monitoringRole?.arn,
                        performanceInsightsEnabled: performanceInsights,
                        performanceInsightsKmsKeyId: performanceInsights ? key.arn : undefined,
                        performanceInsightsRetentionPeriod: performanceInsights ? insightsRetentionDays : undefined,
                    },
                    { ...stateful, dependsOn: i === 0 ? logGroups : [instances[0], ...logGroups] },
                ),
            );
        }

        let proxyEndpoint: pulumi.Output<string | undefined> = pulumi.output(undefined);
        const masterSecretArn = cluster.masterUserSecrets.apply((secrets) => secrets[0].secretArn);
        const arnParts = { partition, region, account };
        const clusterDbUserArn = dbUserArn(arnParts, cluster.clusterResourceId, appUsername);
        let appEndpoint = cluster.endpoint;
        let appDbUserArn = clusterDbUserArn;
        if (this.proxySecurityGroup) {
            const proxy = createRdsProxy(name, {
                parent: this,
                securityGroupId: this.proxySecurityGroup.id,
                subnetIds: args.privateSubnetIds as pulumi.Input<string[]>,
                clusterDbUserArn,
                clusterIdentifier: cluster.clusterIdentifier,
                dependsOn: instances,
            });
            proxyEndpoint = proxy.endpoint;
            appEndpoint = proxy.endpoint;
            appDbUserArn = dbUserArn(arnParts, proxy.arn.apply(proxyResourceId), appUsername);
        }

        let drBackupVaultArn: pulumi.Output<string | undefined> = pulumi.output(undefined);
        if (args.drRegion !== undefined && args.drProvider !== undefined) {
            const backup = createCrossRegionBackup(name, {
                parent: this,
                clusterArn: cluster.arn,
                kmsKeyArn: key.arn,
                retentionDays: backupRetentionDays,
                schedule: drBackupSchedule,
                drProvider: args.drProvider,
                protect,
            });
            drBackupVaultArn = backup.drVault.arn;
        }

        this.clusterIdentifier = cluster.clusterIdentifier;
        this.clusterArn = cluster.arn;
        this.clusterResourceId = cluster.clusterResourceId;
        this.instanceIdentifiers = pulumi.all(instances.map((instance) => instance.identifier));
        this.writerEndpoint = cluster.endpoint;
        this.readerEndpoint = cluster.readerEndpoint;
        this.proxyEndpoint = proxyEndpoint;
        this.appEndpoint = appEndpoint;
        this.appUsername = pulumi.output(appUsername);
        this.appDbUserArn = appDbUserArn;
        this.finalSnapshotIdentifier = pulumi.output(finalSnapshotId);
        this.port = cluster.port;
        this.databaseName = pulumi.output(databaseName);
        this.masterUsername = pulumi.output(masterUsername);
        this.masterSecretArn = masterSecretArn;
        this.securityGroupId = this.securityGroup.id;
        this.kmsKeyArn = key.arn;
        this.engineVersion = engine.version;
        this.drBackupVaultArn = drBackupVaultArn;
        this.registerOutputs({
            clusterIdentifier: this.clusterIdentifier,
            clusterArn: this.clusterArn,
            clusterResourceId: this.clusterResourceId,
            instanceIdentifiers: this.instanceIdentifiers,
            writerEndpoint: this.writerEndpoint,
            readerEndpoint: this.readerEndpoint,
            proxyEndpoint: this.proxyEndpoint,
            appEndpoint: this.appEndpoint,
            appUsername: this.appUsername,
            appDbUserArn: this.appDbUserArn,
            finalSnapshotIdentifier: this.finalSnapshotIdentifier,
            port: this.port,
            databaseName: this.databaseName,
            masterUsername: this.masterUsername,
            masterSecretArn: this.masterSecretArn,
            securityGroupId: this.securityGroupId,
            kmsKeyArn: this.kmsKeyArn,
            engineVersion: this.engineVersion,
            drBackupVaultArn: this.drBackupVaultArn,
        });
    }

    /**
     * Admits PostgreSQL (5432) from a security group, on the cluster and on the proxy when there
     * is one. `name` is short and stable (it names the rules: `${database}-from-${name}`).
     */
    public allowFrom(name: string, sourceSecurityGroupId: pulumi.Input<string>): vpc.SecurityGroupIngressRule[] {
        new ArgProblems()
            .check("name", name, ruleName)
            .add(this.allowed.has(name), `\`name\` must be unique per database; got ${JSON.stringify(name)} twice.`)
            .throwIfAny(this, `Database ${this.baseName} allowFrom`);
        this.allowed.add(name);
        const rules = [this.ingress(`${this.baseName}-from-${name}`, this.securityGroup, sourceSecurityGroupId, name)];
        if (this.proxySecurityGroup) {
            rules.push(
                this.ingress(
                    `${this.baseName}-proxy-from-${name}`,
                    this.proxySecurityGroup,
                    sourceSecurityGroupId,
                    name,
                ),
            );
        }
        return rules;
    }

    private ingress(
        ruleName: string,
        target: ec2.SecurityGroup,
        source: pulumi.Input<string>,
        what: string,
    ): vpc.SecurityGroupIngressRule {
        return new vpc.SecurityGroupIngressRule(
            ruleName,
            {
                securityGroupId: target.id,
                description: `PostgreSQL from ${what}`,
                ipProtocol: "tcp",
                fromPort: PORT,
                toPort: PORT,
                referencedSecurityGroupId: source,
            },
            { parent: this },
        );
    }

    private monitoringRole(name: string, partition: pulumi.Output<string>): iam.Role {
        const role = new iam.Role(
            `${name}-monitoring-role`,
            { assumeRolePolicy: assumeRolePolicy("monitoring.rds.amazonaws.com", this) },
            { parent: this },
        );
        new iam.RolePolicyAttachment(
            `${name}-monitoring`,
            {
                role: role.id, // a role's id is its name
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
            },
            { parent: this },
        );
        return role;
    }
}
