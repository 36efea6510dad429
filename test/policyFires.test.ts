import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { evaluatePolicies, loadPolicyConfig, PolicyReport, resolvePolicyConfig } from "../policy/evaluator";
import { allPolicies } from "../policy/policies";
import { EvaluatorResource, fromRecorded, readResourceFile } from "../policy/resources";
import { checkPolicies, main } from "../tools/preview-offline";
import { REPO_ROOT, runStack, StackRun } from "../tools/sim";

/**
 * Issue 6: every mandatory policy of production's config fires. Each case breaks the real
 * production stack the way the policy guards against, either with a config override (a real
 * run of the program) or with a one-field edit of one real resource in the recorded list, and
 * shows that the offline check then reports that policy, mandatory, with the exact message.
 * A policy no case can make fire is a defect of the policy, not of this test.
 */

const PRODUCTION_CONFIG = path.join(REPO_ROOT, "policy", "config", "production.json");
const PROJECT_URN = "urn:pulumi:production::migration-api";

type Resources = EvaluatorResource[];
type Props = Record<string, unknown>;

/** The unbroken production stack, as the cases read it. */
class Baseline {
    constructor(readonly resources: Resources) {}

    find(type: string, name: string): EvaluatorResource {
        const found = this.resources.filter((r) => r.type === type && r.name === name);
        assert.equal(found.length, 1, `production has exactly one ${type} named ${name}`);
        return found[0];
    }

    urn(type: string, name: string): string {
        return this.find(type, name).urn;
    }

    props(type: string, name: string): Props {
        return this.find(type, name).props;
    }

    ofType(type: string): EvaluatorResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** A deep copy of the list with one resource's props changed by `change`. */
    edit(type: string, name: string, change: (props: Props) => void): Resources {
        const target = this.find(type, name);
        return this.resources.map((r) => {
            if (r !== target) return structuredClone(r);
            const copy = structuredClone(r);
            change(copy.props);
            return copy;
        });
    }

    /** A deep copy of the list without the resources `match` picks and everything under them. */
    drop(match: (r: EvaluatorResource) => boolean): Resources {
        const gone = new Set<string>();
        for (const r of this.resources) if (match(r) || (r.parent && gone.has(r.parent))) gone.add(r.urn);
        return this.resources.filter((r) => !gone.has(r.urn)).map((r) => structuredClone(r));
    }

    /** A deep copy of the list with extra resources. */
    add(...extra: EvaluatorResource[]): Resources {
        return [...this.resources.map((r) => structuredClone(r)), ...extra];
    }
}

const T = {
    subnet: "aws:ec2/subnet:Subnet",
    vpc: "aws:ec2/vpc:Vpc",
    backupPlan: "aws:backup/plan:Plan",
    bucketSse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
    bucket: "aws:s3/bucket:Bucket",
    cluster: "aws:rds/cluster:Cluster",
    clusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    clusterParams: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    ecrRepo: "aws:ecr/repository:Repository",
    ecsService: "aws:ecs/service:Service",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    kmsKey: "aws:kms/key:Key",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    rdsInstance: "aws:rds/instance:Instance",
    rdsParams: "aws:rds/parameterGroup:ParameterGroup",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    secret: "aws:secretsmanager/secret:Secret",
    snsTopic: "aws:sns/topic:Topic",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
} as const;

interface Expected {
    urn: string;
    message: string;
}

interface Case {
    policy: string;
    /** What the break is, for the test title. */
    breaks: string;
    /**
     * Config overrides: the stack is run again with them through the offline preview command
     * (`--set ... --json FILE`), which must exit 1 and name the policy; the written resources
     * are then evaluated like the edited lists.
     */
    overrides?: string[];
    /** Otherwise: the production resource list, broken. */
    edit?: (b: Baseline) => Resources;
    /** Every violation of `policy` the break must produce (all mandatory), in report order. */
    expect: (b: Baseline) => Expected[];
    /** Other policies the same break rightly trips as well. */
    alsoFires?: string[];
}

const tags = (b: Baseline): Props => structuredClone(b.props(T.cluster, "database-cluster").tagsAll) as Props;
const databaseKeyArn = (b: Baseline): string => b.props(T.cluster, "database-cluster").kmsKeyId as string;
const inDatabase = (type: string, name: string) => `${PROJECT_URN}::migration-api:database:Database$${type}::${name}`;
const DATABASE_COMPONENT = `${PROJECT_URN}::migration-api:database:Database::database`;

/** A resource added to the list as the program would record it (inputs and state merged in props). */
function added(type: string, name: string, props: Props, parent = DATABASE_COMPONENT): EvaluatorResource {
    return {
        urn: parent === DATABASE_COMPONENT ? inDatabase(type, name) : `${parent}$${type}::${name}`,
        type,
        name,
        props,
        parent,
        protect: false,
        dependencies: [],
    };
}

const cases: Case[] = [
    // Encryption
    {
        policy: "rds-database-require-storage-encryption",
        breaks: "the Aurora cluster with storageEncrypted false",
        edit: (b) => b.edit(T.cluster, "database-cluster", (p) => (p.storageEncrypted = false)),
        expect: (b) => [
            {
                urn: b.urn(T.cluster, "database-cluster"),
                message: 'RDS cluster "database-cluster" has storageEncrypted false; it must be true.',
            },
        ],
    },
    {
        policy: "rds-database-require-performance-insights-encryption",
        breaks: "one cluster instance's Performance Insights key removed (AWS would use aws/rds)",
        edit: (b) => b.edit(T.clusterInstance, "database-instance-2", (p) => delete p.performanceInsightsKmsKeyId),
        expect: (b) => [
            {
                urn: b.urn(T.clusterInstance, "database-instance-2"),
                message:
                    'Aurora instance "database-instance-2" has performanceInsightsKmsKeyId unset; it must be a customer-managed KMS key.',
            },
        ],
    },
    {
        policy: "s3-bucket-require-encryption",
        breaks: "the uploads bucket's SSE switched to AES256",
        edit: (b) =>
            b.edit(T.bucketSse, "storage-uploads-encryption", (p) => {
                p.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }];
            }),
        expect: (b) => [
            {
                urn: b.urn(T.bucket, "storage-uploads"),
                message: 'S3 bucket "storage-uploads" has sseAlgorithm "AES256"; it must be "aws:kms".',
            },
        ],
    },
    {
        policy: "kms-key-enable-rotation",
        breaks: "the database key with enableKeyRotation false",
        edit: (b) => b.edit(T.kmsKey, "database-key-key", (p) => (p.enableKeyRotation = false)),
        expect: (b) => [
            {
                urn: b.urn(T.kmsKey, "database-key-key"),
                message: 'KMS key "database-key-key" has enableKeyRotation false; it must be true.',
            },
        ],
    },
    {
        policy: "cloudwatch-log-group-require-kms",
        breaks: "the API log group without kmsKeyId",
        edit: (b) => b.edit(T.logGroup, "api-logs", (p) => delete p.kmsKeyId),
        expect: (b) => [
            {
                urn: b.urn(T.logGroup, "api-logs"),
                message: 'CloudWatch log group "api-logs" has kmsKeyId unset; it must be a customer-managed KMS key.',
            },
        ],
    },
    {
        policy: "sns-topic-require-kms",
        breaks: "the alarm topic on the AWS-managed alias/aws/sns key",
        edit: (b) => b.edit(T.snsTopic, "observability-alarms", (p) => (p.kmsMasterKeyId = "alias/aws/sns")),
        expect: (b) => [
            {
                urn: b.urn(T.snsTopic, "observability-alarms"),
                message:
                    'SNS topic "observability-alarms" has kmsMasterKeyId "alias/aws/sns"; it must be a customer-managed KMS key.',
            },
        ],
    },
    {
        policy: "ecr-repository-require-kms",
        breaks: "the image repository with encryptionType AES256",
        edit: (b) =>
            b.edit(T.ecrRepo, "api-repo", (p) => (p.encryptionConfigurations = [{ encryptionType: "AES256" }])),
        expect: (b) => [
            {
                urn: b.urn(T.ecrRepo, "api-repo"),
                message: 'ECR repository "api-repo" has encryptionType "AES256"; it must be "KMS".',
            },
        ],
    },
    {
        // The stack has no aws:secretsmanager/secret:Secret (the master password is RDS-managed,
        // encrypted with the database key), so the break ADDS an application secret without kmsKeyId.
        policy: "secretsmanager-secret-require-kms",
        breaks: "an added application secret without kmsKeyId (the stack has no Secret resource)",
        edit: (b) =>
            b.add(
                added(T.secret, "database-app-credentials", {
                    name: "migration-api-production/app-credentials",
                    recoveryWindowInDays: 30,
                    tagsAll: tags(b),
                    id: "arn:aws:secretsmanager:us-east-1:123456789012:secret:migration-api-production/app-credentials-AbCdEf",
                }),
            ),
        expect: () => [
            {
                urn: inDatabase(T.secret, "database-app-credentials"),
                message:
                    'Secrets Manager secret "database-app-credentials" has kmsKeyId unset; it must be a customer-managed KMS key.',
            },
        ],
    },
    {
        policy: "lb-listener-require-https",
        breaks: "the HTTP listener forwarding to the targets instead of redirecting to HTTPS",
        edit: (b) => {
            const target = (b.props(T.listener, "api-lb-https").defaultActions as Props[])[0].targetGroupArn;
            return b.edit(T.listener, "api-lb-http", (p) => {
                p.defaultActions = [{ type: "forward", targetGroupArn: target }];
            });
        },
        expect: (b) => [
            {
                urn: b.urn(T.listener, "api-lb-http"),
                message:
                    'Load balancer listener "api-lb-http" has protocol "HTTP" with default actions [forward]; it must be "HTTPS", or "HTTP" whose only action is a redirect to HTTPS.',
            },
        ],
    },
    {
        policy: "rds-database-require-tls",
        breaks: "the cluster parameter group with rds.force_ssl 0",
        edit: (b) =>
            b.edit(T.clusterParams, "database-params", (p) => {
                p.parameters = (p.parameters as Props[]).map((x) =>
                    x.name === "rds.force_ssl" ? { ...x, value: "0" } : x,
                );
            }),
        expect: (b) => [
            {
                urn: b.urn(T.cluster, "database-cluster"),
                message: `RDS cluster "database-cluster" uses parameter group ${JSON.stringify(
                    b.props(T.cluster, "database-cluster").dbClusterParameterGroupName,
                )} with rds.force_ssl "0"; it must be "1".`,
            },
        ],
    },
    // Availability
    {
        policy: "aurora-cluster-require-multi-az-instances",
        breaks: "every cluster instance pinned to one availability zone",
        edit: (b) => {
            let list = b.resources;
            for (const i of b.ofType(T.clusterInstance)) {
                list = new Baseline(list).edit(T.clusterInstance, i.name, (p) => (p.availabilityZone = "us-east-1a"));
            }
            return list;
        },
        expect: (b) => [
            {
                urn: b.urn(T.cluster, "database-cluster"),
                message:
                    'Aurora cluster "database-cluster" has instances in 1 availability zone [us-east-1a]; they must span at least 2 (set availabilityZone on each instance).',
            },
        ],
    },
    {
        // The stack's database is Aurora only: the break ADDS a non-Aurora PostgreSQL instance,
        // compliant with every other policy (encrypted, 35-day backups, deletion protection,
        // final snapshot, a TLS parameter group of its own) but single-AZ.
        policy: "rds-instance-enable-multi-az",
        breaks: "an added non-Aurora RDS instance with multiAz false (the stack has none)",
        edit: (b) =>
            b.add(
                added(T.rdsParams, "database-reporting-params", {
                    name: "database-reporting-params-1a2b3c4",
                    family: "postgres16",
                    parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
                    tagsAll: tags(b),
                    id: "database-reporting-params-1a2b3c4",
                }),
                added(T.rdsInstance, "database-reporting", {
                    identifier: "database-reporting-5d6e7f8",
                    engine: "postgres",
                    engineVersion: "16.6",
                    instanceClass: "db.t4g.medium",
                    allocatedStorage: 50,
                    storageEncrypted: true,
                    kmsKeyId: databaseKeyArn(b),
                    multiAz: false,
                    backupRetentionPeriod: 35,
                    deletionProtection: true,
                    skipFinalSnapshot: false,
                    finalSnapshotIdentifier: "database-reporting-final-snapshot",
                    parameterGroupName: "database-reporting-params-1a2b3c4",
                    publiclyAccessible: false,
                    tagsAll: tags(b),
                    id: "database-reporting-5d6e7f8",
                }),
            ),
        expect: () => [
            {
                urn: inDatabase(T.rdsInstance, "database-reporting"),
                message: 'RDS instance "database-reporting" has multiAz false; it must be true.',
            },
        ],
    },
    {
        // What `apiDesiredCount=2` (with `apiMinCount=2`) makes the program declare.
        policy: "ecs-service-require-multi-az-tasks",
        breaks: "the API service with desiredCount 2",
        edit: (b) => b.edit(T.ecsService, "api-service", (p) => (p.desiredCount = 2)),
        expect: (b) => [
            {
                urn: b.urn(T.ecsService, "api-service"),
                message: 'ECS service "api-service" has desiredCount 2; it must be at least 3.',
            },
        ],
    },
    {
        policy: "lb-load-balancer-require-multi-az-subnets",
        breaks: "the load balancer in one public subnet",
        edit: (b) => b.edit(T.lb, "api-lb", (p) => (p.subnets = (p.subnets as string[]).slice(0, 1))),
        expect: (b) => [
            {
                urn: b.urn(T.lb, "api-lb"),
                message: 'Load balancer "api-lb" has 1 subnet; it must span at least 2, one per availability zone.',
            },
        ],
    },
    {
        // `availabilityZoneCount` cannot go below 2 in config: the awsx VPC's subnets (and what
        // hangs under them) outside the first zone are removed, leaving a one-zone VPC.
        policy: "vpc-network-require-multi-az",
        breaks: "the VPC's subnets in one zone only",
        edit: (b) =>
            b.drop(
                (r) =>
                    r.type === T.subnet &&
                    r.parent === b.urn(T.vpc, "network-vpc") &&
                    r.props.availabilityZone !== "us-east-1a",
            ),
        expect: (b) => [
            {
                urn: b.urn(T.vpc, "network-vpc"),
                message: 'VPC "network-vpc" has subnets in 1 availability zone; it must span at least 2.',
            },
        ],
    },
    {
        // A real run: awsx then makes one NAT gateway, in the first zone's public subnet.
        policy: "vpc-nat-gateway-require-one-per-az",
        breaks: "natGatewayStrategy=Single",
        overrides: ["natGatewayStrategy=Single"],
        expect: (b) => [
            {
                urn: b.urn(T.vpc, "network-vpc"),
                message:
                    'VPC "network-vpc" has NAT gateways in 1 of its 3 availability zones (none in us-east-1b, us-east-1c); it must have one per zone.',
            },
        ],
    },
    // Backup
    {
        policy: "rds-database-configure-backup-retention",
        breaks: "dbBackupRetentionDays=7",
        overrides: ["dbBackupRetentionDays=7"],
        expect: (b) => [
            {
                urn: b.urn(T.cluster, "database-cluster"),
                message: 'RDS cluster "database-cluster" has backupRetentionPeriod 7; it must be at least 35 (days).',
            },
        ],
        // The AWS Backup plan keeps recovery points as long as the cluster's own backups.
        alsoFires: ["backup-plan-configure-retention"],
    },
    {
        policy: "rds-database-enable-deletion-protection",
        breaks: "dbDeletionProtection=false",
        overrides: ["dbDeletionProtection=false"],
        expect: (b) => [
            {
                urn: b.urn(T.cluster, "database-cluster"),
                message: 'RDS cluster "database-cluster" has deletionProtection false; it must be true.',
            },
        ],
    },
    {
        // config.ts refuses `dbSkipFinalSnapshot=true` in production, so the cluster is edited.
        policy: "rds-database-require-final-snapshot",
        breaks: "the cluster with skipFinalSnapshot true",
        edit: (b) => b.edit(T.cluster, "database-cluster", (p) => (p.skipFinalSnapshot = true)),
        expect: (b) => [
            {
                urn: b.urn(T.cluster, "database-cluster"),
                message: 'RDS cluster "database-cluster" has skipFinalSnapshot true; it must be false.',
            },
        ],
    },
    {
        policy: "s3-bucket-enable-versioning",
        breaks: "the uploads bucket's versioning suspended",
        edit: (b) =>
            b.edit(T.bucketVersioning, "storage-uploads-versioning", (p) => {
                p.versioningConfiguration = { status: "Suspended" };
            }),
        expect: (b) => [
            {
                urn: b.urn(T.bucket, "storage-uploads"),
                message: 'S3 bucket "storage-uploads" has versioning "Suspended"; it must be "Enabled".',
            },
        ],
    },
    {
        policy: "backup-plan-configure-retention",
        breaks: "the backup plan's DR copy kept 14 days",
        edit: (b) =>
            b.edit(T.backupPlan, "database-backup-plan", (p) => {
                for (const rule of p.rules as { copyActions: { lifecycle: Props }[] }[])
                    for (const copy of rule.copyActions) copy.lifecycle.deleteAfter = 14;
            }),
        expect: (b) => [
            {
                urn: b.urn(T.backupPlan, "database-backup-plan"),
                message:
                    'Backup plan "database-backup-plan" rule "daily-with-dr-copy" copies to a vault with lifecycle.deleteAfter 14; it must be at least 35 (days).',
            },
        ],
    },
    // Network
    {
        policy: "ec2-security-group-disallow-public-ingress",
        breaks: "the database's ingress rule opened to 0.0.0.0/0 on 5432",
        edit: (b) =>
            b.edit(T.ingressRule, "database-from-api-tasks", (p) => {
                delete p.referencedSecurityGroupId;
                p.cidrIpv4 = "0.0.0.0/0";
            }),
        expect: (b) => [
            {
                urn: b.urn(T.ingressRule, "database-from-api-tasks"),
                message:
                    'Security group ingress rule "database-from-api-tasks" allows ingress from 0.0.0.0/0 on port 5432; only an internet-facing load balancer\'s security group may, on TCP port 80 or 443.',
            },
        ],
    },
    {
        policy: "rds-database-disallow-public-access",
        breaks: "one cluster instance publicly accessible",
        edit: (b) => b.edit(T.clusterInstance, "database-instance-1", (p) => (p.publiclyAccessible = true)),
        expect: (b) => [
            {
                urn: b.urn(T.clusterInstance, "database-instance-1"),
                message: 'Aurora instance "database-instance-1" has publiclyAccessible true; it must be false.',
            },
        ],
    },
    {
        policy: "ecs-service-disallow-public-ip",
        breaks: "the API service's tasks given public IPs",
        edit: (b) =>
            b.edit(T.ecsService, "api-service", (p) => {
                (p.networkConfiguration as Props).assignPublicIp = true;
            }),
        expect: (b) => [
            {
                urn: b.urn(T.ecsService, "api-service"),
                message: 'ECS service "api-service" has networkConfiguration.assignPublicIp true; it must be false.',
            },
        ],
    },
    // Security
    {
        policy: "iam-policy-disallow-wildcard-admin",
        breaks: 'the task role policy with an Allow "*" on "*" statement',
        edit: (b) =>
            b.edit(T.rolePolicy, "api-roles-task", (p) => {
                const doc = JSON.parse(p.policy as string) as { Statement: Props[] };
                doc.Statement.push({ Sid: "Debug", Effect: "Allow", Action: "*", Resource: "*" });
                p.policy = JSON.stringify(doc, null, 2);
            }),
        expect: (b) => [
            {
                urn: b.urn(T.rolePolicy, "api-roles-task"),
                message:
                    'IAM role policy "api-roles-task" has statement "Debug" allowing Action "*" on Resource "*"; no statement may allow every action on every resource.',
            },
        ],
    },
    {
        policy: "ecs-task-definition-require-read-only-root",
        breaks: "the API container with a writable root file system",
        edit: (b) =>
            b.edit(T.taskDefinition, "api-task", (p) => {
                const containers = JSON.parse(p.containerDefinitions as string) as Props[];
                for (const c of containers) if (c.name === "api") c.readonlyRootFilesystem = false;
                p.containerDefinitions = JSON.stringify(containers);
            }),
        expect: (b) => [
            {
                urn: b.urn(T.taskDefinition, "api-task"),
                message:
                    'ECS task definition "api-task" has container "api" with readonlyRootFilesystem false; it must be true.',
            },
        ],
    },
    // Observability
    {
        policy: "cloudwatch-log-group-configure-retention",
        breaks: "logRetentionDays=30",
        overrides: ["logRetentionDays=30"],
        expect: (b) =>
            b.ofType(T.logGroup).map((g) => ({
                urn: g.urn,
                message: `CloudWatch log group "${g.name}" has retentionInDays 30; it must be at least 365.`,
            })),
    },
    // Cost
    {
        policy: "aws-resource-require-cost-tags",
        breaks: "the API service without the CostCenter tag",
        edit: (b) => b.edit(T.ecsService, "api-service", (p) => delete (p.tagsAll as Props).CostCenter),
        expect: (b) => [
            {
                urn: b.urn(T.ecsService, "api-service"),
                message:
                    'aws:ecs/service:Service "api-service" is missing the tags CostCenter; it must carry Project, Environment, ManagedBy, Stack, CostCenter.',
            },
        ],
    },
];

/** The policies production enforces as mandatory (remediate reports as mandatory too). */
function mandatoryInProduction(): string[] {
    const resolved = resolvePolicyConfig(allPolicies, loadPolicyConfig(PRODUCTION_CONFIG));
    return [...resolved]
        .filter(([, r]) => r.enforcementLevel === "mandatory" || r.enforcementLevel === "remediate")
        .map(([name]) => name)
        .sort();
}

const evaluateProduction = (resources: Resources): Promise<PolicyReport> =>
    evaluatePolicies(resources, { config: loadPolicyConfig(PRODUCTION_CONFIG) });

interface CommandRun {
    code: number;
    /** Everything the command printed, stdout and stderr. */
    text: string;
    /** The resources it wrote with --json. */
    resources: Resources;
}

describe("every mandatory policy fires on a broken production stack (issue 6)", function () {
    let production: StackRun;
    let staging: StackRun;
    let baseline: Baseline;
    let baselineReport: PolicyReport;
    let scratch: string;
    /** Command runs by their overrides: a case and a command test with the same break share one run. */
    const commandRuns = new Map<string, CommandRun>();

    before(async function () {
        scratch = mkdtempSync(path.join(tmpdir(), "policy-fires-"));
        // Runs are process-global: one at a time.
        production = await runStack("production");
        staging = await runStack("staging");
        baseline = new Baseline(production.resources.map(fromRecorded));
        baselineReport = await evaluateProduction(baseline.resources);
    });

    after(() => {
        if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    /** `npm run preview:offline -- --stack production --set ... --quiet --json FILE`, in process. */
    async function previewProduction(overrides: string[]): Promise<CommandRun> {
        const key = JSON.stringify(overrides);
        const cached = commandRuns.get(key);
        if (cached) return cached;
        const file = path.join(scratch, `run-${commandRuns.size}.json`);
        const lines: string[] = [];
        const code = await main(
            ["--stack", "production", ...overrides.flatMap((o) => ["--set", o]), "--quiet", "--json", file],
            { out: (...t) => lines.push(...t), err: (t) => lines.push(t) },
        );
        const run = { code, text: lines.join("\n"), resources: code === 2 ? [] : readResourceFile(file) };
        commandRuns.set(key, run);
        return run;
    }

    describe("the real stacks pass the pack with their own config", () => {
        it("production: no violations, nothing left undetermined", async () => {
            const report = await checkPolicies(production);
            assert.deepEqual(report.violations, []);
            assert.deepEqual(report.undetermined, []);
        });

        it("staging: only the advisory HTTPS-listener violation (plain HTTP, no domain)", async () => {
            const report = await checkPolicies(staging);
            const listener = staging.resources.find(
                (r) => r.type === T.listener && r.name === "api-lb-http",
            ) as StackRun["resources"][number];
            assert.ok(listener, "staging has the api-lb-http listener");
            assert.deepEqual(report.violations, [
                {
                    policy: "lb-listener-require-https",
                    enforcementLevel: "advisory",
                    urn: listener.urn,
                    message:
                        'Load balancer listener "api-lb-http" has protocol "HTTP" with default actions [forward]; it must be "HTTPS", or "HTTP" whose only action is a redirect to HTTPS.',
                },
            ]);
            assert.deepEqual(report.undetermined, []);
        });
    });

    describe("one break per mandatory policy", () => {
        it("the table covers exactly the policies production.json makes mandatory", () => {
            const covered = [...new Set(cases.map((c) => c.policy))].sort();
            assert.deepEqual(covered, mandatoryInProduction());
        });

        it("every case breaks the stack in one way: an override or an edit", () => {
            for (const c of cases) assert.ok(!!c.overrides !== !!c.edit, c.policy);
        });

        for (const c of cases) {
            it(`${c.policy}: ${c.breaks}`, async () => {
                assert.deepEqual(
                    baselineReport.violations.filter((v) => v.policy === c.policy),
                    [],
                    "the unbroken stack passes this policy",
                );
                const expected = c.expect(baseline);
                let resources: Resources;
                if (c.overrides) {
                    const run = await previewProduction(c.overrides);
                    assert.equal(run.code, 1, `the offline preview must fail:\n${run.text}`);
                    const heading = `${c.policy} (mandatory): ${expected.length} violation${expected.length === 1 ? "" : "s"}`;
                    assert.ok(run.text.split("\n").includes(heading), `the output names ${c.policy}:\n${run.text}`);
                    resources = run.resources;
                } else {
                    resources = (c.edit as (b: Baseline) => Resources)(baseline);
                }
                const report = await evaluateProduction(resources);
                const fired = report.violations.filter((v) => v.policy === c.policy);
                assert.deepEqual(
                    fired,
                    expected.map((e) => ({ policy: c.policy, enforcementLevel: "mandatory", ...e })),
                    `${c.policy} must fire, mandatory, naming the broken resource`,
                );
                const others = [...new Set(report.violations.map((v) => v.policy))].filter((p) => p !== c.policy);
                assert.deepEqual(others.sort(), [...(c.alsoFires ?? [])].sort(), "no other policy fires");
            });
        }
    });

    describe("through the offline preview command", () => {
        it("--set dbBackupRetentionDays=7 exits 1 and names rds-database-configure-backup-retention", async () => {
            const { code, text } = await previewProduction(["dbBackupRetentionDays=7"]);
            assert.equal(code, 1, text);
            assert.match(text, /^rds-database-configure-backup-retention \(mandatory\): 1 violation$/m);
            assert.match(
                text,
                /^ {2}- RDS cluster "database-cluster" has backupRetentionPeriod 7; it must be at least 35 \(days\)\.$/m,
            );
            assert.match(text, /^backup-plan-configure-retention \(mandatory\): 2 violations$/m);
            assert.match(text, /^Policy check: 3 mandatory, 0 advisory violations\.$/m);
        });

        it("--set dbDeletionProtection=false exits 1 and names rds-database-enable-deletion-protection", async () => {
            const { code, text } = await previewProduction(["dbDeletionProtection=false"]);
            assert.equal(code, 1, text);
            assert.match(text, /^rds-database-enable-deletion-protection \(mandatory\): 1 violation$/m);
            assert.match(
                text,
                /^ {2}- RDS cluster "database-cluster" has deletionProtection false; it must be true\.$/m,
            );
            assert.match(text, /^Policy check: 1 mandatory, 0 advisory violations\.$/m);
        });
    });
});
