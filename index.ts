import * as aws from "@pulumi/aws";
import { ApiService, Database, EncryptionKey, Network, Observability, Storage } from "./components";
import { loadStackConfig } from "./config";
import {
    apiServiceArgs,
    databaseArgs,
    drProviderArgs,
    imagesKeyArgs,
    logsKeyArgs,
    networkArgs,
    observabilityArgs,
    storageArgs,
} from "./lib/stackArgs";

// Composition only: the validated stack config in, the components wired together, outputs out.
// How each component's args follow from the config is in lib/stackArgs.ts.
const config = loadStackConfig();
const protect = config.protectStatefulResources;

const drProviderConfig = drProviderArgs(config);
const drProvider = drProviderConfig && new aws.Provider("dr", drProviderConfig);
const logsKey = new EncryptionKey("logs", logsKeyArgs(config), { protect });
const imagesKey = new EncryptionKey("images", imagesKeyArgs(config), { protect });

const network = new Network("network", networkArgs(config, logsKey.arn));
const storage = new Storage("storage", storageArgs(config, drProvider));
const database = new Database("database", databaseArgs(config, { network, logsKmsKeyArn: logsKey.arn, drProvider }));
const api = new ApiService(
    "api",
    apiServiceArgs(config, { network, database, storage, logsKmsKeyArn: logsKey.arn, imageKmsKeyArn: imagesKey.arn }),
);
database.allowFrom("api-tasks", api.taskSecurityGroupId);
const observability = new Observability("observability", observabilityArgs(config, { api, database }));

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
export const albSecurityGroupId = api.albSecurityGroupId;
export const migrationTaskDefinitionArn = api.migrationTaskDefinitionArn;
export const apiLogGroupName = api.logGroupName;

// Database
export const dbClusterIdentifier = database.clusterIdentifier;
export const dbWriterEndpoint = database.writerEndpoint;
export const dbReaderEndpoint = database.readerEndpoint;
export const dbProxyEndpoint = database.proxyEndpoint;
// The API's database user and where it connects (IAM authentication; docs/database-access.md)
export const dbAppUsername = database.appUsername;
export const dbAppEndpoint = database.appEndpoint;
export const dbFinalSnapshotIdentifier = database.finalSnapshotIdentifier;
export const dbMasterSecretArn = database.masterSecretArn;
export const drBackupVaultArn = database.drBackupVaultArn;

// Storage
export const uploadsBucketName = storage.uploadsBucketName;
export const uploadsReplicaBucketArn = storage.replicaBucketArn;

// Observability
export const dashboardUrl = observability.dashboardUrl;
export const alarmTopicArn = observability.alarmTopicArn;
export const apiDownAlarmName = observability.apiDownAlarmName;
