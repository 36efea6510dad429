import { ArgProblems, integerInRange } from "../shared/validation";

/*
 * How long a task keeps serving once ECS decides to stop it (deploy, scale-in, AZ rebalancing).
 * ECS first deregisters the task from the target group and waits for the load balancer's
 * deregistration delay (the target drains: no new requests, requests in flight go on); only then
 * does it send SIGTERM, and SIGKILL `stopTimeout` seconds later.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-connection-draining.html
 */

/**
 * Fargate's longest container `stopTimeout` (ECS API, ContainerDefinition.stopTimeout: "For tasks
 * that use the Fargate launch type, the max stop timeout value is 120 seconds").
 */
export const FARGATE_MAX_STOP_TIMEOUT_SECONDS = 120;

/** The draining settings' limits. */
export const DRAINING_LIMITS = {
    // The deregistration delay follows it, and ALB target groups take 0-3600 s:
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
    requestTimeoutSeconds: { min: 1, max: 3600 },
} as const;

/** What follows from the longest request the API must finish. */
export interface DrainingSettings {
    /** The target group drains this long, so every request in flight when the stop begins can end. */
    readonly deregistrationDelaySeconds: number;
    /** After SIGTERM the container may finish what it holds, up to Fargate's 120 s. */
    readonly stopTimeoutSeconds: number;
}

export function drainingSettings(requestTimeoutSeconds: number): DrainingSettings {
    return {
        deregistrationDelaySeconds: requestTimeoutSeconds,
        stopTimeoutSeconds: Math.min(requestTimeoutSeconds, FARGATE_MAX_STOP_TIMEOUT_SECONDS),
    };
}

/**
 * The request timeout's problems: its range, and that it fits the idle timeout (a response the
 * API computes for longer than the idle timeout, sending nothing, is cut by the load balancer).
 */
export function requestTimeoutProblems(
    requestTimeoutSeconds: number | undefined,
    idleTimeoutSeconds: number,
    problems: ArgProblems = new ArgProblems(),
): ArgProblems {
    const { min, max } = DRAINING_LIMITS.requestTimeoutSeconds;
    return problems
        .check("requestTimeoutSeconds", requestTimeoutSeconds, integerInRange(min, max))
        .add(
            requestTimeoutSeconds !== undefined && requestTimeoutSeconds > idleTimeoutSeconds,
            `\`requestTimeoutSeconds\` must not exceed \`idleTimeoutSeconds\` (${idleTimeoutSeconds}): the load balancer closes a connection idle that long; got ${requestTimeoutSeconds}.`,
        );
}
