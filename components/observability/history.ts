import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";

/** What `alarmHistory` records and how it keeps it. */
export interface AlarmHistoryInputs {
    /** ARNs of the alarms whose state changes are recorded. */
    readonly alarmArns: pulumi.Input<string>[];
    /** Retention of the log group; a CloudWatch-allowed value. */
    readonly retentionInDays: number;
    /** KMS key of the log group (must allow CloudWatch Logs). */
    readonly kmsKeyId: pulumi.Input<string>;
}

/**
 * The Observability component's alarm history: an encrypted log group that an EventBridge
 * rule fills with every state change of the alarms. Creates `<name>-alarm-history` (log
 * group, rule, log resource policy and rule target), all children of `parent`, and returns
 * the log group.
 */
export function alarmHistory(
    name: string,
    namePrefix: string,
    inputs: AlarmHistoryInputs,
    parent: pulumi.Resource,
): cloudwatch.LogGroup {
    const historyGroup = new cloudwatch.LogGroup(
        `${name}-alarm-history`,
        {
            name: `/aws/events/${namePrefix}/alarm-history`,
            retentionInDays: inputs.retentionInDays,
            kmsKeyId: inputs.kmsKeyId,
        },
        { parent },
    );
    const historyRule = new cloudwatch.EventRule(
        `${name}-alarm-history`,
        {
            name: `${namePrefix}-alarm-history`,
            description: `State changes of the ${namePrefix} alarms`,
            eventPattern: pulumi.all(inputs.alarmArns).apply((arns) =>
                JSON.stringify({
                    source: ["aws.cloudwatch"],
                    "detail-type": ["CloudWatch Alarm State Change"],
                    resources: arns,
                }),
            ),
        },
        { parent },
    );
    const historyPolicy = new cloudwatch.LogResourcePolicy(
        `${name}-alarm-history`,
        {
            policyName: `${namePrefix}-alarm-history`,
            policyDocument: historyGroup.arn.apply(
                (groupArn) =>
                    iam.getPolicyDocumentOutput(
                        {
                            statements: [
                                {
                                    sid: "EventBridgeWritesAlarmHistory",
                                    actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                    resources: [`${groupArn}:*`],
                                    principals: [
                                        {
                                            type: "Service",
                                            identifiers: ["events.amazonaws.com", "delivery.logs.amazonaws.com"],
                                        },
                                    ],
                                },
                            ],
                        },
                        { parent },
                    ).json,
            ),
        },
        { parent },
    );
    new cloudwatch.EventTarget(
        `${name}-alarm-history`,
        { rule: historyRule.name, arn: historyGroup.arn },
        { parent, dependsOn: [historyPolicy] },
    );
    return historyGroup;
}
