import * as pulumi from "@pulumi/pulumi";
import type { ObservabilityArgs } from "./observability";
import {
    ArgProblems,
    Check,
    describeValue,
    emailAddress,
    integerInRange,
    logRetentionDays,
    matches,
    numberInRange,
} from "./validation";

/*
 * Validation of `ObservabilityArgs`: run by the Observability component before it creates
 * any child, and tested directly. The args interface itself lives with the component.
 */

const NAME_PREFIX = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
const LOAD_BALANCER_SUFFIX = /^app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{1,32}$/;
const TARGET_GROUP_SUFFIX = /^targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{1,32}$/;

/** The documented `@default`s of the optional thresholds, in one place. */
export const OBSERVABILITY_DEFAULTS = {
    evaluationPeriods: 3,
    http5xxRatePercent: 1,
    minRequestsPerMinuteForRate: 10,
    latencyP95ThresholdMs: 1000,
    latencyP99ThresholdMs: 3000,
    ecsCpuThresholdPercent: 80,
    ecsMemoryThresholdPercent: 80,
    dbCpuThresholdPercent: 80,
    dbConnectionsThresholdPercent: 80,
    dbReplicaLagThresholdMs: 1000,
    dbFreeableMemoryThresholdMiB: 1024,
    dbFreeLocalStorageThresholdMiB: 2048,
    appErrorThresholdPer5Minutes: 10,
    errorLogFilterPattern: "ERROR",
    logRetentionDays: 365,
    budgetForecastThresholdPercent: 80,
    budgetActualThresholdPercent: 100,
} as const;

/** A percentage that must be above 0 (a threshold of 0 % would always fire). */
export const positivePercentage: Check<number> = (value) =>
    Number.isFinite(value) && value > 0 && value <= 100 ? undefined : "be a percentage above 0 and at most 100";

const filterPattern: Check<string> = (value) =>
    value.trim() !== "" && value.length <= 1024
        ? undefined
        : "be a non-empty filter pattern of at most 1024 characters";

/** An input's value when it is plain; undefined for outputs and promises, which their producer checks. */
function known<T>(value: pulumi.Input<T> | undefined): T | undefined {
    return value === undefined || pulumi.Output.isInstance(value) || value instanceof Promise
        ? undefined
        : (value as T);
}

/** Every problem with `args`, in the shared message shape; exported for tests. */
export function observabilityArgProblems(args: ObservabilityArgs, namePrefix: string): readonly string[] {
    const emails = args.alarmEmails ?? [];
    const p95 = args.latencyP95ThresholdMs ?? OBSERVABILITY_DEFAULTS.latencyP95ThresholdMs;
    const p99 = args.latencyP99ThresholdMs ?? OBSERVABILITY_DEFAULTS.latencyP99ThresholdMs;
    const problems = new ArgProblems()
        .check("namePrefix", namePrefix, matches(NAME_PREFIX, "1-40 letters, digits, - or _, starting alphanumeric"))
        .check(
            "loadBalancerArnSuffix",
            known(args.loadBalancerArnSuffix),
            matches(LOAD_BALANCER_SUFFIX, 'a load balancer ARN suffix "app/<name>/<id>" (not the full ARN)'),
        )
        .check(
            "targetGroupArnSuffix",
            known(args.targetGroupArnSuffix),
            matches(TARGET_GROUP_SUFFIX, 'a target group ARN suffix "targetgroup/<name>/<id>" (not the full ARN)'),
        );
    for (const field of ["ecsClusterName", "ecsServiceName", "apiLogGroupName", "dbClusterIdentifier"] as const) {
        problems.check(field, known(args[field]), matches(/\S/, "a non-empty name"));
    }
    problems
        .check("dbMaxConnections", args.dbMaxConnections, integerInRange(1, 262143))
        .check("minHealthyHosts", args.minHealthyHosts, integerInRange(1, 100))
        .check("evaluationPeriods", args.evaluationPeriods, integerInRange(1, 30))
        .check("http5xxRatePercent", args.http5xxRatePercent, positivePercentage)
        .check("minRequestsPerMinuteForRate", args.minRequestsPerMinuteForRate, integerInRange(0, 1000000))
        .check("latencyP95ThresholdMs", args.latencyP95ThresholdMs, integerInRange(1, 600000))
        .check("latencyP99ThresholdMs", args.latencyP99ThresholdMs, integerInRange(1, 600000))
        .add(
            p99 < p95,
            `\`latencyP99ThresholdMs\` must be at least \`latencyP95ThresholdMs\` (${p95}); got ${describeValue(p99)}.`,
        )
        .check("ecsCpuThresholdPercent", args.ecsCpuThresholdPercent, positivePercentage)
        .check("ecsMemoryThresholdPercent", args.ecsMemoryThresholdPercent, positivePercentage)
        .check("dbCpuThresholdPercent", args.dbCpuThresholdPercent, positivePercentage)
        .check("dbConnectionsThresholdPercent", args.dbConnectionsThresholdPercent, positivePercentage)
        .check("dbReplicaLagThresholdMs", args.dbReplicaLagThresholdMs, integerInRange(1, 3600000))
        .check("dbFreeableMemoryThresholdMiB", args.dbFreeableMemoryThresholdMiB, integerInRange(1, 1048576))
        .check("dbFreeLocalStorageThresholdMiB", args.dbFreeLocalStorageThresholdMiB, integerInRange(1, 1048576))
        .check("appErrorThresholdPer5Minutes", args.appErrorThresholdPer5Minutes, integerInRange(0, 1000000))
        .check("errorLogFilterPattern", args.errorLogFilterPattern, filterPattern)
        .check("logRetentionDays", args.logRetentionDays, logRetentionDays)
        .check("monthlyBudgetUsd", args.monthlyBudgetUsd, numberInRange(1, 1000000))
        .check("budgetForecastThresholdPercent", args.budgetForecastThresholdPercent, numberInRange(1, 1000))
        .check("budgetActualThresholdPercent", args.budgetActualThresholdPercent, numberInRange(1, 1000))
        .check("tracingSamplingPercent", args.tracingSamplingPercent, numberInRange(0, 100))
        .add(
            args.requireAlarmSubscriptions === true && emails.length === 0,
            "`alarmEmails` must list at least one address when `requireAlarmSubscriptions` is true; got [].",
        );
    emails.forEach((email, i) => problems.check(`alarmEmails[${i}]`, email, emailAddress));
    const repeated = emails.filter(
        (email, i) => emails.findIndex((e) => e.toLowerCase() === email.toLowerCase()) !== i,
    );
    problems.add(
        repeated.length > 0,
        `\`alarmEmails\` must list each address once; got ${describeValue(repeated[0])} more than once.`,
    );
    for (const [key, value] of Object.entries(args.budgetCostAllocationTags ?? {})) {
        problems.add(
            key.trim() === "" || value.trim() === "",
            `\`budgetCostAllocationTags\` must have non-empty keys and values; got ${describeValue({ [key]: value })}.`,
        );
    }
    return problems.messages;
}
