import type { Provider, ProviderArgs } from "@pulumi/aws/provider";
import type { Region } from "@pulumi/aws/types/enums";
import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import {
    ApiServiceArgs,
    auroraPostgresMaxConnections,
    DatabaseArgs,
    EncryptionKeyArgs,
    executionRolePath,
    NetworkArgs,
    ObservabilityArgs,
    StorageArgs,
} from "../components";
import { COST_ALLOCATION_TAG, PROJECT, StackConfig } from "../config";

/**
 * How each component's args follow from the validated stack config (and from the outputs of
 * the components built before it). index.ts composes with these, and the component tests
 * build from them too, so a test exercises exactly the wiring a stack gets.
 */
type In<T> = pulumi.Input<T>;

export interface NetworkOutputs {
    vpcId: In<string>;
    cidrBlock: In<string>;
    availabilityZoneNames: In<string[]>;
    publicSubnetIds: In<string[]>;
    privateSubnetIds: In<string[]>;
    isolatedSubnetIds: In<string[]>;
}

export interface DatabaseOutputs {
    writerEndpoint: In<string>;
    appEndpoint: In<string>;
    appUsername: In<string>;
    appDbUserArn: In<string>;
    port: In<number>;
    masterSecretArn: In<string>;
    kmsKeyArn: In<string>;
    clusterIdentifier: In<string>;
}

export interface StorageOutputs {
    uploadsBucketName: In<string>;
    uploadsPrefix: In<string>;
    logBucketName: In<string>;
    albAccessLogsPrefix: In<string>;
    grantReadWrite(): pulumi.Output<input.iam.GetPolicyDocumentStatement[]>;
}

export interface ApiOutputs {
    albArnSuffix: In<string>;
    targetGroupArnSuffix: In<string>;
    clusterName: In<string>;
    serviceName: In<string>;
    logGroupName: In<string>;
    webAclName: In<string> | undefined;
}

/** The stack's name prefix for account-unique names (aliases, alarms, snapshots). */
export function namePrefix(config: StackConfig): string {
    return `${PROJECT}-${config.stack}`;
}

/** The provider for the DR region, with the same default tags as the rest; none without `drRegion`. */
export function drProviderArgs(config: StackConfig): ProviderArgs | undefined {
    return config.drRegion === undefined
        ? undefined
        : { region: config.drRegion as Region, defaultTags: { tags: { ...config.defaultTags } } };
}

/** The key every log group of the stack is encrypted with. */
export function logsKeyArgs(config: StackConfig): EncryptionKeyArgs {
    return {
        description: `CloudWatch Logs of ${namePrefix(config)}`,
        alias: `${namePrefix(config)}-logs`,
        allowServices: ["logs"],
        retainOnDelete: config.protectStatefulResources,
    };
}

export function networkArgs(config: StackConfig, logsKmsKeyArn: In<string>): NetworkArgs {
    return {
        vpcCidr: config.vpcCidr,
        availabilityZoneCount: config.availabilityZoneCount,
        natGatewayStrategy: config.natGatewayStrategy,
        vpcEndpointsEnabled: config.vpcEndpointsEnabled,
        logsKmsKeyArn,
        logRetentionDays: config.logRetentionDays,
    };
}

export function storageArgs(config: StackConfig, drProvider: Provider | undefined): StorageArgs {
    return {
        bucketNamePrefix: namePrefix(config),
        transitionToIaDays: config.uploadsTransitionToIaDays,
        transitionToGlacierDays: config.uploadsTransitionToGlacierDays,
        noncurrentVersionExpirationDays: config.uploadsNoncurrentExpirationDays,
        logExpirationDays: config.logBucketExpirationDays,
        corsAllowedOrigins: config.uploadsCorsAllowedOrigins,
        replicationEnabled: config.uploadsReplicationEnabled,
        drProvider,
        protect: config.protectStatefulResources,
        forceDestroy: config.uploadsForceDestroy,
    };
}

export function databaseArgs(
    config: StackConfig,
    deps: { network: NetworkOutputs; logsKmsKeyArn: In<string>; drProvider: Provider | undefined },
): DatabaseArgs {
    return {
        vpcId: deps.network.vpcId,
        isolatedSubnetIds: deps.network.isolatedSubnetIds,
        privateSubnetIds: deps.network.privateSubnetIds,
        availabilityZoneNames: deps.network.availabilityZoneNames,
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
        // Snapshot names are unique per account and region: the stack's prefix, then a per-cluster suffix.
        finalSnapshotPrefix: `${namePrefix(config)}-final`,
        protect: config.protectStatefulResources,
        restoreFromSnapshot: config.dbRestoreFromSnapshot,
        restoreToPointInTime:
            config.dbRestoreSourceCluster === undefined
                ? undefined
                : { sourceClusterIdentifier: config.dbRestoreSourceCluster, restoreToTime: config.dbRestoreToTime },
        region: config.region,
        drRegion: config.drRegion,
        drProvider: deps.drProvider,
        logsKmsKeyArn: deps.logsKmsKeyArn,
        logRetentionDays: config.logRetentionDays,
        monitoringIntervalSeconds: config.dbMonitoringIntervalSeconds,
        performanceInsightsEnabled: config.dbPerformanceInsights,
        proxyEnabled: config.dbProxyEnabled,
        appUsername: config.dbAppUsername,
        databaseInsightsMode: config.dbDatabaseInsightsMode,
        logMinDurationStatementMs: config.dbLogMinDurationStatementMs,
        logConnections: config.dbLogConnections,
        logDisconnections: config.dbLogDisconnections,
        logLockWaits: config.dbLogLockWaits,
    };
}

export function apiServiceArgs(
    config: StackConfig,
    deps: {
        network: Omit<NetworkOutputs, "isolatedSubnetIds" | "availabilityZoneNames">;
        database: Omit<DatabaseOutputs, "clusterIdentifier">;
        storage: StorageOutputs;
        logsKmsKeyArn: In<string>;
    },
): ApiServiceArgs {
    return {
        vpcId: deps.network.vpcId,
        vpcCidrBlock: deps.network.cidrBlock,
        publicSubnetIds: deps.network.publicSubnetIds,
        privateSubnetIds: deps.network.privateSubnetIds,
        databaseHost: deps.database.appEndpoint,
        databaseUser: deps.database.appUsername,
        databaseIamUserArn: deps.database.appDbUserArn,
        migrationDatabaseHost: deps.database.writerEndpoint,
        databasePort: deps.database.port,
        databaseName: config.dbName,
        databaseSecretArn: deps.database.masterSecretArn,
        databaseKmsKeyArn: deps.database.kmsKeyArn,
        uploadsBucketName: deps.storage.uploadsBucketName,
        uploadsPrefix: deps.storage.uploadsPrefix,
        storageGrant: deps.storage.grantReadWrite(),
        accessLogsBucket: deps.storage.logBucketName,
        accessLogsPrefix: deps.storage.albAccessLogsPrefix,
        logsKmsKeyArn: deps.logsKmsKeyArn,
        logRetentionDays: config.logRetentionDays,
        imageRepositoryName: config.apiImageRepository,
        imageTag: config.apiImageTag,
        executionRolePath: executionRolePath(PROJECT),
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
        requestTimeoutSeconds: config.apiRequestTimeoutSeconds,
        featureFlags: config.featureFlags,
        featureFlagsPath: `/${PROJECT}/${config.stack}/flags`,
        allowedIngressCidrs: config.apiAllowedIngressCidrs,
        domainName: config.domainName,
        hostedZoneId: config.hostedZoneId,
        certificateArn: config.certificateArn,
        takeOverDomainRecord: config.domainTakeOver,
        requireHttps: config.environment === "production",
        deletionProtection: config.protectStatefulResources,
        wafEnabled: config.wafEnabled,
        wafRateLimitPer5Minutes: config.wafRateLimitPer5Minutes,
        wafUploadPathPrefixes: config.wafUploadPathPrefixes,
        tracingEnabled: config.tracingEnabled,
        tracingSamplingPercent: config.tracingSamplingPercent,
        // The X-Ray service name the sampling rule in Observability matches.
        tracingServiceName: namePrefix(config),
    };
}

export function observabilityArgs(
    config: StackConfig,
    deps: { api: ApiOutputs; database: Pick<DatabaseOutputs, "clusterIdentifier"> },
): ObservabilityArgs {
    return {
        namePrefix: namePrefix(config),
        region: config.region,
        loadBalancerArnSuffix: deps.api.albArnSuffix,
        targetGroupArnSuffix: deps.api.targetGroupArnSuffix,
        ecsClusterName: deps.api.clusterName,
        ecsServiceName: deps.api.serviceName,
        apiLogGroupName: deps.api.logGroupName,
        webAclName: deps.api.webAclName,
        minHealthyHosts: config.apiMinCount,
        dbClusterIdentifier: deps.database.clusterIdentifier,
        dbMaxConnections: auroraPostgresMaxConnections(config.dbInstanceClass, {
            minAcu: config.dbServerlessMinAcu,
            maxAcu: config.dbServerlessMaxAcu,
        }),
        alarmEmails: config.alarmEmails,
        requireAlarmSubscriptions: config.environment === "production",
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
        // Stacks may share an account: each budget counts only its own stack's costs.
        budgetCostAllocationTags: { [COST_ALLOCATION_TAG]: config.defaultTags[COST_ALLOCATION_TAG] },
        tracingSamplingPercent: config.tracingEnabled ? config.tracingSamplingPercent : undefined,
        tracingServiceName: namePrefix(config),
    };
}
