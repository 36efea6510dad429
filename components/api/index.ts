import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as ecs from "@pulumi/aws/ecs";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { API_CONTAINER, API_PORT } from "./containers";
import { ApiRoles } from "./iam";
import { API_DEFAULTS, apiDraining, ApiServiceArgs, apiServiceArgProblems, lbArgs } from "./args";
import { apiTaskDefinitions, fargateCluster, taskSecurityGroupRules } from "./tasks";
import { resolveImage } from "./image";
import { LoadBalancer } from "./loadBalancer";
import { ServiceAutoscaling } from "./autoscaling";
import { WebAcl } from "./waf";
import { FeatureFlags, featureFlagReadStatements } from "./flags";

// The args and their validation live in their own file; re-exported so they stay importable
// from here and from `./components`.
export { API_DEFAULTS, API_LIMITS, apiServiceArgProblems, MAX_API_SERVICE_NAME } from "./args";
export type { ApiServiceArgs } from "./args";
export * from "./iam";
export * from "./loadBalancer";
export * from "./waf";
export * from "./image";
export * from "./containers";
export * from "./autoscaling";
export * from "./draining";
export * from "./flags";

/**
 * The CSV upload API on ECS Fargate: the image looked up in the account's shared ECR repository
 * and run by digest, a cluster, the service's task (read-only
 * root, database credentials from Secrets Manager, KMS-encrypted logs), a migration task, two
 * least-privilege roles, the security-group chain load balancer -> tasks:8000 -> database,
 * autoscaling on CPU and requests, and the load balancer with its optional web ACL.
 */
export class ApiService extends pulumi.ComponentResource {
    public readonly url: pulumi.Output<string>;
    public readonly httpsEnabled: pulumi.Output<boolean>;
    public readonly albDnsName: pulumi.Output<string>;
    public readonly albArnSuffix: pulumi.Output<string>;
    public readonly targetGroupArnSuffix: pulumi.Output<string>;
    public readonly repositoryUrl: pulumi.Output<string>;
    /** The image the tasks run, pinned by digest (`<repositoryUrl>@sha256:...`). */
    public readonly imageUri: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    public readonly taskRoleArn: pulumi.Output<string>;
    public readonly executionRoleArn: pulumi.Output<string>;
    public readonly taskDefinitionArn: pulumi.Output<string>;
    /** Run it (same subnets and `taskSecurityGroupId`) before a roll to migrate the schema. */
    public readonly migrationTaskDefinitionArn: pulumi.Output<string>;
    /** Security group of the tasks; the Database component admits it on the database port. */
    public readonly taskSecurityGroupId: pulumi.Output<string>;
    public readonly albSecurityGroupId: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    /** ARN of the web ACL, or undefined without WAF. */
    public readonly webAclArn: pulumi.Output<string | undefined>;
    /** Name of the web ACL, the `WebACL` dimension of its CloudWatch metrics; undefined when WAF is off. */
    public readonly webAclName: pulumi.Output<string> | undefined;

    constructor(name: string, args: ApiServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:api:ApiService", name, {}, opts);
        const cpu = args.cpu ?? API_DEFAULTS.cpu;
        const memoryMiB = args.memoryMiB ?? API_DEFAULTS.memoryMiB;
        const desiredCount = args.desiredCount ?? API_DEFAULTS.desiredCount;
        const minCount = args.minCount ?? API_DEFAULTS.minCount;
        const maxCount = args.maxCount ?? API_DEFAULTS.maxCount;
        const useFargateSpot = args.useFargateSpot ?? API_DEFAULTS.useFargateSpot;
        const onDemandBaseCount = args.onDemandBaseCount ?? API_DEFAULTS.onDemandBaseCount;
        const enableEcsExec = args.enableEcsExec ?? API_DEFAULTS.enableEcsExec;
        const tracingEnabled = args.tracingEnabled ?? API_DEFAULTS.tracingEnabled;
        const tracingSamplingPercent = args.tracingSamplingPercent ?? API_DEFAULTS.tracingSamplingPercent;
        const tracingDaemonImage = args.tracingDaemonImage ?? API_DEFAULTS.tracingDaemonImage;
        const tracingServiceName = args.tracingServiceName ?? `${pulumi.getProject()}-${pulumi.getStack()}`;
        const wafEnabled = args.wafEnabled ?? API_DEFAULTS.wafEnabled;
        // Explicit WAF names are unique per account and region, and stacks may share an account.
        const webAclName = args.webAclName ?? `${pulumi.getProject()}-${pulumi.getStack()}-waf`;
        const wafUploadPathPrefixes = args.wafUploadPathPrefixes ?? API_DEFAULTS.wafUploadPathPrefixes;
        const logRetentionDays = args.logRetentionDays ?? API_DEFAULTS.logRetentionDays;
        const migrationCommand = args.migrationCommand ?? API_DEFAULTS.migrationCommand;
        const uploadsPrefix = args.uploadsPrefix ?? API_DEFAULTS.uploadsPrefix;
        const healthCheckGracePeriodSeconds =
            args.healthCheckGracePeriodSeconds ?? API_DEFAULTS.healthCheckGracePeriodSeconds;
        const cpuArchitecture = args.cpuArchitecture ?? API_DEFAULTS.cpuArchitecture;
        const featureFlagsPath = args.featureFlagsPath ?? `/${pulumi.getProject()}/${pulumi.getStack()}/flags`;
        // The default web ACL name is checked too: a stack name may hold characters WAF refuses.
        apiServiceArgProblems(name, { ...args, webAclName }).throwIfAny(this, `ApiService ${name}`);

        const region = getRegionOutput({}, { parent: this }).region;

        const resolved = resolveImage(`ApiService ${name}`, args.imageRepositoryName, args.imageTag, this);
        const image = resolved.imageUri;

        // --- Cluster with both Fargate capacity providers.
        const { cluster, capacityProviders, strategy } = fargateCluster(name, useFargateSpot, onDemandBaseCount, this);

        // --- Logs and roles.
        const logGroup = new cloudwatch.LogGroup(
            `${name}-logs`,
            { retentionInDays: logRetentionDays, kmsKeyId: args.logsKmsKeyArn },
            { parent: this },
        );
        const roles = new ApiRoles(
            `${name}-roles`,
            {
                repositoryArn: resolved.repositoryArn,
                executionRolePath: args.executionRolePath,
                logGroupArn: logGroup.arn,
                databaseSecretArn: args.databaseSecretArn,
                databaseKmsKeyArn: args.databaseKmsKeyArn,
                storageGrant: args.storageGrant,
                databaseIamUserArn: args.databaseIamUserArn,
                tracingEnabled,
                enableEcsExec,
            },
            { parent: this },
        );

        // --- Feature flags: parameters under one path, which the task role may read and nothing more.
        const flags = new FeatureFlags(
            `${name}-flags`,
            { flags: args.featureFlags ?? {}, path: featureFlagsPath, kmsKeyArn: args.featureFlagsKmsKeyArn },
            { parent: this },
        );
        const flagsReadPolicy = new iam.RolePolicy(
            `${name}-flags-read`,
            {
                role: roles.taskRole.id,
                policy: iam.getPolicyDocumentOutput(
                    {
                        statements: featureFlagReadStatements(flags.path, flags.kmsKeyArn, {
                            partition: getPartitionOutput({}, { parent: this }).partition,
                            region,
                            account: getCallerIdentityOutput({}, { parent: this }).accountId,
                        }),
                    },
                    { parent: this },
                ).json,
            },
            { parent: this },
        );

        // --- Task definitions: the API, and the migration with the same image and secrets.
        const containerInputs = {
            image,
            region,
            logGroupName: logGroup.name,
            uploadsBucketName: args.uploadsBucketName,
            uploadsPrefix,
            databaseHost: args.databaseHost,
            databaseUser: args.databaseUser,
            migrationDatabaseHost: args.migrationDatabaseHost ?? args.databaseHost,
            databasePort: args.databasePort,
            databaseName: args.databaseName,
            databaseSecretArn: args.databaseSecretArn,
            stopTimeoutSeconds: apiDraining(args).stopTimeoutSeconds,
            featureFlagsPath: flags.path,
            ecsExec: enableEcsExec,
            tracing: tracingEnabled
                ? { samplingPercent: tracingSamplingPercent, serviceName: tracingServiceName }
                : undefined,
        };
        const { apiTask, migrationTask } = apiTaskDefinitions(
            name,
            {
                cpu,
                memoryMiB,
                cpuArchitecture,
                roles,
                containers: containerInputs,
                tracingDaemonImage: tracingEnabled ? tracingDaemonImage : undefined,
                migrationCommand,
            },
            this,
        );

        // --- Security groups: load balancer -> tasks on 8000 only; tasks -> HTTPS APIs and the database.
        const taskSg = new ec2.SecurityGroup(
            `${name}-tasks-sg`,
            { vpcId: args.vpcId, description: `Tasks of ${name}: ${API_PORT} from the load balancer only` },
            { parent: this },
        );
        const lb = new LoadBalancer(
            `${name}-lb`,
            { ...lbArgs(args), targetSecurityGroupId: taskSg.id },
            { parent: this },
        );
        taskSecurityGroupRules(
            name,
            {
                securityGroupId: taskSg.id,
                loadBalancerSecurityGroupId: lb.securityGroupId,
                databasePort: args.databasePort,
                vpcCidrBlock: args.vpcCidrBlock,
            },
            this,
        );

        // --- The service: private subnets, zero-downtime rolls, rollback on failure, steady state awaited.
        const service = new ecs.Service(
            `${name}-service`,
            {
                cluster: cluster.arn,
                taskDefinition: apiTask.arn,
                desiredCount,
                capacityProviderStrategies: strategy,
                platformVersion: "LATEST",
                networkConfiguration: {
                    subnets: args.privateSubnetIds,
                    securityGroups: [taskSg.id],
                    assignPublicIp: false,
                },
                loadBalancers: [
                    { targetGroupArn: lb.targetGroupArn, containerName: API_CONTAINER, containerPort: API_PORT },
                ],
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                healthCheckGracePeriodSeconds,
                waitForSteadyState: true,
                enableExecuteCommand: enableEcsExec,
                availabilityZoneRebalancing: "ENABLED",
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
            },
            {
                parent: this,
                dependsOn: [capacityProviders, ...roles.policies, flagsReadPolicy, ...lb.listeners],
                // Autoscaling owns the running count after creation.
                ignoreChanges: ["desiredCount"],
            },
        );

        new ServiceAutoscaling(
            `${name}-scaling`,
            {
                clusterName: cluster.name,
                serviceName: service.name,
                minCount,
                maxCount,
                loadBalancerArnSuffix: lb.arnSuffix,
                targetGroupArnSuffix: lb.targetGroupArnSuffix,
                cpuTargetPercent: args.cpuTargetPercent,
                requestsPerTargetPerMinute: args.requestsPerTargetPerMinute,
            },
            { parent: this },
        );

        const webAcl = wafEnabled
            ? new WebAcl(
                  `${name}-waf`,
                  {
                      resourceArn: lb.arn,
                      rateLimitPer5Minutes: args.wafRateLimitPer5Minutes,
                      logsKmsKeyArn: args.logsKmsKeyArn,
                      logRetentionDays,
                      aclName: webAclName,
                      uploadPathPrefixes: wafUploadPathPrefixes,
                  },
                  { parent: this },
              )
            : undefined;

        this.url = lb.url;
        this.httpsEnabled = lb.httpsEnabled;
        this.albDnsName = lb.dnsName;
        this.albArnSuffix = lb.arnSuffix;
        this.targetGroupArnSuffix = lb.targetGroupArnSuffix;
        this.repositoryUrl = resolved.repositoryUrl;
        this.imageUri = resolved.imageUri;
        this.clusterName = cluster.name;
        this.serviceName = service.name;
        this.taskRoleArn = roles.taskRole.arn;
        this.executionRoleArn = roles.executionRole.arn;
        this.taskDefinitionArn = apiTask.arn;
        this.migrationTaskDefinitionArn = migrationTask.arn;
        this.taskSecurityGroupId = taskSg.id;
        this.albSecurityGroupId = lb.securityGroupId;
        this.logGroupName = logGroup.name;
        this.webAclArn = webAcl ? webAcl.arn : pulumi.output(undefined);
        this.webAclName = webAcl?.metricName;
        this.registerOutputs({
            url: this.url,
            httpsEnabled: this.httpsEnabled,
            albDnsName: this.albDnsName,
            albArnSuffix: this.albArnSuffix,
            targetGroupArnSuffix: this.targetGroupArnSuffix,
            repositoryUrl: this.repositoryUrl,
            imageUri: this.imageUri,
            clusterName: this.clusterName,
            serviceName: this.serviceName,
            taskRoleArn: this.taskRoleArn,
            executionRoleArn: this.executionRoleArn,
            taskDefinitionArn: this.taskDefinitionArn,
            migrationTaskDefinitionArn: this.migrationTaskDefinitionArn,
            taskSecurityGroupId: this.taskSecurityGroupId,
            albSecurityGroupId: this.albSecurityGroupId,
            logGroupName: this.logGroupName,
            webAclArn: this.webAclArn,
            webAclName: this.webAclName,
        });
    }
}
