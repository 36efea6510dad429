import { Policies } from "@pulumi/policy";
import { auroraClusterRequireMultiAzInstances } from "./availability/aurora-cluster-require-multi-az-instances";
import { ecsServiceRequireMultiAzTasks } from "./availability/ecs-service-require-multi-az-tasks";
import { lbLoadBalancerRequireMultiAzSubnets } from "./availability/lb-load-balancer-require-multi-az-subnets";
import { rdsInstanceEnableMultiAz } from "./availability/rds-instance-enable-multi-az";
import { vpcNatGatewayRequireOnePerAz } from "./availability/vpc-nat-gateway-require-one-per-az";
import { vpcNetworkRequireMultiAz } from "./availability/vpc-network-require-multi-az";
import { backupPlanConfigureRetention } from "./backup/backup-plan-configure-retention";
import { rdsDatabaseConfigureBackupRetention } from "./backup/rds-database-configure-backup-retention";
import { rdsDatabaseEnableDeletionProtection } from "./backup/rds-database-enable-deletion-protection";
import { rdsDatabaseRequireFinalSnapshot } from "./backup/rds-database-require-final-snapshot";
import { s3BucketEnableVersioning } from "./backup/s3-bucket-enable-versioning";
import { awsResourceRequireCostTags } from "./cost/aws-resource-require-cost-tags";
import { cloudwatchLogGroupRequireKms } from "./encryption/cloudwatch-log-group-require-kms";
import { ecrRepositoryRequireKms } from "./encryption/ecr-repository-require-kms";
import { kmsKeyEnableRotation } from "./encryption/kms-key-enable-rotation";
import { lbListenerRequireHttps } from "./encryption/lb-listener-require-https";
import { rdsDatabaseRequirePerformanceInsightsEncryption } from "./encryption/rds-database-require-performance-insights-encryption";
import { rdsDatabaseRequireStorageEncryption } from "./encryption/rds-database-require-storage-encryption";
import { rdsDatabaseRequireTls } from "./encryption/rds-database-require-tls";
import { s3BucketRequireEncryption } from "./encryption/s3-bucket-require-encryption";
import { secretsmanagerSecretRequireKms } from "./encryption/secretsmanager-secret-require-kms";
import { snsTopicRequireKms } from "./encryption/sns-topic-require-kms";
import { ec2SecurityGroupDisallowPublicIngress } from "./network/ec2-security-group-disallow-public-ingress";
import { ecsServiceDisallowPublicIp } from "./network/ecs-service-disallow-public-ip";
import { rdsDatabaseDisallowPublicAccess } from "./network/rds-database-disallow-public-access";
import { cloudwatchLogGroupConfigureRetention } from "./observability/cloudwatch-log-group-configure-retention";
import { rdsDatabaseConfigureQueryLogging } from "./observability/rds-database-configure-query-logging";
import { ecsTaskDefinitionRequireReadOnlyRoot } from "./security/ecs-task-definition-require-read-only-root";
import { iamPolicyDisallowWildcardAdmin } from "./security/iam-policy-disallow-wildcard-admin";

export {
    auroraClusterRequireMultiAzInstances,
    awsResourceRequireCostTags,
    backupPlanConfigureRetention,
    cloudwatchLogGroupConfigureRetention,
    cloudwatchLogGroupRequireKms,
    ec2SecurityGroupDisallowPublicIngress,
    ecrRepositoryRequireKms,
    ecsServiceDisallowPublicIp,
    ecsServiceRequireMultiAzTasks,
    ecsTaskDefinitionRequireReadOnlyRoot,
    iamPolicyDisallowWildcardAdmin,
    kmsKeyEnableRotation,
    lbListenerRequireHttps,
    lbLoadBalancerRequireMultiAzSubnets,
    rdsDatabaseConfigureBackupRetention,
    rdsDatabaseConfigureQueryLogging,
    rdsDatabaseDisallowPublicAccess,
    rdsDatabaseEnableDeletionProtection,
    rdsDatabaseRequireFinalSnapshot,
    rdsDatabaseRequirePerformanceInsightsEncryption,
    rdsDatabaseRequireStorageEncryption,
    rdsDatabaseRequireTls,
    rdsInstanceEnableMultiAz,
    s3BucketEnableVersioning,
    s3BucketRequireEncryption,
    secretsmanagerSecretRequireKms,
    snsTopicRequireKms,
    vpcNatGatewayRequireOnePerAz,
    vpcNetworkRequireMultiAz,
};

/** The pack's policies, grouped by concern. `policy/index.ts` serves them; tests import them from here. */
export const allPolicies: Policies = [
    // Encryption
    rdsDatabaseRequireStorageEncryption,
    rdsDatabaseRequirePerformanceInsightsEncryption,
    s3BucketRequireEncryption,
    kmsKeyEnableRotation,
    cloudwatchLogGroupRequireKms,
    snsTopicRequireKms,
    ecrRepositoryRequireKms,
    secretsmanagerSecretRequireKms,
    lbListenerRequireHttps,
    rdsDatabaseRequireTls,
    // Availability
    auroraClusterRequireMultiAzInstances,
    rdsInstanceEnableMultiAz,
    ecsServiceRequireMultiAzTasks,
    lbLoadBalancerRequireMultiAzSubnets,
    vpcNetworkRequireMultiAz,
    vpcNatGatewayRequireOnePerAz,
    // Backup
    rdsDatabaseConfigureBackupRetention,
    rdsDatabaseEnableDeletionProtection,
    rdsDatabaseRequireFinalSnapshot,
    s3BucketEnableVersioning,
    backupPlanConfigureRetention,
    // Network
    ec2SecurityGroupDisallowPublicIngress,
    rdsDatabaseDisallowPublicAccess,
    ecsServiceDisallowPublicIp,
    // Security
    iamPolicyDisallowWildcardAdmin,
    ecsTaskDefinitionRequireReadOnlyRoot,
    // Observability
    cloudwatchLogGroupConfigureRetention,
    rdsDatabaseConfigureQueryLogging,
    // Cost
    awsResourceRequireCostTags,
];
