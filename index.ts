import * as aws from "@pulumi/aws";
import {
    ApiService,
    auroraPostgresMaxConnections,
    Database,
    EncryptionKey,
    Network,
    Observability,
    Storage,
} from "./components";
import { loadStackConfig, PROJECT } from "./config";

// Composition only: the validated stack config in, the components wired together, outputs out.
const config = loadStackConfig();
const prefix = `${PROJECT}-${config.stack}`;
const production = config.environment === "production";
const protect = config.protectStatefulResources;

// Resources in the DR region carry the same default tags as everything else.
const drProvider = config.drRegion
    ? new aws.Provider("dr", {
          region: config.drRegion as aws.Region,
          defaultTags: { tags: { ...config.defaultTags } },
      })
    : undefined;

const logsKey = new EncryptionKey(
    "logs",
    { description: `CloudWatch Logs of ${prefix}`, alias: `${prefix}-logs`, allowServices: ["logs"] },
    { protect },
);

// Losing this key would make every image in the repository unreadable: it is protected like the data.
const imagesKey = new EncryptionKey(
    "images",
    { description: `ECR images of ${prefix}`, alias: `${prefix}-images` },
    { protect },
);

const network = new Network("network", {
    vpcCidr: config.vpcCidr,
    availabilityZoneCount: config.availabilityZoneCount,
    natGatewayStrategy: config.natGatewayStrategy,
    vpcEndpointsEnabled: config.vpcEndpointsEnabled,
    logsKmsKeyArn: logsKey.arn,
    logRetentionDays: config.logRetentionDays,
});

const storage = new Storage("storage", {
    bucketNamePrefix: prefix,
    transitionToIaDays: config.uploadsTransitionToIaDays,
    transitionToGlacierDays: config.uploadsTransitionToGlacierDays,
    noncurrentVersionExpirationDays: config.uploadsNoncurrentExpirationDays,
    logExpirationDays: config.logBucketExpirationDays,
    corsAllowedOrigins: config.uploadsCorsAllowedOrigins,
    replicationEnabled: config.uploadsReplicationEnabled,
    drProvider,
    protect,
    forceDestroy: config.uploadsForceDestroy,
});

const database = new Database("database", {
    vpcId: network.vpcId,
    isolatedSubnetIds: network.isolatedSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    availabilityZoneNames: network.availabilityZoneNames,
    engineMajorVersion: config.dbEngineMajorVersion,
    engineVersion: config.dbEngineVersion,
    instanceClass: config.dbInstanceClass,
    serverlessMinAcu: config.dbServerlessMinAcu,
    serverlessMaxAcu: config.dbServerlessMaxAcu,
    instanceCount: config.dbInstanceCount,
    databaseName: config.dbName,
    masterUsername: config.dbMasterUsername,
    backupRetentionDays: config.dbBackupRetentionDays,
    preferredBackupWindow: config.dbPreferredBackupWindow,
    preferredMaintenanceWindow: config.dbPreferredMaintenanceWindow,
    deletionProtection: config.dbDeletionProtection,
    skipFinalSnapshot: config.dbSkipFinalSnapshot,
    protect,
    restoreFromSnapshot: config.dbRestoreFromSnapshot,
    restoreToPointInTime: config.dbRestoreSourceCluster
        ? { sourceClusterIdentifier: config.dbRestoreSourceCluster, restoreToTime: config.dbRestoreToTime }
        : undefined,
    region: config.region,
    drRegion: config.drRegion,
    drProvider,
    logsKmsKeyArn: logsKey.arn,
    logRetentionDays: config.logRetentionDays,
    monitoringIntervalSeconds: config.dbMonitoringIntervalSeconds,
    performanceInsightsEnabled: config.dbPerformanceInsights,
    proxyEnabled: config.dbProxyEnabled,
});

const api = new ApiService("api", {
    vpcId: network.vpcId,
    vpcCidrBlock: network.cidrBlock,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    databaseHost: database.writerEndpoint,
    databasePort: database.port,
    databaseName: config.dbName,
    databaseSecretArn: database.masterSecretArn,
    databaseKmsKeyArn: database.kmsKeyArn,
    uploadsBucketName: storage.uploadsBucketName,
    uploadsPrefix: storage.uploadsPrefix,
    storageGrant: storage.grantReadWrite(),
    accessLogsBucket: storage.logBucketName,
    accessLogsPrefix: storage.albAccessLogsPrefix,
    logsKmsKeyArn: logsKey.arn,
    logRetentionDays: config.logRetentionDays,
    imageTag: config.apiImageTag,
    imageKmsKeyArn: imagesKey.arn,
    cpu: config.apiCpu,
    memoryMiB: config.apiMemoryMiB,
    migrationCommand: config.apiMigrationCommand,
    desiredCount: config.apiDesiredCount,
    minCount: config.apiMinCount,
    maxCount: config.apiMaxCount,
    useFargateSpot: config.apiUseFargateSpot,
    enableEcsExec: config.apiEcsExec,
    healthCheckPath: config.apiHealthCheckPath,
    idleTimeoutSeconds: config.apiIdleTimeoutSeconds,
    allowedIngressCidrs: config.apiAllowedIngressCidrs,
    domainName: config.domainName,
    hostedZoneId: config.hostedZoneId,
    certificateArn: config.certificateArn,
    requireHttps: production,
    deletionProtection: protect,
    wafEnabled: config.wafEnabled,
    wafRateLimitPer5Minutes: config.wafRateLimitPer5Minutes,
    tracingEnabled: config.tracingEnabled,
    tracingSamplingPercent: config.tracingSamplingPercent,
});
database.allowFrom("api-tasks", api.taskSecurityGroupId);

const observability = new Observability("observability", {
    namePrefix: prefix,
    region: config.region,
    loadBalancerArnSuffix: api.albArnSuffix,
    targetGroupArnSuffix: api.targetGroupArnSuffix,
    ecsClusterName: api.clusterName,
    ecsServiceName: api.serviceName,
    apiLogGroupName: api.logGroupName,
    webAclName: api.webAclName,
    minHealthyHosts: config.apiMinCount,
    dbClusterIdentifier: database.clusterIdentifier,
    dbMaxConnections: auroraPostgresMaxConnections(config.dbInstanceClass, {
        minAcu: config.dbServerlessMinAcu,
        maxAcu: config.dbServerlessMaxAcu,
    }),
    alarmEmails: config.alarmEmails,
    requireAlarmSubscriptions: production,
    evaluationPeriods: config.alarmEvaluationPeriods,
    http5xxRatePercent: config.alarm5xxRatePercent,
    latencyP95ThresholdMs: config.alarmLatencyP95Ms,
    latencyP99ThresholdMs: config.alarmLatencyP99Ms,
    ecsCpuThresholdPercent: config.alarmUtilizationPercent,
    ecsMemoryThresholdPercent: config.alarmUtilizationPercent,
    dbCpuThresholdPercent: config.alarmUtilizationPercent,
    dbConnectionsThresholdPercent: config.alarmUtilizationPercent,
    dbReplicaLagThresholdMs: config.alarmDbReplicaLagMs,
    dbFreeableMemoryThresholdMiB: config.alarmDbFreeableMemoryMiB,
    dbFreeLocalStorageThresholdMiB: config.alarmDbFreeLocalStorageMiB,
    appErrorThresholdPer5Minutes: config.alarmAppErrorsPer5Minutes,
    logRetentionDays: config.logRetentionDays,
    monthlyBudgetUsd: config.monthlyBudgetUsd,
    tracingSamplingPercent: config.tracingEnabled ? config.tracingSamplingPercent : undefined,
});

export const environment = config.environment;
export const region = config.region;

// Network
export const vpcId = network.vpcId;
export const availabilityZones = network.availabilityZoneNames;
export const privateSubnetIds = network.privateSubnetIds;

// API: what the pipeline and runbooks use
export const url = api.url;
export const httpsEnabled = api.httpsEnabled;
export const albDnsName = api.albDnsName;
export const repositoryUrl = api.repositoryUrl;
export const clusterName = api.clusterName;
export const serviceName = api.serviceName;
export const taskRoleArn = api.taskRoleArn;
export const taskSecurityGroupId = api.taskSecurityGroupId;
export const migrationTaskDefinitionArn = api.migrationTaskDefinitionArn;
export const apiLogGroupName = api.logGroupName;

// Database
export const dbClusterIdentifier = database.clusterIdentifier;
export const dbWriterEndpoint = database.writerEndpoint;
export const dbReaderEndpoint = database.readerEndpoint;
export const dbProxyEndpoint = database.proxyEndpoint;
export const dbMasterSecretArn = database.masterSecretArn;
export const drBackupVaultArn = database.drBackupVaultArn;

// Storage
export const uploadsBucketName = storage.uploadsBucketName;
export const uploadsReplicaBucketArn = storage.replicaBucketArn;

// Observability
export const dashboardUrl = observability.dashboardUrl;
export const alarmTopicArn = observability.alarmTopicArn;
export const apiDownAlarmName = observability.apiDownAlarmName;
