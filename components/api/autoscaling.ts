import * as appautoscaling from "@pulumi/aws/appautoscaling";
import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { ArgProblems, integerIn } from "../shared/validation";

/** The ServiceAutoscaling's defaults: its constructor, the `@default`s below and ApiService read these. */
export const AUTOSCALING_DEFAULTS = {
    cpuTargetPercent: 60,
    requestsPerTargetPerMinute: 500,
} as const;

/** The ServiceAutoscaling's limits. */
export const AUTOSCALING_LIMITS = {
    // At least 2 tasks, so the service survives the loss of a task or an AZ.
    taskCount: { min: 2, max: 1000 },
    cpuTargetPercent: { min: 10, max: 90 },
    requestsPerTargetPerMinute: { min: 1, max: 1000000 },
} as const;

export interface ServiceAutoscalingArgs {
    /** Cluster of the service. */
    readonly clusterName: pulumi.Input<string>;
    /** The ECS service whose desired count scales. */
    readonly serviceName: pulumi.Input<string>;
    /** Floor of running tasks (at least 2). */
    readonly minCount: number;
    /** Ceiling of running tasks. */
    readonly maxCount: number;
    /** `app/<name>/<id>` of the load balancer, for requests per target. */
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    /** `targetgroup/<name>/<id>` of the service's target group. */
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    /**
     * Average CPU the service aims for (percent).
     * @default 60
     */
    readonly cpuTargetPercent?: number;
    /**
     * Load balancer requests per target per minute the service aims for.
     * @default 500
     */
    readonly requestsPerTargetPerMinute?: number;
}

/** Every problem with a ServiceAutoscaling's args; also run by ApiService before it builds anything. */
export function serviceAutoscalingArgProblems(
    args: Pick<ServiceAutoscalingArgs, "minCount" | "maxCount" | "cpuTargetPercent" | "requestsPerTargetPerMinute">,
    problems: ArgProblems = new ArgProblems(),
): ArgProblems {
    return problems
        .check("minCount", args.minCount, integerIn(AUTOSCALING_LIMITS.taskCount))
        .check("maxCount", args.maxCount, integerIn(AUTOSCALING_LIMITS.taskCount))
        .add(
            args.minCount > args.maxCount,
            `\`minCount\` (${args.minCount}) must not exceed \`maxCount\` (${args.maxCount}).`,
        )
        .check("cpuTargetPercent", args.cpuTargetPercent, integerIn(AUTOSCALING_LIMITS.cpuTargetPercent))
        .check(
            "requestsPerTargetPerMinute",
            args.requestsPerTargetPerMinute,
            integerIn(AUTOSCALING_LIMITS.requestsPerTargetPerMinute),
        );
}

/** Target tracking on an ECS service: average CPU, and load balancer requests per target. */
export class ServiceAutoscaling extends pulumi.ComponentResource {
    constructor(name: string, args: ServiceAutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:api:ServiceAutoscaling", name, {}, opts);
        const cpuTargetPercent = args.cpuTargetPercent ?? AUTOSCALING_DEFAULTS.cpuTargetPercent;
        const requestsPerTargetPerMinute =
            args.requestsPerTargetPerMinute ?? AUTOSCALING_DEFAULTS.requestsPerTargetPerMinute;
        serviceAutoscalingArgProblems(args).throwIfAny(this, `ServiceAutoscaling ${name}`);

        const target = new appautoscaling.Target(
            name,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${args.clusterName}/${args.serviceName}`,
                minCapacity: args.minCount,
                maxCapacity: args.maxCount,
            },
            { parent: this },
        );
        const policy = (
            suffix: string,
            targetValue: number,
            metric: input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
        ) =>
            new appautoscaling.Policy(
                `${name}-${suffix}`,
                {
                    policyType: "TargetTrackingScaling",
                    serviceNamespace: target.serviceNamespace,
                    scalableDimension: target.scalableDimension,
                    resourceId: target.resourceId,
                    targetTrackingScalingPolicyConfiguration: {
                        targetValue,
                        predefinedMetricSpecification: metric,
                        // Scale out fast, in slowly. The cooldown only spaces scale-in steps; what saves
                        // an upload in flight on a task chosen for scale-in is draining: the target
                        // group's deregistration delay and the container's stopTimeout (./draining).
                        scaleOutCooldown: 60,
                        scaleInCooldown: 300,
                    },
                },
                { parent: this },
            );
        policy("cpu", cpuTargetPercent, { predefinedMetricType: "ECSServiceAverageCPUUtilization" });
        policy("requests", requestsPerTargetPerMinute, {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: pulumi.interpolate`${args.loadBalancerArnSuffix}/${args.targetGroupArnSuffix}`,
        });
        this.registerOutputs({});
    }
}
