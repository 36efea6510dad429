import { Provider } from "@pulumi/aws/provider";
import { ApiService, Database, EncryptionKey, Network, Observability, Storage } from "./components";
import { loadStackConfig } from "./config";
import {
    apiServiceArgs,
    databaseArgs,
    drProviderArgs,
    logsKeyArgs,
    networkArgs,
    observabilityArgs,
    storageArgs,
} from "./lib/stackArgs";

/**
 * Declares the stack: the validated stack config in, the five components wired together, the stack
 * outputs out. How each component's args follow from the config is in lib/stackArgs.ts.
 *
 * index.ts hands this function to Pulumi, which calls it and takes what it returns as the stack
 * outputs (pulumi/pulumi sdk/nodejs/cmd/run/run.ts: "If the exported value was itself a Function,
 * then just execute it"). The offline preview calls it the same way, once per stack.
 */
export function declareStack() {
    const config = loadStackConfig();
    const protect = config.protectStatefulResources;

    const drProviderConfig = drProviderArgs(config);
    const drProvider = drProviderConfig && new Provider("dr", drProviderConfig);
    const logsKey = new EncryptionKey("logs", logsKeyArgs(config), { protect });

    const network = new Network("network", networkArgs(config, logsKey.arn));
    const storage = new Storage("storage", storageArgs(config, drProvider));
    const database = new Database(
        "database",
        databaseArgs(config, { network, logsKmsKeyArn: logsKey.arn, drProvider }),
    );
    const api = new ApiService(
        "api",
        apiServiceArgs(config, { network, database, storage, logsKmsKeyArn: logsKey.arn }),
    );
    database.allowFrom("api-tasks", api.taskSecurityGroupId);
    const observability = new Observability("observability", observabilityArgs(config, { api, database }));

    return {
        environment: config.environment,
        region: config.region,

        // Network
        vpcId: network.vpcId,
        availabilityZones: network.availabilityZoneNames,
        privateSubnetIds: network.privateSubnetIds,

        ...apiOutputs(api),

        // Database
        dbClusterIdentifier: database.clusterIdentifier,
        dbWriterEndpoint: database.writerEndpoint,
        dbReaderEndpoint: database.readerEndpoint,
        dbProxyEndpoint: database.proxyEndpoint,
        // The API's database user and where it connects (IAM authentication; docs/database-access.md)
        dbAppUsername: database.appUsername,
        dbAppEndpoint: database.appEndpoint,
        dbFinalSnapshotIdentifier: database.finalSnapshotIdentifier,
        dbMasterSecretArn: database.masterSecretArn,
        drBackupVaultArn: database.drBackupVaultArn,

        // Storage
        uploadsBucketName: storage.uploadsBucketName,
        uploadsReplicaBucketArn: storage.replicaBucketArn,

        // Observability
        dashboardUrl: observability.dashboardUrl,
        alarmTopicArn: observability.alarmTopicArn,
        apiDownAlarmName: observability.apiDownAlarmName,
    };
}

/** The ApiService's stack outputs: what the pipeline and runbooks use. */
export function apiOutputs(api: ApiService) {
    return {
        url: api.url,
        httpsEnabled: api.httpsEnabled,
        albDnsName: api.albDnsName,
        repositoryUrl: api.repositoryUrl,
        imageUri: api.imageUri,
        clusterName: api.clusterName,
        serviceName: api.serviceName,
        taskRoleArn: api.taskRoleArn,
        taskSecurityGroupId: api.taskSecurityGroupId,
        albSecurityGroupId: api.albSecurityGroupId,
        migrationTaskDefinitionArn: api.migrationTaskDefinitionArn,
        apiLogGroupName: api.logGroupName,
    };
}

/** The stack outputs: what `pulumi stack output` shows and the runbooks read. */
export type StackOutputs = ReturnType<typeof declareStack>;
