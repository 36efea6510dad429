import * as assert from "node:assert/strict";
import {
    API_PORT,
    BODY_ATTACK_RULE,
    bodyAttackStatement,
    ApiService,
    ApiServiceArgs,
    apiServiceArgProblems,
    DEFAULT_SSL_POLICY,
    MANAGED_RULE_GROUPS,
    OVERSIZED_BODY_RULE,
    oversizedBodyStatement,
} from "../../../components";
import { ofType, RecordedResource, settingsFor, simulate, StackRun } from "../../../tools/sim";
import {
    buildStack,
    DATABASE,
    isUnder,
    NETWORK,
    one,
    problemLines,
    stackConfig,
    statementsOf,
    validApiServiceArgs,
} from "../../support/apiStorage";

const LISTENER = "aws:lb/listener:Listener";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition";

interface Container {
    name: string;
    image: string;
    command?: string[];
    portMappings: { containerPort: number; protocol: string }[];
    environment: { name: string; value: string }[];
    secrets: { name: string; valueFrom: string }[];
    readonlyRootFilesystem: boolean;
    privileged: boolean;
    mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
    logConfiguration: { logDriver: string; options: Record<string, string> };
}
const containersOf = (taskDef: RecordedResource) =>
    JSON.parse(String(taskDef.inputs.containerDefinitions)) as Container[];
const apiTaskDef = (run: StackRun) => one(run, TASK_DEF, "api-task");
const migrationTaskDef = (run: StackRun) => one(run, TASK_DEF, "api-migrate");
/** The recorder keeps state, not ids; a security group's id ends its ARN. */
const sgId = (run: StackRun, name: string) =>
    String(one(run, "aws:ec2/securityGroup:SecurityGroup", name).state.arn)
        .split("/")
        .pop();

describe("ApiService", () => {
    let staging: StackRun;
    let production: StackRun;
    before(async () => {
        staging = await buildStack("staging", { api: true });
        production = await buildStack("production", { api: true });
    });

    for (const stack of ["staging", "production"] as const) {
        describe(`with ${stack} settings`, () => {
            const run = () => (stack === "staging" ? staging : production);
            const config = stackConfig(stack);

            it("parents every child under the component, with names derived from its name", () => {
                const component = one(run(), "migration-api:api:ApiService");
                const children = run().resources.filter((r) => isUnder(run(), r, component));
                assert.ok(children.filter((r) => r.custom).length >= 25);
                for (const child of children) assert.match(child.name, /^api-/, child.name);
                for (const type of [
                    "aws:ecr/repository:Repository",
                    "aws:ecs/cluster:Cluster",
                    "aws:ecs/service:Service",
                    "aws:lb/loadBalancer:LoadBalancer",
                    "aws:lb/targetGroup:TargetGroup",
                    "aws:appautoscaling/target:Target",
                ]) {
                    assert.ok(isUnder(run(), one(run(), type), component), type);
                }
            });

            it("builds an ECR repository: scan on push, immutable tags, KMS, lifecycle", () => {
                const repo = one(run(), "aws:ecr/repository:Repository");
                assert.equal(repo.inputs.imageTagMutability, "IMMUTABLE");
                assert.deepEqual(repo.inputs.imageScanningConfiguration, { scanOnPush: true });
                const imagesKey = run().resources.find(
                    (r) => r.type === "aws:kms/key:Key" && r.name === "api-images-key",
                );
                assert.ok(imagesKey, "ApiService creates a customer-managed key for its images by default");
                assert.equal(imagesKey.inputs.enableKeyRotation, true);
                assert.deepEqual(repo.inputs.encryptionConfigurations, [
                    { encryptionType: "KMS", kmsKey: imagesKey.state.arn },
                ]);
                const lifecycle = one(run(), "aws:ecr/lifecyclePolicy:LifecyclePolicy");
                assert.match(String(repo.state.name), /^api-repo-[0-9a-f]{7}$/);
                assert.equal(lifecycle.inputs.repository, repo.state.name);
                const rules = (JSON.parse(String(lifecycle.inputs.policy)) as { rules: { selection: object }[] }).rules;
                assert.deepEqual(
                    rules.map((r) => r.selection),
                    [
                        { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
                        { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
                    ],
                );
            });

            it("builds a cluster with Container Insights and both Fargate capacity providers", () => {
                const cluster = one(run(), "aws:ecs/cluster:Cluster");
                assert.deepEqual(cluster.inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
                const providers = one(run(), "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders");
                assert.equal(providers.inputs.clusterName, cluster.state.name);
                assert.deepEqual(providers.inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
            });

            it("runs one read-only, unprivileged container on 8000 from the configured image", () => {
                const taskDef = apiTaskDef(run());
                assert.deepEqual(taskDef.inputs.requiresCompatibilities, ["FARGATE"]);
                assert.equal(taskDef.inputs.networkMode, "awsvpc");
                assert.equal(taskDef.inputs.cpu, String(config.apiCpu));
                assert.equal(taskDef.inputs.memory, String(config.apiMemoryMiB));
                const execVolumes = stack === "staging" ? [{ name: "ssm-lib" }, { name: "ssm-log" }] : [];
                assert.deepEqual(taskDef.inputs.volumes, [{ name: "tmp" }, ...execVolumes]);
                const containers = containersOf(taskDef);
                const api = containers.find((c) => c.name === "api");
                assert.ok(api);
                const repoUrl = one(run(), "aws:ecr/repository:Repository").state.repositoryUrl;
                assert.equal(api.image, `${repoUrl}:${config.apiImageTag}`);
                assert.deepEqual(api.portMappings, [{ containerPort: 8000, protocol: "tcp", name: "http" }]);
                assert.equal(api.readonlyRootFilesystem, true);
                assert.equal(api.privileged, false);
                // ECS Exec (staging) needs its agent's directories writable; the root stays read-only.
                const execMounts =
                    stack === "staging"
                        ? [
                              { sourceVolume: "ssm-lib", containerPath: "/var/lib/amazon", readOnly: false },
                              { sourceVolume: "ssm-log", containerPath: "/var/log/amazon", readOnly: false },
                          ]
                        : [];
                assert.deepEqual(api.mountPoints, [
                    { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
                    ...execMounts,
                ]);
            });

            it("hands the API region, bucket and database, and the credentials only as secrets with JSON keys", () => {
                const api = containersOf(apiTaskDef(run())).find((c) => c.name === "api");
                assert.ok(api);
                const env = Object.fromEntries(api.environment.map((e) => [e.name, e.value]));
                const bucket = one(run(), "aws:s3/bucket:Bucket", "storage-uploads").state.bucket;
                assert.equal(env.AWS_REGION, "us-east-1");
                assert.equal(env.UPLOADS_BUCKET, bucket);
                assert.equal(env.DB_HOST, DATABASE.databaseHost);
                assert.equal(env.DB_PORT, "5432");
                assert.equal(env.DB_NAME, config.dbName);
                assert.deepEqual(api.secrets, [
                    { name: "DB_USER", valueFrom: `${DATABASE.databaseSecretArn}:username::` },
                    { name: "DB_PASSWORD", valueFrom: `${DATABASE.databaseSecretArn}:password::` },
                ]);
                const plain = JSON.stringify(api.environment);
                assert.doesNotMatch(plain, /PASSWORD|DB_USER|secretsmanager/);
            });

            it("logs through awslogs to a KMS-encrypted log group with the configured retention", () => {
                const group = one(run(), "aws:cloudwatch/logGroup:LogGroup", "api-logs");
                assert.equal(group.inputs.kmsKeyId, one(run(), "aws:kms/key:Key", "logs-key").state.arn);
                assert.equal(group.inputs.retentionInDays, config.logRetentionDays);
                assert.match(String(group.state.name), /^api-logs-[0-9a-f]{7}$/);
                for (const container of containersOf(apiTaskDef(run()))) {
                    assert.equal(container.logConfiguration.logDriver, "awslogs");
                    assert.equal(container.logConfiguration.options["awslogs-group"], group.state.name);
                }
            });

            it("exports a migration task: same image and secrets, the configured command, no task role", () => {
                const [migration] = containersOf(migrationTaskDef(run()));
                const [api] = containersOf(apiTaskDef(run()));
                assert.deepEqual(migration.command, config.apiMigrationCommand);
                assert.equal(migration.image, api.image);
                assert.deepEqual(migration.secrets, api.secrets);
                assert.deepEqual(migration.portMappings, []);
                assert.equal(migrationTaskDef(run()).inputs.taskRoleArn, undefined);
                assert.equal(run().outputs.migrationTaskDefinitionArn, migrationTaskDef(run()).state.arn);
            });

            it("gives the execution role exactly this repository, log group, secret and key", () => {
                const policy = one(run(), "aws:iam/rolePolicy:RolePolicy", "api-roles-execution");
                const bySid = Object.fromEntries(statementsOf(policy.inputs.policy).map((s) => [s.Sid, s]));
                assert.deepEqual(bySid.EcrPullThisRepository.Resource, [
                    one(run(), "aws:ecr/repository:Repository").state.arn,
                ]);
                const group = one(run(), "aws:cloudwatch/logGroup:LogGroup", "api-logs");
                assert.deepEqual(bySid.WriteThisLogGroup.Resource, [`${group.state.arn}:log-stream:*`]);
                assert.deepEqual(bySid.ReadDatabaseSecret.Resource, [DATABASE.databaseSecretArn]);
                assert.deepEqual(bySid.DecryptDatabaseSecret.Resource, [DATABASE.databaseKmsKeyArn]);
                assert.deepEqual(bySid.DecryptDatabaseSecret.Condition, {
                    StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" },
                });
                const role = one(run(), "aws:iam/role:Role", "api-roles-execution");
                assert.equal(apiTaskDef(run()).inputs.executionRoleArn, role.state.arn);
            });

            it("gives the separate task role the storage grant, and no wildcard action on a wildcard resource", () => {
                const taskRole = one(run(), "aws:iam/role:Role", "api-roles-task");
                assert.equal(apiTaskDef(run()).inputs.taskRoleArn, taskRole.state.arn);
                assert.notEqual(taskRole.state.arn, one(run(), "aws:iam/role:Role", "api-roles-execution").state.arn);
                const statements = statementsOf(
                    one(run(), "aws:iam/rolePolicy:RolePolicy", "api-roles-task").inputs.policy,
                );
                const bucketArn = one(run(), "aws:s3/bucket:Bucket", "storage-uploads").state.arn;
                const uploads = statements.find((s) => s.Sid === "UploadsObjectsReadWrite");
                assert.deepEqual(uploads?.Resource, [`${bucketArn}/uploads/*`]);
                const all = [
                    ...statements,
                    ...statementsOf(one(run(), "aws:iam/rolePolicy:RolePolicy", "api-roles-execution").inputs.policy),
                ];
                for (const s of all) {
                    assert.equal(s.Effect, "Allow");
                    assert.ok(!s.Action.some((a) => a === "*" || a.endsWith(":*")), `wildcard action in ${s.Sid}`);
                    if (s.Resource.includes("*")) {
                        assert.ok(!s.Action.some((a) => a.includes("*")), `wildcard action on * in ${s.Sid}`);
                    }
                }
                const trust = statementsOf(taskRole.inputs.assumeRolePolicy)[0];
                assert.deepEqual(trust.Principal, { Service: "ecs-tasks.amazonaws.com" });
                assert.deepEqual(trust.Condition?.StringEquals, { "aws:SourceAccount": "123456789012" });
            });

            it("chains security groups: clients -> ALB 80/443, ALB -> tasks on 8000 only, tasks -> database", () => {
                const albSg = sgId(run(), "api-lb-sg");
                const taskSg = sgId(run(), "api-tasks-sg");
                assert.equal(run().outputs.taskSecurityGroupId, taskSg);
                assert.equal(run().outputs.albSecurityGroupId, albSg);
                const taskIngress = ofType(run(), INGRESS).filter((r) => r.inputs.securityGroupId === taskSg);
                assert.deepEqual(
                    taskIngress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId]),
                    [[API_PORT, API_PORT, albSg]],
                );
                for (const rule of taskIngress) assert.equal(rule.inputs.cidrIpv4, undefined);
                const albEgress = ofType(run(), EGRESS).filter((r) => r.inputs.securityGroupId === albSg);
                assert.deepEqual(
                    albEgress.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId]),
                    [[API_PORT, taskSg]],
                );
                const albIngress = ofType(run(), INGRESS).filter((r) => r.inputs.securityGroupId === albSg);
                const ports = stack === "production" ? [80, 443] : [80];
                assert.deepEqual(
                    albIngress.map((r) => Number(r.inputs.fromPort)).sort((a, b) => a - b),
                    ports,
                );
                for (const rule of albIngress) assert.equal(rule.inputs.cidrIpv4, "0.0.0.0/0");
                const dbEgress = one(run(), EGRESS, "api-tasks-to-db");
                assert.equal(dbEgress.inputs.securityGroupId, taskSg);
                assert.equal(dbEgress.inputs.fromPort, 5432);
                assert.equal(dbEgress.inputs.cidrIpv4, config.vpcCidr);
            });

            it("runs the service in private subnets with zero-downtime, self-rolling-back deploys", () => {
                const service = one(run(), "aws:ecs/service:Service");
                const net = service.inputs.networkConfiguration as Record<string, unknown>;
                assert.deepEqual(net.subnets, NETWORK.privateSubnetIds);
                assert.equal(net.assignPublicIp, false);
                assert.deepEqual(net.securityGroups, [sgId(run(), "api-tasks-sg")]);
                assert.equal(service.inputs.desiredCount, config.apiDesiredCount);
                assert.ok(config.apiDesiredCount >= 2);
                assert.deepEqual(service.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
                assert.equal(service.inputs.deploymentMinimumHealthyPercent, 100);
                assert.equal(service.inputs.deploymentMaximumPercent, 200);
                assert.equal(service.inputs.healthCheckGracePeriodSeconds, 60);
                assert.equal(service.inputs.waitForSteadyState, true);
                assert.equal(service.inputs.taskDefinition, apiTaskDef(run()).state.arn);
                assert.deepEqual(service.inputs.loadBalancers, [
                    {
                        targetGroupArn: one(run(), "aws:lb/targetGroup:TargetGroup").state.arn,
                        containerName: "api",
                        containerPort: 8000,
                    },
                ]);
                assert.deepEqual(service.ignoreChanges, ["desiredCount"]);
                for (const listener of ofType(run(), LISTENER)) {
                    assert.ok(service.dependencies.includes(listener.urn), "service waits for the listeners");
                }
            });

            it("puts an internet-facing ALB in the public subnets with access logs and upload-sized timeouts", () => {
                const alb = one(run(), "aws:lb/loadBalancer:LoadBalancer");
                assert.equal(alb.inputs.internal, false);
                assert.equal(alb.inputs.loadBalancerType, "application");
                assert.deepEqual(alb.inputs.subnets, NETWORK.publicSubnetIds);
                assert.deepEqual(alb.inputs.securityGroups, [sgId(run(), "api-lb-sg")]);
                assert.equal(alb.inputs.dropInvalidHeaderFields, true);
                assert.equal(alb.inputs.idleTimeout, config.apiIdleTimeoutSeconds);
                assert.equal(alb.inputs.enableDeletionProtection, stack === "production");
                const logBucket = one(run(), "aws:s3/bucket:Bucket", "storage-logs").state.bucket;
                assert.deepEqual(alb.inputs.accessLogs, { bucket: logBucket, prefix: "alb", enabled: true });
                assert.ok(String(alb.state.name).length <= 32);
            });

            it("targets tasks by IP on 8000, drains for the request timeout, with the configured health check", () => {
                const tg = one(run(), "aws:lb/targetGroup:TargetGroup");
                assert.equal(tg.inputs.targetType, "ip");
                assert.equal(tg.inputs.port, 8000);
                assert.equal(tg.inputs.protocol, "HTTP");
                assert.equal(tg.inputs.vpcId, NETWORK.vpcId);
                // Uploads in flight finish before a task stops: the drain covers the idle timeout (draining.test.ts).
                assert.equal(tg.inputs.deregistrationDelay, config.apiIdleTimeoutSeconds);
                const hc = tg.inputs.healthCheck as Record<string, unknown>;
                assert.equal(hc.path, config.apiHealthCheckPath);
                assert.equal(hc.healthyThreshold, 2);
                assert.ok(String(tg.state.name).length <= 32);
            });

            it("scales between the configured bounds on CPU and on requests per target", () => {
                const target = one(run(), "aws:appautoscaling/target:Target");
                assert.equal(target.inputs.minCapacity, config.apiMinCount);
                assert.equal(target.inputs.maxCapacity, config.apiMaxCount);
                const cluster = one(run(), "aws:ecs/cluster:Cluster").state.name;
                const service = one(run(), "aws:ecs/service:Service").state.name;
                assert.equal(target.inputs.resourceId, `service/${cluster}/${service}`);
                const metrics = ofType(run(), "aws:appautoscaling/policy:Policy").map(
                    (p) =>
                        (p.inputs.targetTrackingScalingPolicyConfiguration as Record<string, Record<string, unknown>>)
                            .predefinedMetricSpecification,
                );
                const alb = one(run(), "aws:lb/loadBalancer:LoadBalancer").state.arnSuffix;
                const tg = one(run(), "aws:lb/targetGroup:TargetGroup").state.arnSuffix;
                assert.deepEqual(metrics, [
                    { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                    { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: `${alb}/${tg}` },
                ]);
            });
        });
    }

    describe("production", () => {
        it("serves HTTPS on 443 with the TLS 1.3/1.2 policy and a DNS-validated certificate", () => {
            const https = one(production, LISTENER, "api-lb-https");
            assert.equal(https.inputs.port, 443);
            assert.equal(https.inputs.protocol, "HTTPS");
            assert.equal(https.inputs.sslPolicy, DEFAULT_SSL_POLICY);
            assert.equal(DEFAULT_SSL_POLICY, "ELBSecurityPolicy-TLS13-1-2-2021-06");
            const tg = one(production, "aws:lb/targetGroup:TargetGroup");
            assert.deepEqual(https.inputs.defaultActions, [{ type: "forward", targetGroupArn: tg.state.arn }]);
            assert.equal(https.inputs.loadBalancerArn, one(production, "aws:lb/loadBalancer:LoadBalancer").state.arn);
            const cert = one(production, "aws:acm/certificate:Certificate");
            assert.equal(cert.inputs.domainName, "api.migrations.example.com");
            assert.equal(cert.inputs.validationMethod, "DNS");
            const validation = one(production, "aws:acm/certificateValidation:CertificateValidation");
            assert.equal(validation.inputs.certificateArn, cert.state.arn);
            assert.equal(https.inputs.certificateArn, cert.state.arn);
            const record = one(production, "aws:route53/record:Record", "api-lb-cert-validation");
            assert.equal(record.inputs.zoneId, "Z0123456789ABCDEFGHIJ");
            assert.equal(record.inputs.type, "CNAME");
            assert.deepEqual(validation.inputs.validationRecordFqdns, [record.state.fqdn]);
        });

        it("redirects port 80 to 443", () => {
            const http = one(production, LISTENER, "api-lb-http");
            assert.equal(http.inputs.port, 80);
            assert.deepEqual(http.inputs.defaultActions, [
                { type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } },
            ]);
        });

        it("points an alias record for the domain at the ALB, and says https in the outputs", () => {
            const alb = one(production, "aws:lb/loadBalancer:LoadBalancer");
            const alias = one(production, "aws:route53/record:Record", "api-lb-alias");
            assert.equal(alias.inputs.name, "api.migrations.example.com");
            assert.equal(alias.inputs.type, "A");
            assert.deepEqual(alias.inputs.aliases, [
                { name: alb.state.dnsName, zoneId: alb.state.zoneId, evaluateTargetHealth: true },
            ]);
            assert.equal(production.outputs.url, "https://api.migrations.example.com");
            assert.equal(production.outputs.httpsEnabled, true);
        });

        it("uses an existing certificate ARN instead of issuing one", async () => {
            const arn = "arn:aws:acm:us-east-1:123456789012:certificate/44444444-4444-4444-a444-444444444444";
            const run = await buildStack("production", {
                api: true,
                overrides: { "migration-api:certificateArn": arn },
            });
            assert.equal(ofType(run, "aws:acm/certificate:Certificate").length, 0);
            assert.equal(one(run, LISTENER, "api-lb-https").inputs.certificateArn, arn);
        });

        it("associates a WAF web ACL with the managed rule groups and a rate limit, letting uploads through", () => {
            const acl = one(production, "aws:wafv2/webAcl:WebAcl");
            assert.equal(acl.inputs.scope, "REGIONAL");
            const rules = acl.inputs.rules as Record<string, Record<string, Record<string, unknown>>>[];
            const managed = rules.filter((r) => r.statement.managedRuleGroupStatement);
            assert.deepEqual(
                managed.map((r) => r.statement.managedRuleGroupStatement.name),
                [...MANAGED_RULE_GROUPS],
            );
            assert.deepEqual(MANAGED_RULE_GROUPS, [
                "AWSManagedRulesAmazonIpReputationList",
                "AWSManagedRulesCommonRuleSet",
                "AWSManagedRulesKnownBadInputsRuleSet",
                "AWSManagedRulesSQLiRuleSet",
            ]);
            const common = managed.find((r) => r.name === ("AWSManagedRulesCommonRuleSet" as unknown));
            assert.deepEqual(common?.statement.managedRuleGroupStatement.ruleActionOverrides, [
                { name: "SizeRestrictions_BODY", actionToUse: { count: {} } },
            ]);
            const rate = rules.find((r) => r.statement.rateBasedStatement);
            assert.equal(rate?.statement.rateBasedStatement.limit, stackConfig("production").wafRateLimitPer5Minutes);
            assert.deepEqual(rate?.action, { block: {} });
            const association = one(production, "aws:wafv2/webAclAssociation:WebAclAssociation");
            assert.equal(association.inputs.resourceArn, one(production, "aws:lb/loadBalancer:LoadBalancer").state.arn);
            assert.equal(association.inputs.webAclArn, acl.state.arn);
            assert.equal(production.outputs.webAclArn, acl.state.arn);
            const logging = one(production, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
            const wafLogs = one(production, "aws:cloudwatch/logGroup:LogGroup", "api-waf-logs");
            assert.match(String(wafLogs.state.name), /^aws-waf-logs-/);
            assert.deepEqual(logging.inputs.logDestinationConfigs, [wafLogs.state.arn]);
        });

        it("names the web ACL after project and stack, its metric name the same, and exposes it as webAclName", () => {
            const acl = one(production, "aws:wafv2/webAcl:WebAcl");
            assert.equal(acl.name, "api-waf");
            assert.equal(acl.inputs.name, "migration-api-production-waf");
            assert.equal((acl.inputs.visibilityConfig as { metricName: string }).metricName, acl.inputs.name);
            const component = one(production, "migration-api:api:ApiService");
            assert.equal(component.componentOutputs?.webAclName, "migration-api-production-waf");
        });

        it("takes an explicit webAclName for the ACL's name and metric name", async () => {
            const run = await buildStack("production", {
                api: true,
                apiArgs: (args) => ({ ...args, webAclName: "edge_acl-1" }),
            });
            const acl = one(run, "aws:wafv2/webAcl:WebAcl");
            assert.equal(acl.inputs.name, "edge_acl-1");
            assert.equal((acl.inputs.visibilityConfig as { metricName: string }).metricName, "edge_acl-1");
            assert.equal(one(run, "migration-api:api:ApiService").componentOutputs?.webAclName, "edge_acl-1");
        });

        it("hands wafUploadPathPrefixes to the web ACL: oversized bodies and body attacks blocked elsewhere", async () => {
            const withPrefixes = (prefixes?: readonly string[]) =>
                buildStack("production", {
                    api: true,
                    apiArgs: (args) => ({ ...args, wafUploadPathPrefixes: prefixes }),
                });
            const ruleNames = (run: StackRun) =>
                (one(run, "aws:wafv2/webAcl:WebAcl").inputs.rules as { name: string; priority: number }[])
                    .sort((a, b) => a.priority - b.priority)
                    .map((r) => r.name);
            const byDefault = await withPrefixes(undefined);
            assert.deepEqual(ruleNames(byDefault), [...MANAGED_RULE_GROUPS, "RateLimitPerIp"]);
            const run = await withPrefixes(["/uploads", "/imports"]);
            assert.deepEqual(ruleNames(run), [
                "AWSManagedRulesAmazonIpReputationList",
                "AWSManagedRulesCommonRuleSet",
                OVERSIZED_BODY_RULE,
                "AWSManagedRulesKnownBadInputsRuleSet",
                "AWSManagedRulesSQLiRuleSet",
                BODY_ATTACK_RULE,
                "RateLimitPerIp",
            ]);
            const rules = one(run, "aws:wafv2/webAcl:WebAcl").inputs.rules as {
                name: string;
                action: unknown;
                statement: unknown;
            }[];
            const rule = rules.find((r) => r.name === OVERSIZED_BODY_RULE);
            assert.deepEqual(rule?.action, { block: {} });
            assert.deepEqual(rule?.statement, oversizedBodyStatement(["/uploads", "/imports"]));
            const bodyRule = rules.find((r) => r.name === BODY_ATTACK_RULE);
            assert.deepEqual(bodyRule?.action, { block: {} });
            assert.deepEqual(bodyRule?.statement, bodyAttackStatement(["/uploads", "/imports"]));
        });

        it("runs on-demand Fargate only, without ECS Exec, with X-Ray tracing", () => {
            const service = one(production, "aws:ecs/service:Service");
            assert.deepEqual(service.inputs.capacityProviderStrategies, [
                { capacityProvider: "FARGATE", base: 0, weight: 1 },
            ]);
            assert.equal(service.inputs.enableExecuteCommand, false);
            const containers = containersOf(apiTaskDef(production));
            assert.deepEqual(
                containers.map((c) => c.name),
                ["api", "xray-daemon"],
            );
            const sids = statementsOf(
                one(production, "aws:iam/rolePolicy:RolePolicy", "api-roles-task").inputs.policy,
            ).map((s) => s.Sid);
            assert.ok(sids.includes("XRayWrite"));
            assert.ok(!sids.includes("EcsExecChannels"));
        });
    });

    describe("staging", () => {
        it("serves plain HTTP without a domain, and says so", () => {
            const listeners = ofType(staging, LISTENER);
            assert.equal(listeners.length, 1);
            const tg = one(staging, "aws:lb/targetGroup:TargetGroup");
            assert.equal(listeners[0].inputs.port, 80);
            assert.deepEqual(listeners[0].inputs.defaultActions, [{ type: "forward", targetGroupArn: tg.state.arn }]);
            assert.equal(ofType(staging, "aws:acm/certificate:Certificate").length, 0);
            assert.equal(ofType(staging, "aws:route53/record:Record").length, 0);
            assert.equal(staging.outputs.httpsEnabled, false);
            assert.equal(staging.outputs.url, `http://${staging.outputs.albDnsName}`);
            assert.match(String(staging.outputs.url), /^http:\/\/api-lb-/);
        });

        it("has no WAF when it is off", () => {
            assert.equal(ofType(staging, "aws:wafv2/webAcl:WebAcl").length, 0);
            assert.equal(ofType(staging, "aws:wafv2/webAclAssociation:WebAclAssociation").length, 0);
            assert.equal(staging.outputs.webAclArn, undefined);
        });

        it("allows ECS Exec and Fargate Spot above an on-demand base, without tracing", () => {
            const service = one(staging, "aws:ecs/service:Service");
            assert.equal(service.inputs.enableExecuteCommand, true);
            assert.deepEqual(service.inputs.capacityProviderStrategies, [
                { capacityProvider: "FARGATE", base: 1, weight: 1 },
                { capacityProvider: "FARGATE_SPOT", weight: 3 },
            ]);
            const sids = statementsOf(
                one(staging, "aws:iam/rolePolicy:RolePolicy", "api-roles-task").inputs.policy,
            ).map((s) => s.Sid);
            assert.ok(sids.includes("EcsExecChannels"));
            assert.ok(!sids.includes("XRayWrite"));
            assert.deepEqual(
                containersOf(apiTaskDef(staging)).map((c) => c.name),
                ["api"],
            );
        });

        it("puts WAF on the staging ALB when enabled", async () => {
            const run = await buildStack("staging", { api: true, overrides: { "migration-api:wafEnabled": "true" } });
            const association = one(run, "aws:wafv2/webAclAssociation:WebAclAssociation");
            assert.equal(association.inputs.resourceArn, one(run, "aws:lb/loadBalancer:LoadBalancer").state.arn);
        });

        it("gives each stack its own web ACL name, as stacks may share an account", async () => {
            const run = await buildStack("staging", { api: true, overrides: { "migration-api:wafEnabled": "true" } });
            const stagingName = one(run, "aws:wafv2/webAcl:WebAcl").inputs.name;
            assert.equal(stagingName, "migration-api-staging-waf");
            assert.notEqual(stagingName, one(production, "aws:wafv2/webAcl:WebAcl").inputs.name);
            assert.equal(one(run, "migration-api:api:ApiService").componentOutputs?.webAclName, stagingName);
            assert.equal(one(staging, "migration-api:api:ApiService").componentOutputs?.webAclName, undefined);
        });

        it("pins an image digest with @", async () => {
            const digest = `sha256:${"a".repeat(64)}`;
            const run = await buildStack("staging", { api: true, overrides: { "migration-api:apiImageTag": digest } });
            const repoUrl = one(run, "aws:ecr/repository:Repository").state.repositoryUrl;
            assert.equal(containersOf(apiTaskDef(run))[0].image, `${repoUrl}@${digest}`);
        });
    });

    describe("bad input", () => {
        const base = validApiServiceArgs;
        const messages = (change: Partial<ApiServiceArgs>, name = "api") =>
            apiServiceArgProblems(name, { ...base(), ...change }).messages;

        it("accepts good args", () => {
            assert.deepEqual(messages({}), []);
            assert.deepEqual(messages({ domainName: undefined, hostedZoneId: undefined, requireHttps: false }), []);
            assert.deepEqual(messages({ imageTag: `sha256:${"0".repeat(64)}` }), []);
        });

        it("rejects an invalid cpu/memory pair", () => {
            assert.deepEqual(messages({ cpu: 256, memoryMiB: 4096 }), [
                "`cpu` 256 allows `memoryMiB` 512, 1024, 2048; got 4096.",
            ]);
            assert.deepEqual(messages({ cpu: 1024, memoryMiB: 1024 }), [
                "`cpu` 1024 allows `memoryMiB` 2048 to 8192 in steps of 1024; got 1024.",
            ]);
            assert.deepEqual(messages({ cpu: 300 }), [
                "`cpu` must be one of 256, 512, 1024, 2048, 4096, 8192, 16384; got 300.",
            ]);
        });

        it("rejects a desired count below 2 or above max, and min above max", () => {
            assert.deepEqual(messages({ desiredCount: 1 }), [
                "`desiredCount` must be at least 2, so the service survives the loss of a task or an AZ; got 1.",
            ]);
            assert.deepEqual(messages({ desiredCount: 7 }), [
                "`desiredCount` must be from `minCount` (2) to `maxCount` (6); got 7.",
            ]);
            assert.deepEqual(messages({ minCount: 8, maxCount: 6, desiredCount: 6 }), [
                "`minCount` (8) must not exceed `maxCount` (6).",
                "`desiredCount` must be from `minCount` (8) to `maxCount` (6); got 6.",
            ]);
        });

        it("rejects a bad image reference", () => {
            assert.deepEqual(messages({ imageTag: "repo/api:latest" }), [
                '`imageTag` must be an image tag (e.g. "1.4.2") or a digest ("sha256:" and 64 hex digits); got "repo/api:latest".',
            ]);
            assert.deepEqual(messages({ imageTag: "sha256:abc" }), [
                '`imageTag` must be an image tag (e.g. "1.4.2") or a digest ("sha256:" and 64 hex digits); got "sha256:abc".',
            ]);
        });

        it("rejects a health-check path without a leading /", () => {
            assert.deepEqual(messages({ healthCheckPath: "health" }), [
                '`healthCheckPath` must be a URL path starting with "/"; got "health".',
            ]);
        });

        it("rejects a domain without a hosted zone, and a hosted zone without a domain", () => {
            assert.deepEqual(messages({ hostedZoneId: undefined }), [
                "`domainName` and `hostedZoneId` go together; got only the domain.",
            ]);
            assert.deepEqual(messages({ domainName: undefined, requireHttps: false }), [
                "`domainName` and `hostedZoneId` go together; got only the hosted zone.",
            ]);
        });

        it("rejects no domain where HTTPS is required (production)", () => {
            assert.deepEqual(messages({ domainName: undefined, hostedZoneId: undefined }), [
                "`domainName` is required when `requireHttps` is true: without a domain the load balancer serves only plain HTTP; got nothing.",
            ]);
        });

        it("rejects a bad CIDR", () => {
            assert.deepEqual(messages({ allowedIngressCidrs: ["10.0.0.0/8", "10.0.0.1/8"] }), [
                '`allowedIngressCidrs[1]` must be an IPv4 CIDR block with a prefix from /0 to /32 and no host bits set (e.g. "10.0.0.0/16"); got "10.0.0.1/8".',
            ]);
            assert.deepEqual(messages({ allowedIngressCidrs: [] }), [
                "`allowedIngressCidrs` must list at least one CIDR block; got [].",
            ]);
        });

        it("rejects a WAF rate limit below WAF's minimum, only when WAF is on", () => {
            assert.deepEqual(messages({ wafRateLimitPer5Minutes: 50 }), [
                "`wafRateLimitPer5Minutes` must be an integer from 100 to 2000000000; got 50.",
            ]);
            assert.deepEqual(messages({ wafRateLimitPer5Minutes: 50, wafEnabled: false }), []);
        });

        it("rejects a web ACL name WAF refuses, only when WAF is on", () => {
            assert.deepEqual(messages({ webAclName: "migration api" }), [
                '`webAclName` must be 1 to 128 letters, digits, hyphens or underscores; got "migration api".',
            ]);
            assert.deepEqual(messages({ webAclName: "x".repeat(129) }), [
                `\`webAclName\` must be 1 to 128 letters, digits, hyphens or underscores; got "${"x".repeat(129)}".`,
            ]);
            assert.deepEqual(messages({ webAclName: "x".repeat(128) }), []);
            assert.deepEqual(messages({ webAclName: "migration api", wafEnabled: false }), []);
        });

        it("rejects WAF upload path prefixes without a leading /, too long, or with other characters", () => {
            assert.deepEqual(messages({ wafUploadPathPrefixes: ["/uploads", "/imports/"] }), []);
            assert.deepEqual(
                messages({ wafUploadPathPrefixes: ["uploads", `/${"u".repeat(200)}`, "/up?load", "/a b"] }),
                [
                    '`wafUploadPathPrefixes[0]` must start with "/"; got "uploads".',
                    "`wafUploadPathPrefixes[1]` must be at most 200 characters (WAF's limit for a search string); got 201.",
                    '`wafUploadPathPrefixes[2]` must contain only URL path characters (letters, digits and -._~!$&\'()*+,;=:@/); got "/up?load".',
                    '`wafUploadPathPrefixes[3]` must contain only URL path characters (letters, digits and -._~!$&\'()*+,;=:@/); got "/a b".',
                ],
            );
            assert.deepEqual(messages({ wafUploadPathPrefixes: ["uploads"], wafEnabled: false }), []);
        });

        it("checks the default web ACL name, which a stack name may make invalid", async () => {
            await assert.rejects(
                simulate({ ...settingsFor("production"), stack: "prod.v2" }, () => {
                    new ApiService("api", base());
                }),
                (error: unknown) => {
                    assert.deepEqual(problemLines(error), [
                        '`webAclName` must be 1 to 128 letters, digits, hyphens or underscores; got "migration-api-prod.v2-waf".',
                    ]);
                    return true;
                },
            );
        });

        it("rejects a name too long for the load balancer and target group names", () => {
            assert.deepEqual(messages({}, "a".repeat(18)), []);
            assert.deepEqual(messages({}, "a".repeat(19)), [
                `\`name\` must be at most 18 lowercase letters, digits or hyphens, so the names derived from it fit AWS's limits (32 for load balancers); got "${"a".repeat(19)}".`,
            ]);
        });

        it("throws every problem before creating any child", async () => {
            await assert.rejects(
                simulate(settingsFor("production"), () => {
                    new ApiService("api", { ...base(), cpu: 256, memoryMiB: 4096, healthCheckPath: "health" });
                }),
                (error: unknown) => {
                    assert.deepEqual(problemLines(error), [
                        "`cpu` 256 allows `memoryMiB` 512, 1024, 2048; got 4096.",
                        '`healthCheckPath` must be a URL path starting with "/"; got "health".',
                    ]);
                    assert.match((error as Error).message, /^invalid arguments for ApiService api:/);
                    return true;
                },
            );
        });
    });
});
