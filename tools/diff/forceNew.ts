/**
 * Which input properties replace a resource when they change: the `ForceNew` attributes of the
 * terraform-provider-aws schema that @pulumi/aws 7.48.0 wraps (pulumi-aws 7.45.0 wraps v6.63.0,
 * github.com/pulumi/pulumi-aws/releases/tag/v7.45.0; the exact upstream tag of 7.48.0 was not found
 * in stored pages). One entry per resource type the program (both stacks, awsx's VPC children and
 * bootstrap/) declares; a test keeps the keys equal to those types. Property names are Pulumi's
 * (camelCase); a ForceNew attribute inside a block is listed under the block's property.
 *
 * `verified: true` entries were read in the provider source at the stored commit named in `read`;
 * the others are listed from the provider's schema as known and must be checked against `source`.
 */
export interface ForceNewEntry {
    /** `internal/service/<svc>/<file>.go` in hashicorp/terraform-provider-aws (or the repo named). */
    source: string;
    properties: readonly string[];
    verified: boolean;
    /** The stored commit of `source` the properties were read at. */
    read?: string;
}

const TF = (file: string) => `internal/service/${file}.go`;
const bucketChild = (file: string): ForceNewEntry => ({
    source: TF(`s3/${file}`),
    properties: ["bucket", "expectedBucketOwner"],
    verified: false,
});

export const FORCE_NEW: Readonly<Record<string, ForceNewEntry>> = {
    // Stateful resources: read in the provider source.
    "aws:rds/cluster:Cluster": {
        source: TF("rds/cluster"),
        read: "0168cf6844f393420326f1426bf18ed357b56a77",
        verified: true,
        properties: [
            "availabilityZones",
            "clusterIdentifier",
            "clusterIdentifierPrefix",
            "clusterScalabilityType",
            "databaseName",
            "dbSubnetGroupName",
            "dbSystemId",
            "engine",
            "engineMode",
            "kmsKeyId",
            "masterUsername",
            "restoreToPointInTime",
            "s3Import",
            "snapshotIdentifier",
            "sourceRegion",
            "storageEncrypted",
        ],
    },
    "aws:rds/clusterInstance:ClusterInstance": {
        source: TF("rds/cluster_instance"),
        read: "01606926a0c0ab9174aec440f976a48b0baee722",
        verified: true,
        properties: [
            "availabilityZone",
            "clusterIdentifier",
            "customIamInstanceProfile",
            "dbSubnetGroupName",
            "engine",
            "identifier",
            "identifierPrefix",
        ],
    },
    "aws:kms/key:Key": {
        source: TF("kms/key"),
        read: "00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
        verified: true,
        properties: ["customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"],
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        source: TF("logs/group"),
        read: "0073593e7d6993ba482409f4dc35438daaa79bb3",
        verified: true,
        properties: ["logGroupClass", "name", "namePrefix"],
    },
    "aws:ecr/repository:Repository": {
        source: TF("ecr/repository"),
        read: "0072eea2d6046230a1fb7717741c17fd2122175e",
        verified: true,
        properties: ["encryptionConfigurations", "name"],
    },
    "aws:s3/bucket:Bucket": {
        source: TF("s3/bucket"),
        verified: false,
        properties: ["bucket", "bucketPrefix", "objectLockEnabled"],
    },
    // The rest of the program's types.
    "aws:acm/certificate:Certificate": {
        source: TF("acm/certificate"),
        verified: false,
        properties: ["certificateAuthorityArn", "domainName", "keyAlgorithm", "subjectAlternativeNames"],
    },
    "aws:acm/certificateValidation:CertificateValidation": {
        source: TF("acm/certificate_validation"),
        verified: false,
        properties: ["certificateArn", "validationRecordFqdns"],
    },
    "aws:appautoscaling/policy:Policy": {
        source: TF("appautoscaling/policy"),
        verified: false,
        properties: ["name", "resourceId", "scalableDimension", "serviceNamespace"],
    },
    "aws:appautoscaling/target:Target": {
        source: TF("appautoscaling/target"),
        verified: false,
        properties: ["resourceId", "scalableDimension", "serviceNamespace"],
    },
    "aws:backup/plan:Plan": { source: TF("backup/plan"), verified: false, properties: ["name"] },
    "aws:backup/selection:Selection": {
        source: TF("backup/selection"),
        verified: false,
        properties: ["conditions", "iamRoleArn", "name", "notResources", "planId", "resources", "selectionTags"],
    },
    "aws:backup/vault:Vault": { source: TF("backup/vault"), verified: false, properties: ["kmsKeyArn", "name"] },
    "aws:budgets/budget:Budget": {
        source: TF("budgets/budget"),
        verified: false,
        properties: ["accountId", "name", "namePrefix"],
    },
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": {
        source: TF("cloudwatch/composite_alarm"),
        verified: false,
        properties: ["alarmName"],
    },
    "aws:cloudwatch/dashboard:Dashboard": {
        source: TF("cloudwatch/dashboard"),
        verified: false,
        properties: ["dashboardName"],
    },
    "aws:cloudwatch/eventRule:EventRule": {
        source: TF("events/rule"),
        verified: false,
        properties: ["eventBusName", "name", "namePrefix"],
    },
    "aws:cloudwatch/eventTarget:EventTarget": {
        source: TF("events/target"),
        verified: false,
        properties: ["eventBusName", "rule", "targetId"],
    },
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": {
        source: TF("logs/metric_filter"),
        verified: false,
        properties: ["logGroupName", "name"],
    },
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": {
        source: TF("logs/resource_policy"),
        verified: false,
        properties: ["policyName"],
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        source: TF("cloudwatch/metric_alarm"),
        verified: false,
        properties: ["alarmName"],
    },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
        source: TF("ec2/vpc_default_security_group"),
        verified: false,
        properties: ["vpcId"],
    },
    "aws:ec2/flowLog:FlowLog": {
        source: TF("ec2/vpc_flow_log"),
        verified: false,
        properties: [
            "deliverCrossAccountRole",
            "destinationOptions",
            "eniId",
            "iamRoleArn",
            "logDestination",
            "logDestinationType",
            "logFormat",
            "logGroupName",
            "maxAggregationInterval",
            "subnetId",
            "trafficType",
            "vpcId",
        ],
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        source: TF("ec2/vpc_security_group"),
        verified: false,
        properties: ["description", "name", "namePrefix", "vpcId"],
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        source: TF("ec2/vpc_endpoint"),
        verified: false,
        properties: ["serviceName", "serviceRegion", "vpcEndpointType", "vpcId"],
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": {
        source: TF("ecr/lifecycle_policy"),
        verified: false,
        properties: ["repository"],
    },
    "aws:ecs/cluster:Cluster": { source: TF("ecs/cluster"), verified: false, properties: ["name"] },
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": {
        source: TF("ecs/cluster_capacity_providers"),
        verified: false,
        properties: ["clusterName"],
    },
    "aws:ecs/service:Service": {
        source: TF("ecs/service"),
        verified: false,
        properties: ["cluster", "iamRole", "name", "schedulingStrategy"],
    },
    // ECS task definitions are immutable: every change registers a new revision.
    "aws:ecs/taskDefinition:TaskDefinition": {
        source: TF("ecs/task_definition"),
        verified: false,
        properties: [
            "containerDefinitions",
            "cpu",
            "enableFaultInjection",
            "ephemeralStorage",
            "executionRoleArn",
            "family",
            "ipcMode",
            "memory",
            "networkMode",
            "pidMode",
            "placementConstraints",
            "proxyConfiguration",
            "requiresCompatibilities",
            "runtimePlatform",
            "taskRoleArn",
            "volumes",
        ],
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
        source: TF("iam/openid_connect_provider"),
        verified: false,
        properties: ["url"],
    },
    "aws:iam/role:Role": { source: TF("iam/role"), verified: false, properties: ["name", "namePrefix", "path"] },
    "aws:iam/rolePolicy:RolePolicy": {
        source: TF("iam/role_policy"),
        verified: false,
        properties: ["name", "namePrefix", "role"],
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        source: TF("iam/role_policy_attachment"),
        verified: false,
        properties: ["policyArn", "role"],
    },
    "aws:kms/alias:Alias": { source: TF("kms/alias"), verified: false, properties: ["name", "namePrefix"] },
    "aws:lb/listener:Listener": { source: TF("elbv2/listener"), verified: false, properties: ["loadBalancerArn"] },
    "aws:lb/loadBalancer:LoadBalancer": {
        source: TF("elbv2/load_balancer"),
        verified: false,
        properties: ["internal", "loadBalancerType", "name", "namePrefix"],
    },
    "aws:lb/targetGroup:TargetGroup": {
        source: TF("elbv2/target_group"),
        verified: false,
        properties: [
            "ipAddressType",
            "name",
            "namePrefix",
            "port",
            "protocol",
            "protocolVersion",
            "targetType",
            "vpcId",
        ],
    },
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": {
        source: TF("rds/cluster_parameter_group"),
        verified: false,
        properties: ["description", "family", "name", "namePrefix"],
    },
    "aws:rds/proxy:Proxy": {
        source: TF("rds/proxy"),
        verified: false,
        properties: ["engineFamily", "name", "vpcSubnetIds"],
    },
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": {
        source: TF("rds/proxy_default_target_group"),
        verified: false,
        properties: ["dbProxyName"],
    },
    "aws:rds/proxyTarget:ProxyTarget": {
        source: TF("rds/proxy_target"),
        verified: false,
        properties: ["dbClusterIdentifier", "dbInstanceIdentifier", "dbProxyName", "targetGroupName"],
    },
    "aws:rds/subnetGroup:SubnetGroup": {
        source: TF("rds/subnet_group"),
        verified: false,
        properties: ["name", "namePrefix"],
    },
    "aws:route53/record:Record": { source: TF("route53/record"), verified: false, properties: ["name", "zoneId"] },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketChild("bucket_lifecycle_configuration"),
    "aws:s3/bucketLogging:BucketLogging": bucketChild("bucket_logging"),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": bucketChild("bucket_ownership_controls"),
    "aws:s3/bucketPolicy:BucketPolicy": bucketChild("bucket_policy"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": bucketChild("bucket_public_access_block"),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": bucketChild("bucket_replication_configuration"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": bucketChild(
        "bucket_server_side_encryption_configuration",
    ),
    "aws:s3/bucketVersioning:BucketVersioning": bucketChild("bucket_versioning"),
    "aws:sns/topic:Topic": {
        source: TF("sns/topic"),
        verified: false,
        properties: ["fifoTopic", "name", "namePrefix"],
    },
    "aws:sns/topicPolicy:TopicPolicy": { source: TF("sns/topic_policy"), verified: false, properties: ["arn"] },
    "aws:sns/topicSubscription:TopicSubscription": {
        source: TF("sns/topic_subscription"),
        verified: false,
        properties: ["endpoint", "protocol", "topicArn"],
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        source: TF("ec2/vpc_security_group_egress_rule"),
        verified: false,
        properties: ["securityGroupId"],
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        source: TF("ec2/vpc_security_group_ingress_rule"),
        verified: false,
        properties: ["securityGroupId"],
    },
    "aws:wafv2/webAcl:WebAcl": {
        source: TF("wafv2/web_acl"),
        verified: false,
        properties: ["name", "namePrefix", "scope"],
    },
    "aws:wafv2/webAclAssociation:WebAclAssociation": {
        source: TF("wafv2/web_acl_association"),
        verified: false,
        properties: ["resourceArn", "webAclArn"],
    },
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {
        source: TF("wafv2/web_acl_logging_configuration"),
        verified: false,
        properties: ["resourceArn"],
    },
    "aws:xray/samplingRule:SamplingRule": {
        source: TF("xray/sampling_rule"),
        verified: false,
        properties: ["ruleName", "version"],
    },
    // awsx's VPC children (recorded by the simulation as awsx registers them).
    "aws:ec2/vpc:Vpc": {
        source: TF("ec2/vpc_"),
        verified: false,
        properties: ["cidrBlock", "instanceTenancy", "ipv4IpamPoolId"],
    },
    "aws:ec2/subnet:Subnet": {
        source: TF("ec2/vpc_subnet"),
        verified: false,
        properties: ["availabilityZone", "availabilityZoneId", "cidrBlock", "vpcId"],
    },
    "aws:ec2/routeTable:RouteTable": { source: TF("ec2/vpc_route_table"), verified: false, properties: ["vpcId"] },
    "aws:ec2/route:Route": {
        source: TF("ec2/vpc_route"),
        verified: false,
        properties: ["destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId", "routeTableId"],
    },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": {
        source: TF("ec2/vpc_route_table_association"),
        verified: false,
        properties: ["gatewayId", "subnetId"],
    },
    "aws:ec2/internetGateway:InternetGateway": {
        source: TF("ec2/vpc_internet_gateway"),
        verified: false,
        properties: [],
    },
    "aws:ec2/natGateway:NatGateway": {
        source: TF("ec2/vpc_nat_gateway"),
        verified: false,
        properties: ["allocationId", "connectivityType", "privateIp", "subnetId"],
    },
    "aws:ec2/eip:Eip": {
        source: TF("ec2/ec2_eip"),
        verified: false,
        properties: ["customerOwnedIpv4Pool", "domain", "networkBorderGroup", "publicIpv4Pool"],
    },
    "random:index/randomId:RandomId": {
        source: "hashicorp/terraform-provider-random internal/provider/resource_id.go",
        verified: false,
        properties: ["byteLength", "keepers", "prefix"],
    },
};

/** Resources whose replacement loses data or breaks everything that reads them. */
export const STATEFUL_TYPES: readonly string[] = [
    "aws:rds/cluster:Cluster",
    "aws:rds/clusterInstance:ClusterInstance",
    "aws:s3/bucket:Bucket",
    "aws:kms/key:Key",
    "aws:ecr/repository:Repository",
    "aws:cloudwatch/logGroup:LogGroup",
];
