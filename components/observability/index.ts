import * as budgets from "@pulumi/aws/budgets";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as xray from "@pulumi/aws/xray";
import * as pulumi from "@pulumi/pulumi";
import { alarmHistory } from "./history";
import { AlarmDefinition, anyAlarmRule, apiAlarmDefinitions, metricAlarmArgs } from "./alarms";
import { alarmTopic } from "./topic";
import { apiDashboardBody } from "./dashboard";
import { ObservabilityArgs, OBSERVABILITY_DEFAULTS, observabilityArgProblems } from "./args";
import { ArgProblems } from "../shared/validation";

// Validation and the alarm topic's policy live in their own files; re-exported so they stay
// importable from here and from `./components`.
export { OBSERVABILITY_DEFAULTS, OBSERVABILITY_LIMITS, observabilityArgProblems } from "./args";
export type { ObservabilityArgs } from "./args";
export { topicPolicyStatements } from "./topic";
export * from "./dashboard";
export * from "./alarms";

const APPLICATION_ERROR_METRIC = "ErrorLogLines";

/**
 * Watches the API, its tasks and its database: an encrypted alarm topic with email
 * subscriptions, metric alarms with alarm and OK actions, a composite "API down" alarm,
 * an ERROR-line metric filter on the API's log, one dashboard, an alarm-history log group,
 * a monthly budget, and an optional X-Ray sampling rule.
 */
export class Observability extends pulumi.ComponentResource {
    /** ARN of the SNS topic every alarm and the budget notify. */
    public readonly alarmTopicArn: pulumi.Output<string>;
    /** ARN of the KMS key of the topic and the alarm-history log group. */
    public readonly keyArn: pulumi.Output<string>;
    /** Names of the metric alarms, by key (e.g. `target-5xx-rate`). */
    public readonly alarmNames: pulumi.Output<Record<string, string>>;
    /** Name of the composite "API down" alarm. */
    public readonly apiDownAlarmName: pulumi.Output<string>;
    public readonly apiDownAlarmArn: pulumi.Output<string>;
    public readonly dashboardName: pulumi.Output<string>;
    /** Console URL of the dashboard. */
    public readonly dashboardUrl: pulumi.Output<string>;
    /** The application's ERROR-line metric, as `<namespace>/<name>`. */
    public readonly applicationErrorMetric: pulumi.Output<string>;
    public readonly alarmHistoryLogGroupName: pulumi.Output<string>;
    public readonly budgetName: pulumi.Output<string>;
    /** Name of the X-Ray sampling rule, or undefined when tracing is off. */
    public readonly samplingRuleName: pulumi.Output<string | undefined>;

    constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:observability:Observability", name, {}, opts);
        const namePrefix = args.namePrefix ?? `${pulumi.getProject()}-${pulumi.getStack()}`;
        const d = OBSERVABILITY_DEFAULTS;
        const alarmEmails = args.alarmEmails ?? d.alarmEmails;
        const errorLogFilterPattern = args.errorLogFilterPattern ?? d.errorLogFilterPattern;
        const retentionInDays = args.logRetentionDays ?? d.logRetentionDays;
        const budgetForecastThresholdPercent = args.budgetForecastThresholdPercent ?? d.budgetForecastThresholdPercent;
        const budgetActualThresholdPercent = args.budgetActualThresholdPercent ?? d.budgetActualThresholdPercent;
        const tracingServiceName = args.tracingServiceName ?? namePrefix;
        const applicationMetricNamespace = `${namePrefix}/Application`;
        const thresholds = {
            evaluationPeriods: args.evaluationPeriods ?? d.evaluationPeriods,
            http5xxRatePercent: args.http5xxRatePercent ?? d.http5xxRatePercent,
            minRequestsPerMinuteForRate: args.minRequestsPerMinuteForRate ?? d.minRequestsPerMinuteForRate,
            latencyP95ThresholdMs: args.latencyP95ThresholdMs ?? d.latencyP95ThresholdMs,
            latencyP99ThresholdMs: args.latencyP99ThresholdMs ?? d.latencyP99ThresholdMs,
            minHealthyHosts: args.minHealthyHosts,
            ecsCpuThresholdPercent: args.ecsCpuThresholdPercent ?? d.ecsCpuThresholdPercent,
            ecsMemoryThresholdPercent: args.ecsMemoryThresholdPercent ?? d.ecsMemoryThresholdPercent,
            dbCpuThresholdPercent: args.dbCpuThresholdPercent ?? d.dbCpuThresholdPercent,
            dbConnectionsThresholdPercent: args.dbConnectionsThresholdPercent ?? d.dbConnectionsThresholdPercent,
            dbMaxConnections: args.dbMaxConnections,
            dbReplicaLagThresholdMs: args.dbReplicaLagThresholdMs ?? d.dbReplicaLagThresholdMs,
            dbFreeableMemoryThresholdMiB: args.dbFreeableMemoryThresholdMiB ?? d.dbFreeableMemoryThresholdMiB,
            dbFreeLocalStorageThresholdMiB: args.dbFreeLocalStorageThresholdMiB ?? d.dbFreeLocalStorageThresholdMiB,
            appErrorThresholdPer5Minutes: args.appErrorThresholdPer5Minutes ?? d.appErrorThresholdPer5Minutes,
        };
        const problems = new ArgProblems();
        observabilityArgProblems(args, namePrefix).forEach((message) => problems.addMessage(message));
        problems.throwIfAny(this, `Observability ${name}`);

        const region = args.region ?? getRegionOutput({}, { parent: this }).region;

        // --- Alarm topic: encrypted, publishable by CloudWatch and Budgets only ---
        const { key, topic, topicPolicy } = alarmTopic(name, namePrefix, alarmEmails, this);

        // --- Application errors: a metric from the API's log ---
        new cloudwatch.LogMetricFilter(
            `${name}-app-errors`,
            {
                name: `${namePrefix}-app-errors`,
                logGroupName: args.apiLogGroupName,
                pattern: errorLogFilterPattern,
                metricTransformation: {
                    namespace: applicationMetricNamespace,
                    name: APPLICATION_ERROR_METRIC,
                    value: "1",
                    // Reports 0 while the log receives lines and none match, so the graph is continuous.
                    defaultValue: "0",
                    unit: "Count",
                },
            },
            { parent: this },
        );

        // --- Metric alarms and the composite ---
        const definitions = apiAlarmDefinitions(
            {
                loadBalancerArnSuffix: args.loadBalancerArnSuffix,
                targetGroupArnSuffix: args.targetGroupArnSuffix,
                ecsClusterName: args.ecsClusterName,
                ecsServiceName: args.ecsServiceName,
                dbClusterIdentifier: args.dbClusterIdentifier,
                applicationMetricNamespace,
                applicationErrorMetricName: APPLICATION_ERROR_METRIC,
            },
            thresholds,
        );
        const alarmName = (definition: AlarmDefinition) => `${namePrefix}-${definition.key}`;
        const alarms = definitions.map(
            (definition) =>
                new cloudwatch.MetricAlarm(
                    `${name}-${definition.key}`,
                    metricAlarmArgs(definition, alarmName(definition), topic.arn),
                    { parent: this },
                ),
        );
        const apiDown = new cloudwatch.CompositeAlarm(
            `${name}-api-down`,
            {
                alarmName: `${namePrefix}-api-down`,
                alarmDescription:
                    "The API is down or failing: too few healthy targets, or a 5xx rate above the limit at the targets or the load balancer.",
                alarmRule: anyAlarmRule(definitions.filter((d) => d.critical).map(alarmName)),
                actionsEnabled: true,
                alarmActions: [topic.arn],
                okActions: [topic.arn],
            },
            // The rule names the alarms: they must exist first.
            { parent: this, dependsOn: alarms },
        );
        const alarmArns = [...alarms.map((alarm) => alarm.arn), apiDown.arn];

        // --- Alarm history: every state change of these alarms, kept for the log retention ---
        const historyGroup = alarmHistory(name, namePrefix, { alarmArns, retentionInDays, kmsKeyId: key.arn }, this);

        // --- Dashboard ---
        const dashboardName = `${namePrefix}`;
        const dashboard = new cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                dashboardName,
                dashboardBody: pulumi
                    .all([
                        region,
                        args.loadBalancerArnSuffix,
                        args.targetGroupArnSuffix,
                        args.ecsClusterName,
                        args.ecsServiceName,
                        args.dbClusterIdentifier,
                        pulumi.output(args.webAclName),
                        pulumi.all(alarmArns),
                    ])
                    .apply(([reg, lb, tg, cluster, service, db, webAcl, arns]) =>
                        apiDashboardBody({
                            region: reg,
                            loadBalancerArnSuffix: lb,
                            targetGroupArnSuffix: tg,
                            ecsClusterName: cluster,
                            ecsServiceName: service,
                            dbClusterIdentifier: db,
                            dbMaxConnections: thresholds.dbMaxConnections,
                            webAclName: webAcl,
                            applicationMetricNamespace,
                            applicationErrorMetricName: APPLICATION_ERROR_METRIC,
                            alarmArns: arns,
                        }),
                    ),
            },
            { parent: this },
        );

        // --- Budget: forecast and actual notifications to the topic ---
        // A user-defined tag filter is "user:<key>$<value>" (@pulumi/aws 7.48.0 budgets/budget.d.ts,
        // "Create a cost filter using resource tags"; AWS Budgets: "TagKeyValue").
        const tagFilters = Object.entries(args.budgetCostAllocationTags ?? {}).map(
            ([tagKey, value]) => `user:${tagKey}$${value}`,
        );
        const notify = (notificationType: "FORECASTED" | "ACTUAL", threshold: number) => ({
            notificationType,
            threshold,
            thresholdType: "PERCENTAGE",
            comparisonOperator: "GREATER_THAN",
            subscriberSnsTopicArns: [topic.arn],
        });
        const budget = new budgets.Budget(
            `${name}-budget`,
            {
                name: `${namePrefix}-monthly`,
                budgetType: "COST",
                timeUnit: "MONTHLY",
                limitAmount: String(args.monthlyBudgetUsd ?? d.monthlyBudgetUsd),
                limitUnit: "USD",
                costFilters: tagFilters.length > 0 ? [{ name: "TagKeyValue", values: tagFilters }] : undefined,
                notifications: [
                    notify("FORECASTED", budgetForecastThresholdPercent),
                    notify("ACTUAL", budgetActualThresholdPercent),
                ],
            },
            // Budgets can publish only once the topic policy lets it.
            { parent: this, dependsOn: [topicPolicy] },
        );

        // --- Tracing: how much of the API's traffic X-Ray samples ---
        const samplingRule =
            args.tracingSamplingPercent === undefined
                ? undefined
                : new xray.SamplingRule(
                      `${name}-sampling`,
                      {
                          ruleName: `${namePrefix}-api`.slice(0, 32).replace(/[-_]+$/, ""),
                          priority: 1000,
                          version: 1,
                          // One trace a second is always taken; beyond it, the configured share.
                          reservoirSize: 1,
                          fixedRate: args.tracingSamplingPercent / 100,
                          serviceName: tracingServiceName,
                          serviceType: "*",
                          host: "*",
                          httpMethod: "*",
                          urlPath: "*",
                          resourceArn: "*",
                      },
                      { parent: this },
                  );

        this.alarmTopicArn = topic.arn;
        this.keyArn = key.arn;
        this.alarmNames = pulumi.output(Object.fromEntries(definitions.map((d) => [d.key, alarmName(d)])));
        this.apiDownAlarmName = pulumi.output(`${namePrefix}-api-down`);
        this.apiDownAlarmArn = apiDown.arn;
        this.dashboardName = dashboard.dashboardName;
        this.dashboardUrl = pulumi.interpolate`https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${dashboard.dashboardName}`;
        this.applicationErrorMetric = pulumi.output(`${applicationMetricNamespace}/${APPLICATION_ERROR_METRIC}`);
        this.alarmHistoryLogGroupName = historyGroup.name;
        this.budgetName = budget.name;
        this.samplingRuleName = samplingRule ? samplingRule.ruleName : pulumi.output(undefined);
        this.registerOutputs({
            alarmTopicArn: this.alarmTopicArn,
            keyArn: this.keyArn,
            alarmNames: this.alarmNames,
            apiDownAlarmName: this.apiDownAlarmName,
            apiDownAlarmArn: this.apiDownAlarmArn,
            dashboardName: this.dashboardName,
            dashboardUrl: this.dashboardUrl,
            applicationErrorMetric: this.applicationErrorMetric,
            alarmHistoryLogGroupName: this.alarmHistoryLogGroupName,
            budgetName: this.budgetName,
            samplingRuleName: this.samplingRuleName,
        });
    }
}
