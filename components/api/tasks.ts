import * as ecs from "@pulumi/aws/ecs";
import type * as iam from "@pulumi/aws/iam";
import type * as input from "@pulumi/aws/types/input";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import {
    API_CONTAINER,
    API_PORT,
    apiContainer,
    apiWaitsForMigration,
    ContainerInputs,
    MIGRATE_CONTAINER,
    migrateFirstContainer,
    taskVolumes,
    XRAY_CONTAINER,
    xrayDaemonContainer,
} from "./containers";
import { ApiRoles } from "./iam";

/*
 * Where and how the ApiService's tasks run: the ECS cluster and its capacity providers, the
 * API and migration task definitions, and the tasks' security-group rules. Plain helpers:
 * every resource is a child of `parent` and named from the component's `name`.
 */

/** The ECS cluster `fargateCluster` creates, and the capacity strategy its services use. */
export interface FargateCluster {
    readonly cluster: ecs.Cluster;
    /** The service must depend on it, so its strategy's providers exist. */
    readonly capacityProviders: ecs.ClusterCapacityProviders;
    readonly strategy: input.ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategy[];
}

/**
 * A cluster with Container Insights and both Fargate capacity providers (`<name>-cluster`,
 * `<name>-capacity`). With `useFargateSpot`, tasks above `onDemandBaseCount` run on Spot
 * (3 of every 4); otherwise all run on on-demand Fargate.
 */
export function fargateCluster(
    name: string,
    useFargateSpot: boolean,
    onDemandBaseCount: number,
    parent: pulumi.Resource,
): FargateCluster {
    const cluster = new ecs.Cluster(
        `${name}-cluster`,
        { settings: [{ name: "containerInsights", value: "enabled" }] },
        { parent },
    );
    const strategy = useFargateSpot
        ? [
              { capacityProvider: "FARGATE", base: onDemandBaseCount, weight: 1 },
              { capacityProvider: "FARGATE_SPOT", weight: 3 },
          ]
        : [{ capacityProvider: "FARGATE", base: 0, weight: 1 }];
    const capacityProviders = new ecs.ClusterCapacityProviders(
        `${name}-capacity`,
        {
            clusterName: cluster.name,
            capacityProviders: ["FARGATE", "FARGATE_SPOT"],
            defaultCapacityProviderStrategies: strategy,
        },
        { parent },
    );
    return { cluster, capacityProviders, strategy };
}

/** What the API's task definitions are built from. */
export interface ApiTaskDefinitionInputs {
    /** Fargate task CPU units. */
    readonly cpu: number;
    /** Fargate task memory (MiB). */
    readonly memoryMiB: number;
    readonly cpuArchitecture: "X86_64" | "ARM64";
    /** The execution and task roles; the task definitions depend on their policies. */
    readonly roles: ApiRoles;
    /** Inputs of the containers (image, logs, database, uploads, ECS Exec, tracing). */
    readonly containers: ContainerInputs;
    /** Image of the X-Ray daemon sidecar, or undefined for no sidecar (tracing off). */
    readonly tracingDaemonImage: string | undefined;
    /** Command of the migration task. */
    readonly migrationCommand: readonly string[];
}

/**
 * The API's task definition (`<name>-task`, with the task role and the optional X-Ray
 * sidecar) and the one-off migration task (`<name>-migrate`: same image and secrets, no
 * task role, so no access to the uploads).
 */
export function apiTaskDefinitions(
    name: string,
    inputs: ApiTaskDefinitionInputs,
    parent: pulumi.Resource,
): { apiTask: ecs.TaskDefinition; migrationTask: ecs.TaskDefinition } {
    const { roles, containers } = inputs;
    const taskDefinition = (
        logical: string,
        family: string,
        definitions: pulumi.Output<object>[],
        containerNames: string[],
        role?: iam.Role,
    ) =>
        new ecs.TaskDefinition(
            logical,
            {
                family,
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(inputs.cpu),
                memory: String(inputs.memoryMiB),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: inputs.cpuArchitecture },
                executionRoleArn: roles.executionRole.arn,
                taskRoleArn: role?.arn,
                // Task-level volumes without a host path: Fargate's writable scratch space (CSV staging on /tmp).
                volumes: taskVolumes(containers.ecsExec, containerNames),
                containerDefinitions: pulumi.all(definitions).apply((defs) => JSON.stringify(defs)),
            },
            { parent, dependsOn: roles.policies },
        );
    const familyBase = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;
    const sidecar = inputs.tracingDaemonImage;
    // Every task migrates first: a new stack's first deployment waits for its schema (docs/gitops.md).
    const apiTask = taskDefinition(
        `${name}-task`,
        familyBase,
        [
            apiWaitsForMigration(apiContainer(containers)),
            migrateFirstContainer(containers, inputs.migrationCommand),
            ...(sidecar === undefined ? [] : [xrayDaemonContainer(containers, sidecar)]),
        ],
        [API_CONTAINER, MIGRATE_CONTAINER, ...(sidecar === undefined ? [] : [XRAY_CONTAINER])],
        roles.taskRole,
    );
    // The migration needs only the database: no task role, so no access to the uploads.
    const migrationTask = taskDefinition(
        `${name}-migrate`,
        `${familyBase}-migrate`,
        [apiContainer(containers, inputs.migrationCommand)],
        [API_CONTAINER],
    );
    return { apiTask, migrationTask };
}

/** What the tasks' security group lets in and out. */
export interface TaskSecurityGroupRuleInputs {
    /** The tasks' security group. */
    readonly securityGroupId: pulumi.Input<string>;
    /** The load balancer's security group, the only source of traffic to the API port. */
    readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
    readonly databasePort: pulumi.Input<number>;
    /** CIDR of the VPC; the database port is reachable only inside it. */
    readonly vpcCidrBlock: pulumi.Input<string>;
}

/**
 * The tasks' rules: in from the load balancer on the API port only (`<name>-tasks-from-lb`);
 * out to HTTPS APIs (`<name>-tasks-to-https`) and to the database inside the VPC
 * (`<name>-tasks-to-db`).
 */
export function taskSecurityGroupRules(
    name: string,
    inputs: TaskSecurityGroupRuleInputs,
    parent: pulumi.Resource,
): void {
    new vpc.SecurityGroupIngressRule(
        `${name}-tasks-from-lb`,
        {
            securityGroupId: inputs.securityGroupId,
            ipProtocol: "tcp",
            fromPort: API_PORT,
            toPort: API_PORT,
            referencedSecurityGroupId: inputs.loadBalancerSecurityGroupId,
            description: "The load balancer",
        },
        { parent },
    );
    new vpc.SecurityGroupEgressRule(
        `${name}-tasks-to-https`,
        {
            securityGroupId: inputs.securityGroupId,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "0.0.0.0/0",
            description: "AWS APIs (ECR, S3, Secrets Manager, KMS, Logs, X-Ray)",
        },
        { parent },
    );
    new vpc.SecurityGroupEgressRule(
        `${name}-tasks-to-db`,
        {
            securityGroupId: inputs.securityGroupId,
            ipProtocol: "tcp",
            fromPort: inputs.databasePort,
            toPort: inputs.databasePort,
            cidrIpv4: inputs.vpcCidrBlock,
            description: "The database, inside the VPC",
        },
        { parent },
    );
}
