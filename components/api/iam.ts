import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";

/**
 * The API's two ECS roles, and their policy statements as pure builders so tests read them
 * directly. Every statement names its resources; the only `"*"` resources are for
 * actions AWS does not scope to a resource (ECR auth tokens, X-Ray, ECS Exec channels).
 */
export type Statement = input.iam.GetPolicyDocumentStatementArgs;

/** Trust policy of a role ECS tasks assume, limited to this account's ECS (confused-deputy guard). */
export function ecsTasksTrustStatements(
    account: pulumi.Input<string>,
    partition: pulumi.Input<string>,
    region: pulumi.Input<string>,
): Statement[] {
    return [
        {
            actions: ["sts:AssumeRole"],
            principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }],
            conditions: [
                { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
                {
                    test: "ArnLike",
                    variable: "aws:SourceArn",
                    values: [pulumi.interpolate`arn:${partition}:ecs:${region}:${account}:*`],
                },
            ],
        },
    ];
}

export interface ExecutionRoleResources {
    readonly repositoryArn: pulumi.Input<string>;
    readonly logGroupArn: pulumi.Input<string>;
    readonly databaseSecretArn: pulumi.Input<string>;
    readonly databaseKmsKeyArn: pulumi.Input<string>;
    readonly region: pulumi.Input<string>;
}

/**
 * What ECS needs to start a task: pull this repository, write this log group, and read the master
 * secret, which only the migration task's container gets.
 */
export function executionRoleStatements(r: ExecutionRoleResources): Statement[] {
    return [
        // GetAuthorizationToken has no resource-level permissions.
        { sid: "EcrAuthToken", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        {
            sid: "EcrPullThisRepository",
            actions: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
            resources: [r.repositoryArn],
        },
        {
            sid: "WriteThisLogGroup",
            actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
            resources: [pulumi.interpolate`${r.logGroupArn}:log-stream:*`],
        },
        {
            sid: "ReadDatabaseSecret",
            actions: ["secretsmanager:GetSecretValue"],
            resources: [r.databaseSecretArn],
        },
        {
            sid: "DecryptDatabaseSecret",
            actions: ["kms:Decrypt"],
            resources: [r.databaseKmsKeyArn],
            conditions: [
                {
                    test: "StringEquals",
                    variable: "kms:ViaService",
                    values: [pulumi.interpolate`secretsmanager.${r.region}.amazonaws.com`],
                },
            ],
        },
    ];
}

/**
 * What the API's code may do: log in to the database as its own user with IAM tokens (on the
 * proxy or the cluster it connects to, never as another user), the storage grant, plus X-Ray and
 * ECS Exec when they are on.
 */
export function taskRoleStatements(
    storageGrant: pulumi.Input<input.iam.GetPolicyDocumentStatement[]>,
    options: { tracing: boolean; ecsExec: boolean; databaseIamUserArn: pulumi.Input<string> },
): pulumi.Output<Statement[]> {
    return pulumi.all([storageGrant, options.databaseIamUserArn]).apply(([grant, dbUserArn]) => {
        const statements: Statement[] = [
            { sid: "ConnectAsAppUser", actions: ["rds-db:connect"], resources: [dbUserArn] },
            ...grant,
        ];
        if (options.tracing) {
            // X-Ray has no resource-level permissions for these actions.
            statements.push({
                sid: "XRayWrite",
                actions: [
                    "xray:PutTraceSegments",
                    "xray:PutTelemetryRecords",
                    "xray:GetSamplingRules",
                    "xray:GetSamplingTargets",
                    "xray:GetSamplingStatisticSummaries",
                ],
                resources: ["*"],
            });
        }
        if (options.ecsExec) {
            // The SSM session channels of ECS Exec have no resource-level permissions.
            statements.push({
                sid: "EcsExecChannels",
                actions: [
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel",
                ],
                resources: ["*"],
            });
        }
        return statements;
    });
}

/**
 * IAM path of the execution roles of a project's stacks. The bootstrap's image repository policy
 * lets roles under it pull (`arn:...:role/<project>/ecs-execution/*`), whatever the stack.
 */
export function executionRolePath(project: string): string {
    return `/${project}/ecs-execution/`;
}

export interface ApiRolesArgs extends Omit<ExecutionRoleResources, "region"> {
    /**
     * IAM path of the execution role (`executionRolePath(project)` for the shared repository's policy).
     * @default "/"
     */
    readonly executionRolePath?: string;
    /** Least-privilege statements on the uploads (`Storage.grantReadWrite()`). */
    readonly storageGrant: pulumi.Input<input.iam.GetPolicyDocumentStatement[]>;
    /** The `rds-db:connect` ARN the task role may log in as (`Database.appDbUserArn`). */
    readonly databaseIamUserArn: pulumi.Input<string>;
    /**
     * The task role may write X-Ray traces.
     * @default false
     */
    readonly tracingEnabled?: boolean;
    /**
     * The task role may open ECS Exec channels.
     * @default false
     */
    readonly enableEcsExec?: boolean;
}

/**
 * Two roles for ECS tasks, trusted only by this account's ECS: the execution role (ECS pulls
 * the image, writes logs, reads the database secret) and the task role (the API's own code).
 */
export class ApiRoles extends pulumi.ComponentResource {
    public readonly executionRole: iam.Role;
    public readonly taskRole: iam.Role;
    /** The inline policies; task definitions and the service depend on them. */
    public readonly policies: iam.RolePolicy[];

    constructor(name: string, args: ApiRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:api:ApiRoles", name, {}, opts);
        const tracingEnabled = args.tracingEnabled ?? false;
        const enableEcsExec = args.enableEcsExec ?? false;

        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = getPartitionOutput({}, { parent: this }).partition;
        const region = getRegionOutput({}, { parent: this }).region;
        const document = (statements: pulumi.Input<pulumi.Input<Statement>[]>) =>
            iam.getPolicyDocumentOutput({ statements }, { parent: this }).json;
        const trustPolicy = document(ecsTasksTrustStatements(account, partition, region));

        this.executionRole = new iam.Role(
            `${name}-execution`,
            {
                description: `ECS starts the tasks of ${name}`,
                assumeRolePolicy: trustPolicy,
                path: args.executionRolePath ?? "/",
            },
            { parent: this },
        );
        this.taskRole = new iam.Role(
            `${name}-task`,
            { description: `The API code of ${name}`, assumeRolePolicy: trustPolicy },
            { parent: this },
        );
        this.policies = [
            new iam.RolePolicy(
                `${name}-execution`,
                {
                    role: this.executionRole.id,
                    policy: document(
                        executionRoleStatements({
                            repositoryArn: args.repositoryArn,
                            logGroupArn: args.logGroupArn,
                            databaseSecretArn: args.databaseSecretArn,
                            databaseKmsKeyArn: args.databaseKmsKeyArn,
                            region,
                        }),
                    ),
                },
                { parent: this },
            ),
            new iam.RolePolicy(
                `${name}-task`,
                {
                    role: this.taskRole.id,
                    policy: document(
                        taskRoleStatements(args.storageGrant, {
                            tracing: tracingEnabled,
                            ecsExec: enableEcsExec,
                            databaseIamUserArn: args.databaseIamUserArn,
                        }),
                    ),
                },
                { parent: this },
            ),
        ];
        this.registerOutputs({ executionRoleArn: this.executionRole.arn, taskRoleArn: this.taskRole.arn });
    }
}
