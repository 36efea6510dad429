import { API_PORT } from "./apiContainers";
import type { ApiServiceArgs } from "./apiService";
import { imageRepositoryArgProblems } from "./imageRepository";
import { loadBalancerArgProblems, LoadBalancerArgs, MAX_LOAD_BALANCER_NAME } from "./loadBalancer";
import { serviceAutoscalingArgProblems } from "./serviceAutoscaling";
import {
    ArgProblems,
    fargateSizeProblem,
    imageTagOrDigest,
    integerInRange,
    logRetentionDays as cloudWatchRetention,
    matches,
} from "./validation";
import { webAclArgProblems } from "./webAcl";

/*
 * Validation of `ApiServiceArgs`: run by the ApiService component before it creates any
 * child, and tested directly. The args interface itself lives with the component.
 */

/** Longest ApiService name: its load balancer is `<name>-lb`, which must fit the LoadBalancer's limit. */
export const MAX_API_SERVICE_NAME = MAX_LOAD_BALANCER_NAME - "-lb".length;

/** Every problem with an ApiService's args, including those it hands to its load balancer and web ACL. */
export function apiServiceArgProblems(name: string, args: ApiServiceArgs): ArgProblems {
    const desiredCount = args.desiredCount ?? 3;
    const minCount = args.minCount ?? 3;
    const maxCount = args.maxCount ?? 12;
    const problems = new ArgProblems()
        .add(
            !/^[a-z0-9-]+$/.test(name) || name.length > MAX_API_SERVICE_NAME,
            `\`name\` must be at most ${MAX_API_SERVICE_NAME} lowercase letters, digits or hyphens, so the names derived from it fit AWS's limits (32 for load balancers); got ${JSON.stringify(name)}.`,
        )
        .check("imageTag", args.imageTag, imageTagOrDigest)
        .addMessage(
            fargateSizeProblem(args.cpu ?? 512, args.memoryMiB ?? 1024, { cpu: "cpu", memoryMiB: "memoryMiB" }),
        );
    serviceAutoscalingArgProblems(
        {
            minCount,
            maxCount,
            cpuTargetPercent: args.cpuTargetPercent,
            requestsPerTargetPerMinute: args.requestsPerTargetPerMinute,
        },
        problems,
    )
        .add(
            desiredCount < 2,
            `\`desiredCount\` must be at least 2, so the service survives the loss of a task or an AZ; got ${desiredCount}.`,
        )
        .add(
            desiredCount >= 2 && (desiredCount < minCount || desiredCount > maxCount),
            `\`desiredCount\` must be from \`minCount\` (${minCount}) to \`maxCount\` (${maxCount}); got ${desiredCount}.`,
        )
        .check("onDemandBaseCount", args.onDemandBaseCount, integerInRange(0, 1000))
        .check("healthCheckGracePeriodSeconds", args.healthCheckGracePeriodSeconds, integerInRange(0, 2147483647))
        .check("tracingSamplingPercent", args.tracingSamplingPercent, integerInRange(0, 100))
        .check("logRetentionDays", args.logRetentionDays, cloudWatchRetention)
        .add(
            args.migrationCommand !== undefined && args.migrationCommand.length === 0,
            "`migrationCommand` must name a command; got [].",
        )
        .check(
            "tracingDaemonImage",
            args.tracingDaemonImage,
            matches(
                /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9_.-]+|@sha256:[a-f0-9]{64})$/,
                "a pinned image reference",
            ),
        );
    imageRepositoryArgProblems(
        { keepImageCount: args.keepImageCount, untaggedImageExpiryDays: args.untaggedImageExpiryDays },
        problems,
    );
    loadBalancerArgProblems(lbArgs(args), problems);
    if (args.wafEnabled ?? true) {
        webAclArgProblems({ rateLimitPer5Minutes: args.wafRateLimitPer5Minutes }, problems, "wafRateLimitPer5Minutes");
    }
    return problems;
}

/** The load balancer's args, as ApiService hands them on (and as they are validated). */
export function lbArgs(args: ApiServiceArgs): Omit<LoadBalancerArgs, "targetSecurityGroupId"> {
    return {
        vpcId: args.vpcId,
        publicSubnetIds: args.publicSubnetIds,
        accessLogsBucket: args.accessLogsBucket,
        accessLogsPrefix: args.accessLogsPrefix,
        targetPort: API_PORT,
        healthCheckPath: args.healthCheckPath,
        allowedIngressCidrs: args.allowedIngressCidrs,
        domainName: args.domainName,
        hostedZoneId: args.hostedZoneId,
        certificateArn: args.certificateArn,
        requireHttps: args.requireHttps,
        idleTimeoutSeconds: args.idleTimeoutSeconds,
        deletionProtection: args.deletionProtection,
    };
}
