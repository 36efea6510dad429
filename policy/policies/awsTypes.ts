import { resourceType } from "./common";

/**
 * The resource types the pack inspects, by type token, with the properties the policies
 * read (as the engine passes them: camelCase Pulumi property names). Optional everywhere:
 * a property a program leaves out is absent, and the policies say what they found.
 */

export interface RdsClusterProps {
    clusterIdentifier?: string;
    engine?: string;
    storageEncrypted?: boolean;
    kmsKeyId?: string;
    backupRetentionPeriod?: number;
    deletionProtection?: boolean;
    skipFinalSnapshot?: boolean;
    finalSnapshotIdentifier?: string;
    dbClusterParameterGroupName?: string;
    performanceInsightsEnabled?: boolean;
    performanceInsightsKmsKeyId?: string;
}
export const RdsCluster = resourceType<RdsClusterProps>("aws:rds/cluster:Cluster");

export interface RdsClusterInstanceProps {
    identifier?: string;
    clusterIdentifier?: string;
    availabilityZone?: string;
    engine?: string;
    publiclyAccessible?: boolean;
    performanceInsightsEnabled?: boolean;
    performanceInsightsKmsKeyId?: string;
}
export const RdsClusterInstance = resourceType<RdsClusterInstanceProps>("aws:rds/clusterInstance:ClusterInstance");

export interface RdsParameter {
    name?: string;
    value?: string;
}
export interface RdsParameterGroupProps {
    name?: string;
    family?: string;
    parameters?: RdsParameter[];
}
export const RdsClusterParameterGroup = resourceType<RdsParameterGroupProps>(
    "aws:rds/clusterParameterGroup:ClusterParameterGroup",
);
export const RdsParameterGroup = resourceType<RdsParameterGroupProps>("aws:rds/parameterGroup:ParameterGroup");

export interface RdsInstanceProps {
    identifier?: string;
    engine?: string;
    storageEncrypted?: boolean;
    kmsKeyId?: string;
    multiAz?: boolean;
    backupRetentionPeriod?: number;
    deletionProtection?: boolean;
    skipFinalSnapshot?: boolean;
    finalSnapshotIdentifier?: string;
    parameterGroupName?: string;
    publiclyAccessible?: boolean;
    replicateSourceDb?: string;
    performanceInsightsEnabled?: boolean;
    performanceInsightsKmsKeyId?: string;
}
export const RdsInstance = resourceType<RdsInstanceProps>("aws:rds/instance:Instance");

export interface SseDefault {
    sseAlgorithm?: string;
    kmsMasterKeyId?: string;
}
export interface SseRule {
    applyServerSideEncryptionByDefault?: SseDefault;
    bucketKeyEnabled?: boolean;
}
export interface S3BucketProps {
    bucket?: string;
    /** Deprecated inline configuration (v7 still reports it as an output). */
    serverSideEncryptionConfiguration?: { rule?: SseRule | SseRule[]; rules?: SseRule[] };
    versioning?: { enabled?: boolean };
}
export const S3Bucket = resourceType<S3BucketProps>("aws:s3/bucket:Bucket");
export const S3BucketV2 = resourceType<S3BucketProps>("aws:s3/bucketV2:BucketV2");

export interface S3BucketSseProps {
    bucket?: string;
    rules?: SseRule[];
}
export const S3BucketSse = resourceType<S3BucketSseProps>(
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
);
export const S3BucketSseV2 = resourceType<S3BucketSseProps>(
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
);

export interface S3BucketVersioningProps {
    bucket?: string;
    versioningConfiguration?: { status?: string };
}
export const S3BucketVersioning = resourceType<S3BucketVersioningProps>("aws:s3/bucketVersioning:BucketVersioning");
export const S3BucketVersioningV2 = resourceType<S3BucketVersioningProps>(
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
);

export interface S3BucketLoggingProps {
    bucket?: string;
    targetBucket?: string;
}
export const S3BucketLogging = resourceType<S3BucketLoggingProps>("aws:s3/bucketLogging:BucketLogging");
export const S3BucketLoggingV2 = resourceType<S3BucketLoggingProps>("aws:s3/bucketLoggingV2:BucketLoggingV2");

export interface KmsKeyProps {
    enableKeyRotation?: boolean;
    rotationPeriodInDays?: number;
    customerMasterKeySpec?: string;
    keySpec?: string;
}
export const KmsKey = resourceType<KmsKeyProps>("aws:kms/key:Key");

export interface LogGroupProps {
    name?: string;
    kmsKeyId?: string;
    retentionInDays?: number;
}
export const LogGroup = resourceType<LogGroupProps>("aws:cloudwatch/logGroup:LogGroup");

export interface SnsTopicProps {
    name?: string;
    kmsMasterKeyId?: string;
}
export const SnsTopic = resourceType<SnsTopicProps>("aws:sns/topic:Topic");

export interface EcrRepositoryProps {
    name?: string;
    encryptionConfigurations?: { encryptionType?: string; kmsKey?: string }[];
}
export const EcrRepository = resourceType<EcrRepositoryProps>("aws:ecr/repository:Repository");

export interface SecretProps {
    name?: string;
    kmsKeyId?: string;
}
export const Secret = resourceType<SecretProps>("aws:secretsmanager/secret:Secret");

export interface ListenerAction {
    type?: string;
    redirect?: { protocol?: string; port?: string; statusCode?: string };
}
export interface LbListenerProps {
    protocol?: string;
    port?: number;
    sslPolicy?: string;
    certificateArn?: string;
    defaultActions?: ListenerAction[];
}
export const LbListener = resourceType<LbListenerProps>("aws:lb/listener:Listener");
export const AlbListener = resourceType<LbListenerProps>("aws:alb/listener:Listener");

export interface LbLogsConfig {
    bucket?: string;
    enabled?: boolean;
}
export interface LoadBalancerProps {
    name?: string;
    internal?: boolean;
    loadBalancerType?: string;
    subnets?: string[];
    subnetMappings?: { subnetId?: string }[];
    securityGroups?: string[];
    accessLogs?: LbLogsConfig;
    connectionLogs?: LbLogsConfig;
}
export const LoadBalancer = resourceType<LoadBalancerProps>("aws:lb/loadBalancer:LoadBalancer");
export const AlbLoadBalancer = resourceType<LoadBalancerProps>("aws:alb/loadBalancer:LoadBalancer");

export interface EcsServiceProps {
    name?: string;
    desiredCount?: number;
    schedulingStrategy?: string;
    networkConfiguration?: { subnets?: string[]; assignPublicIp?: boolean; securityGroups?: string[] };
}
export const EcsService = resourceType<EcsServiceProps>("aws:ecs/service:Service");

export interface EcsTaskDefinitionProps {
    family?: string;
    /** A JSON string (inputs) of container definitions. */
    containerDefinitions?: string;
}
export const EcsTaskDefinition = resourceType<EcsTaskDefinitionProps>("aws:ecs/taskDefinition:TaskDefinition");

export interface SubnetProps {
    availabilityZone?: string;
    availabilityZoneId?: string;
}
export const Subnet = resourceType<SubnetProps>("aws:ec2/subnet:Subnet");

export interface AwsxVpcProps {
    numberOfAvailabilityZones?: number;
    availabilityZoneNames?: string[];
    /** The input (`{ strategy }`) or, once the component ran, its output: the NAT gateways it made. */
    natGateways?: { strategy?: string } | unknown[];
}
export const AwsxVpc = resourceType<AwsxVpcProps>("awsx:ec2:Vpc");

export interface SgInlineRule {
    fromPort?: number;
    toPort?: number;
    protocol?: string;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
}
export interface SecurityGroupProps {
    name?: string;
    ingress?: SgInlineRule[];
}
export const SecurityGroup = resourceType<SecurityGroupProps>("aws:ec2/securityGroup:SecurityGroup");

export interface SgIngressRuleProps {
    securityGroupId?: string;
    cidrIpv4?: string;
    cidrIpv6?: string;
    fromPort?: number;
    toPort?: number;
    ipProtocol?: string;
}
export const SgIngressRule = resourceType<SgIngressRuleProps>(
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
);

export interface SgRuleProps {
    type?: string;
    securityGroupId?: string;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
    fromPort?: number;
    toPort?: number;
    protocol?: string;
}
export const SgRule = resourceType<SgRuleProps>("aws:ec2/securityGroupRule:SecurityGroupRule");

export interface IamPolicyProps {
    name?: string;
    /** A JSON policy document (a string in inputs; may be an object in some exports). */
    policy?: unknown;
}
export const IamPolicy = resourceType<IamPolicyProps>("aws:iam/policy:Policy");
export const IamRolePolicy = resourceType<IamPolicyProps>("aws:iam/rolePolicy:RolePolicy");
export const IamUserPolicy = resourceType<IamPolicyProps>("aws:iam/userPolicy:UserPolicy");
export const IamGroupPolicy = resourceType<IamPolicyProps>("aws:iam/groupPolicy:GroupPolicy");
export interface IamRoleProps {
    name?: string;
    inlinePolicies?: { name?: string; policy?: unknown }[];
}
export const IamRole = resourceType<IamRoleProps>("aws:iam/role:Role");

export interface BackupLifecycle {
    deleteAfter?: number;
    coldStorageAfter?: number;
}
export interface BackupPlanProps {
    name?: string;
    rules?: {
        ruleName?: string;
        lifecycle?: BackupLifecycle;
        copyActions?: { destinationVaultArn?: string; lifecycle?: BackupLifecycle }[];
    }[];
}
export const BackupPlan = resourceType<BackupPlanProps>("aws:backup/plan:Plan");
