import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import * as iam from "@pulumi/aws/iam";
import * as sns from "@pulumi/aws/sns";
import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../shared/encryptionKey";

/** The alarm topic's resources, as `alarmTopic` creates them. */
export interface AlarmTopicResources {
    /** KMS key of the topic (and of the alarm-history log group). */
    readonly key: EncryptionKey;
    readonly topic: sns.Topic;
    /** Lets CloudWatch and Budgets publish; a publisher must depend on it. */
    readonly topicPolicy: sns.TopicPolicy;
}

/**
 * The Observability component's alarm topic: encrypted with its own key, publishable by
 * CloudWatch and Budgets only, with one email subscription per address. Creates
 * `<name>-key`, `<name>-alarms` (topic and policy) and `<name>-email-<address>`, all
 * children of `parent`.
 */
export function alarmTopic(
    name: string,
    namePrefix: string,
    alarmEmails: readonly string[],
    parent: pulumi.Resource,
): AlarmTopicResources {
    const identity = getCallerIdentityOutput({}, { parent });
    const partition = getPartitionOutput({}, { parent });
    const key = new EncryptionKey(
        `${name}-key`,
        {
            description: `Alarm notifications and alarm history of ${namePrefix}`,
            allowServices: ["cloudwatch", "budgets", "logs"],
        },
        { parent },
    );
    const topic = new sns.Topic(
        `${name}-alarms`,
        { displayName: `${namePrefix} alarms`, kmsMasterKeyId: key.arn },
        { parent },
    );
    const topicPolicy = new sns.TopicPolicy(
        `${name}-alarms`,
        {
            arn: topic.arn,
            policy: pulumi
                .all([topic.arn, identity.accountId, partition.partition])
                .apply(([topicArn, account, part]) =>
                    iam.getPolicyDocumentOutput(
                        { statements: topicPolicyStatements(topicArn, account, part) },
                        { parent },
                    ),
                ).json,
        },
        { parent },
    );
    for (const email of alarmEmails) {
        new sns.TopicSubscription(
            `${name}-email-${email.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
            { topic: topic.arn, protocol: "email", endpoint: email },
            { parent },
        );
    }
    return { key, topic, topicPolicy };
}

/** The alarm topic's policy: the account administers it; CloudWatch and Budgets publish. */
export function topicPolicyStatements(
    topicArn: string,
    account: string,
    partition: string,
): input.iam.GetPolicyDocumentStatement[] {
    return [
        {
            sid: "AccountAdministers",
            actions: [
                "SNS:GetTopicAttributes",
                "SNS:SetTopicAttributes",
                "SNS:AddPermission",
                "SNS:RemovePermission",
                "SNS:DeleteTopic",
                "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic",
                "SNS:Publish",
            ],
            resources: [topicArn],
            principals: [{ type: "AWS", identifiers: [`arn:${partition}:iam::${account}:root`] }],
        },
        {
            sid: "CloudWatchAlarmsPublish",
            actions: ["SNS:Publish"],
            resources: [topicArn],
            principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
            conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
        },
        {
            sid: "BudgetsPublish",
            actions: ["SNS:Publish"],
            resources: [topicArn],
            principals: [{ type: "Service", identifiers: ["budgets.amazonaws.com"] }],
            conditions: [
                { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
                { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:${partition}:budgets::${account}:*`] },
            ],
        },
        {
            sid: "DenyInsecureTransport",
            effect: "Deny",
            actions: ["SNS:Publish"],
            resources: [topicArn],
            principals: [{ type: "*", identifiers: ["*"] }],
            conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
    ];
}
