import * as pulumi from "@pulumi/pulumi";
import {
    ArgProblems,
    Check,
    describeValue,
    emailAddress,
    DEFAULT_LOG_RETENTION_DAYS,
    integerIn,
    logRetentionDays,
    matches,
    numberIn,
} from "../shared/validation";

/*
 * Validation of `ObservabilityArgs`: run by the Observability component before it creates
 * any child, and tested directly.
 */

export interface ObservabilityArgs {
    // --- What is watched (outputs of the other components) ---

    /** The API load balancer's ARN suffix (`app/<name>/<id>`), the `LoadBalancer` dimension. */
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    /** The API target group's ARN suffix (`targetgroup/<name>/<id>`), the `TargetGroup` dimension. */
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    /** Name of the ECS cluster running the API service. */
    readonly ecsClusterName: pulumi.Input<string>;
    /** Name of the API's ECS service. Its cluster needs Container Insights for the task-count alarm. */
    readonly ecsServiceName: pulumi.Input<string>;
    /** Name of the API's log group; the ERROR metric filter is created on it. */
    readonly apiLogGroupName: pulumi.Input<string>;
    /** Identifier of the Aurora cluster; alarms use its WRITER and READER role metrics. */
    readonly dbClusterIdentifier: pulumi.Input<string>;
    /**
     * The `max_connections` of each database instance (1-262143); see
     * `auroraPostgresMaxConnections` for the engine default of an instance class.
     */
    readonly dbMaxConnections: number;
    /** Healthy targets the service must keep: its autoscaling floor (1-100). */
    readonly minHealthyHosts: number;
    /**
     * Name of the web ACL on the load balancer; adds a WAF widget to the dashboard.
     * @default - no WAF widget
     */
    readonly webAclName?: pulumi.Input<string>;
    /**
     * Region of the watched resources, for the dashboard and its URL.
     * @default - the provider's region
     */
    readonly region?: pulumi.Input<string>;

    // --- Naming ---

    /**
     * Prefix of the physical names (alarms, dashboard, budget, rules): letters, digits,
     * `-` and `_`, at most 40 characters, unique per account and region.
     * @default `<project>-<stack>`
     */
    readonly namePrefix?: string;

    // --- Notifications ---

    /**
     * Email addresses subscribed to the alarm topic. Each must confirm its subscription.
     * @default []
     */
    readonly alarmEmails?: readonly string[];
    /**
     * Reject an empty `alarmEmails`: set it where alarms must reach a person (production).
     * @default false
     */
    readonly requireAlarmSubscriptions?: boolean;

    // --- Alarm thresholds ---

    /**
     * Consecutive one-minute periods that must breach before a metric alarm fires (1-30).
     * @default 3
     */
    readonly evaluationPeriods?: number;
    /**
     * 5xx responses, as a percentage of requests, that fire the target and load balancer
     * 5xx alarms (above 0, at most 100).
     * @default 1
     */
    readonly http5xxRatePercent?: number;
    /**
     * Requests per minute below which the 5xx rate counts as 0, so one failed request on
     * an idle API does not page (0-1000000).
     * @default 10
     */
    readonly minRequestsPerMinuteForRate?: number;
    /**
     * p95 target response time that fires its alarm (1-600000 ms).
     * @default 1000
     */
    readonly latencyP95ThresholdMs?: number;
    /**
     * p99 target response time that fires its alarm (1-600000 ms, at least the p95 one).
     * @default 3000
     */
    readonly latencyP99ThresholdMs?: number;
    /**
     * Average ECS service CPU that fires its alarm (above 0, at most 100 %).
     * @default 80
     */
    readonly ecsCpuThresholdPercent?: number;
    /**
     * Average ECS service memory that fires its alarm (above 0, at most 100 %).
     * @default 80
     */
    readonly ecsMemoryThresholdPercent?: number;
    /**
     * Aurora writer CPU that fires its alarm (above 0, at most 100 %).
     * @default 80
     */
    readonly dbCpuThresholdPercent?: number;
    /**
     * Connections on any instance, as a percentage of `dbMaxConnections`, that fire the
     * connections alarm (above 0, at most 100).
     * @default 80
     */
    readonly dbConnectionsThresholdPercent?: number;
    /**
     * Aurora replica lag that fires its alarm (1-3600000 ms).
     * @default 1000
     */
    readonly dbReplicaLagThresholdMs?: number;
    /**
     * Freeable memory on any instance below which its alarm fires (1-1048576 MiB).
     * @default 1024
     */
    readonly dbFreeableMemoryThresholdMiB?: number;
    /**
     * Free local storage on any instance below which its alarm fires (1-1048576 MiB).
     * @default 2048
     */
    readonly dbFreeLocalStorageThresholdMiB?: number;
    /**
     * ERROR lines in the API's log per 5 minutes above which its alarm fires (0-1000000).
     * @default 10
     */
    readonly appErrorThresholdPer5Minutes?: number;
    /**
     * CloudWatch Logs filter pattern of an application error line.
     * @default "ERROR"
     */
    readonly errorLogFilterPattern?: string;

    // --- Logs ---

    /**
     * Retention of the alarm-history log group; one of CloudWatch's allowed values.
     * @default 365
     */
    readonly logRetentionDays?: number;

    // --- Cost ---

    /**
     * Monthly cost budget in USD (1-1000000).
     * @default 1000
     */
    readonly monthlyBudgetUsd?: number;
    /**
     * Forecast spend, as a percentage of the budget, that notifies the topic (1-1000).
     * @default 80
     */
    readonly budgetForecastThresholdPercent?: number;
    /**
     * Actual spend, as a percentage of the budget, that notifies the topic (1-1000).
     * @default 100
     */
    readonly budgetActualThresholdPercent?: number;
    /**
     * Limits the budget to costs carrying any of these tags (key -> value). Each key must be an
     * active cost-allocation tag of the account (bootstrap/costAllocationTags.ts); AWS then counts
     * costs tagged from activation on, and takes up to 24 hours to activate a tag.
     * @default - every cost of the account
     */
    readonly budgetCostAllocationTags?: Readonly<Record<string, string>>;

    // --- Tracing ---

    /**
     * Share of the service's requests X-Ray traces (0-100), through a sampling rule.
     * @default - no sampling rule (tracing off)
     */
    readonly tracingSamplingPercent?: number;
    /**
     * X-Ray service name the API reports traces under; the sampling rule matches it.
     * @default `namePrefix`
     */
    readonly tracingServiceName?: pulumi.Input<string>;
}

const NAME_PREFIX = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
/**
 * Tag keys and values: letters, digits, spaces and `_.:/=+-@` (AWS APIs' Tag type, e.g. CloudFront
 * Tag.Key: "a-z, A-Z, 0-9, space, and the special characters _ - . : / = + @"). The `$` that separates
 * key and value in a budget's `TagKeyValue` filter can therefore not occur in either.
 */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
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
    logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
    alarmEmails: [],
    monthlyBudgetUsd: 1000,
    budgetForecastThresholdPercent: 80,
    budgetActualThresholdPercent: 100,
} as const;

/** The Observability limits, read by its validation and by the stack config. */
export const OBSERVABILITY_LIMITS = {
    // 5xx share of requests: above 0 (0 % would always fire).
    http5xxRatePercent: { min: 0.01, max: 100 },
    utilizationPercent: { min: 1, max: 100 },
    evaluationPeriods: { min: 1, max: 30 },
    minRequestsPerMinuteForRate: { min: 0, max: 1000000 },
    latencyMs: { min: 1, max: 600000 },
    dbReplicaLagMs: { min: 1, max: 3600000 },
    dbMemoryMiB: { min: 1, max: 1048576 },
    appErrorsPer5Minutes: { min: 0, max: 1000000 },
    monthlyBudgetUsd: { min: 1, max: 1000000 },
    budgetThresholdPercent: { min: 1, max: 1000 },
    tracingSamplingPercent: { min: 0, max: 100 },
    dbMaxConnections: { min: 1, max: 262143 },
    minHealthyHosts: { min: 1, max: 100 },
} as const;

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
    const emails = args.alarmEmails ?? OBSERVABILITY_DEFAULTS.alarmEmails;
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
        .check("dbMaxConnections", args.dbMaxConnections, integerIn(OBSERVABILITY_LIMITS.dbMaxConnections))
        .check("minHealthyHosts", args.minHealthyHosts, integerIn(OBSERVABILITY_LIMITS.minHealthyHosts))
        .check("evaluationPeriods", args.evaluationPeriods, integerIn(OBSERVABILITY_LIMITS.evaluationPeriods))
        .check("http5xxRatePercent", args.http5xxRatePercent, numberIn(OBSERVABILITY_LIMITS.http5xxRatePercent))
        .check(
            "minRequestsPerMinuteForRate",
            args.minRequestsPerMinuteForRate,
            integerIn(OBSERVABILITY_LIMITS.minRequestsPerMinuteForRate),
        )
        .check("latencyP95ThresholdMs", args.latencyP95ThresholdMs, integerIn(OBSERVABILITY_LIMITS.latencyMs))
        .check("latencyP99ThresholdMs", args.latencyP99ThresholdMs, integerIn(OBSERVABILITY_LIMITS.latencyMs))
        .add(
            p99 < p95,
            `\`latencyP99ThresholdMs\` must be at least \`latencyP95ThresholdMs\` (${p95}); got ${describeValue(p99)}.`,
        )
        .check("ecsCpuThresholdPercent", args.ecsCpuThresholdPercent, numberIn(OBSERVABILITY_LIMITS.utilizationPercent))
        .check(
            "ecsMemoryThresholdPercent",
            args.ecsMemoryThresholdPercent,
            numberIn(OBSERVABILITY_LIMITS.utilizationPercent),
        )
        .check("dbCpuThresholdPercent", args.dbCpuThresholdPercent, numberIn(OBSERVABILITY_LIMITS.utilizationPercent))
        .check(
            "dbConnectionsThresholdPercent",
            args.dbConnectionsThresholdPercent,
            numberIn(OBSERVABILITY_LIMITS.utilizationPercent),
        )
        .check("dbReplicaLagThresholdMs", args.dbReplicaLagThresholdMs, integerIn(OBSERVABILITY_LIMITS.dbReplicaLagMs))
        .check(
            "dbFreeableMemoryThresholdMiB",
            args.dbFreeableMemoryThresholdMiB,
            integerIn(OBSERVABILITY_LIMITS.dbMemoryMiB),
        )
        .check(
            "dbFreeLocalStorageThresholdMiB",
            args.dbFreeLocalStorageThresholdMiB,
            integerIn(OBSERVABILITY_LIMITS.dbMemoryMiB),
        )
        .check(
            "appErrorThresholdPer5Minutes",
            args.appErrorThresholdPer5Minutes,
            integerIn(OBSERVABILITY_LIMITS.appErrorsPer5Minutes),
        )
        .check("errorLogFilterPattern", args.errorLogFilterPattern, filterPattern)
        .check("logRetentionDays", args.logRetentionDays, logRetentionDays)
        .check("monthlyBudgetUsd", args.monthlyBudgetUsd, numberIn(OBSERVABILITY_LIMITS.monthlyBudgetUsd))
        .check(
            "budgetForecastThresholdPercent",
            args.budgetForecastThresholdPercent,
            numberIn(OBSERVABILITY_LIMITS.budgetThresholdPercent),
        )
        .check(
            "budgetActualThresholdPercent",
            args.budgetActualThresholdPercent,
            numberIn(OBSERVABILITY_LIMITS.budgetThresholdPercent),
        )
        .check(
            "tracingSamplingPercent",
            args.tracingSamplingPercent,
            numberIn(OBSERVABILITY_LIMITS.tracingSamplingPercent),
        )
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
        const empty = key.trim() === "" || value.trim() === "";
        problems
            .add(
                empty,
                `\`budgetCostAllocationTags\` must have non-empty keys and values; got ${describeValue({ [key]: value })}.`,
            )
            .add(
                !empty && !(TAG_TEXT.test(key) && key.length <= 128 && TAG_TEXT.test(value) && value.length <= 256),
                `\`budgetCostAllocationTags\` must have tag keys (at most 128 characters) and values (at most 256) of letters, digits, spaces and _.:/=+-@; got ${describeValue({ [key]: value })}.`,
            );
    }
    return problems.messages;
}
