import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
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
import { DatabaseArgs, DATABASE_DEFAULTS, DATABASE_LIMITS } from "./args";
import { createCrossRegionBackup } from "./backup";
import { assumeRolePolicy, createRdsProxy } from "./proxy";
import { EncryptionKey } from "../shared/encryptionKey";
import { ArgProblems, awsRegion, integerIn, logRetentionDays, oneOf, problem } from "../shared/validation";

export { DATABASE_DEFAULTS, DATABASE_LIMITS } from "./args";
export type { DatabaseArgs, DatabaseRestoreToPointInTime } from "./args";
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
    private readonly securityGroup: aws.ec2.SecurityGroup;
    private readonly proxySecurityGroup?: aws.ec2.SecurityGroup;
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
        const finalSnapshotId = args.finalSnapshotIdentifier ?? `${name}-final-snapshot`;
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
            .check("finalSnapshotIdentifier", finalSnapshotId, clusterIdentifier)
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
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;

        const key = new EncryptionKey(
            `${name}-key`,
            {
                description: `Aurora cluster ${name}: storage, Performance Insights and the master secret`,
                retainOnDelete: protect,
            },
            { parent: this, protect },
        );

        const engine = aws.rds.getEngineVersionOutput(
            {
                engine: "aurora-postgresql",
                version: args.engineVersion ?? major,
                latest: args.engineVersion === undefined ? true : undefined,
            },
            { parent: this },
        );

        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { description: `Isolated subnets of ${name}`, subnetIds: args.isolatedSubnetIds },
            { parent: this },
        );
        // No inline rules: every rule is its own resource, and there is never a CIDR ingress.
        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: `Aurora ${name}: PostgreSQL from the given security groups only` },
            { parent: this },
        );
        if (proxyEnabled) {
            this.proxySecurityGroup = new aws.ec2.SecurityGroup(
                `${name}-proxy-sg`,
                { vpcId: args.vpcId, description: `RDS Proxy of ${name}: PostgreSQL from the given security groups` },
                { parent: this },
            );
            this.ingress(`${name}-from-proxy`, this.securityGroup, this.proxySecurityGroup.id, "the RDS Proxy");
            new aws.vpc.SecurityGroupEgressRule(
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

        const parameterGroup = new aws.rds.ClusterParameterGroup(
            `${name}-params`,
            {
                family: engine.parameterGroupFamily,
                description: `${name}: TLS required`,
                parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
            },
            { parent: this },
        );

        const restoring = args.restoreFromSnapshot !== undefined || pitr !== undefined;
        const serverless = instanceClass === "db.serverless";
        const cluster = new aws.rds.Cluster(
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
                finalSnapshotIdentifier: skipFinalSnapshot ? undefined : finalSnapshotId,
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
                new aws.cloudwatch.LogGroup(
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
        const instances: aws.rds.ClusterInstance[] = [];
        for (let i = 0; i < instanceCount; i++) {
            instances.push(
                new aws.rds.ClusterInstance(
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
                        autoMinorVersionUpgrade: true,
                        copyTagsToSnapshot: true,
                        monitoringInterval,
                        monitoringRoleArn: monitoringRole?.arn,
                        performanceInsightsEnabled: performanceInsights,
                        performanceInsightsKmsKeyId: performanceInsights ? key.arn : undefined,
                        performanceInsightsRetentionPeriod: performanceInsights ? 7 : undefined,
                    },
                    { ...stateful, dependsOn: i === 0 ? logGroups : [instances[0], ...logGroups] },
                ),
            );
        }

        let proxyEndpoint: pulumi.Output<string | undefined> = pulumi.output(undefined);
        const masterSecretArn = cluster.masterUserSecrets.apply((secrets) => secrets[0].secretArn);
        if (this.proxySecurityGroup) {
            proxyEndpoint = createRdsProxy(name, {
                parent: this,
                securityGroupId: this.proxySecurityGroup.id,
                subnetIds: args.privateSubnetIds as pulumi.Input<string[]>,
                secretArn: masterSecretArn,
                keyArn: key.arn,
                region,
                clusterIdentifier: cluster.clusterIdentifier,
                dependsOn: instances,
            });
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
    public allowFrom(name: string, sourceSecurityGroupId: pulumi.Input<string>): aws.vpc.SecurityGroupIngressRule[] {
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
        target: aws.ec2.SecurityGroup,
        source: pulumi.Input<string>,
        what: string,
    ): aws.vpc.SecurityGroupIngressRule {
        return new aws.vpc.SecurityGroupIngressRule(
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

    private monitoringRole(name: string, partition: pulumi.Output<string>): aws.iam.Role {
        const role = new aws.iam.Role(
            `${name}-monitoring-role`,
            { assumeRolePolicy: assumeRolePolicy("monitoring.rds.amazonaws.com", this) },
            { parent: this },
        );
        new aws.iam.RolePolicyAttachment(
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
