import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgProblems, integerInRange, logRetentionDays } from "./validation";

/** The AWS managed rule groups on the API, in evaluation order. */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;

/**
 * Rules of the common rule set that only count. An ALB forwards just the first 8 KiB of a
 * body to WAF (a fixed limit for ALBs), and `SizeRestrictions_BODY` blocks every body
 * larger than that, which would reject every real CSV upload.
 */
export const COUNT_ONLY_RULES: Readonly<Partial<Record<(typeof MANAGED_RULE_GROUPS)[number], readonly string[]>>> = {
    AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"],
};

export interface WebAclArgs {
    /** ARN of the regional resource to protect (the load balancer). */
    readonly resourceArn: pulumi.Input<string>;
    /**
     * Requests per client IP per 5 minutes before the rate-based rule blocks.
     * @default 2000
     */
    readonly rateLimitPer5Minutes?: number;
    /** KMS key of the WAF log group (a key that allows CloudWatch Logs). */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /**
     * Retention of the WAF log group, a CloudWatch-allowed value.
     * @default 365
     */
    readonly logRetentionDays?: number;
}

/** Every problem with a WebAcl's args; also run by ApiService before it builds anything. */
export function webAclArgProblems(
    args: Pick<WebAclArgs, "rateLimitPer5Minutes" | "logRetentionDays">,
    problems: ArgProblems = new ArgProblems(),
    rateLimitField = "rateLimitPer5Minutes",
): ArgProblems {
    return problems
        .check(rateLimitField, args.rateLimitPer5Minutes, integerInRange(100, 2000000000))
        .check("logRetentionDays", args.logRetentionDays, logRetentionDays);
}

/**
 * A regional WAFv2 web ACL on the load balancer: IP reputation, the common rule set (body
 * size rule counting only, so uploads pass), known bad inputs, SQL injection, and a rate
 * limit per client IP; logs to a KMS-encrypted log group with the Authorization header redacted.
 */
export class WebAcl extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    /** The ACL's name: the `WebACL` dimension of its CloudWatch metrics. */
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:api:WebAcl", name, {}, opts);
        const rateLimitPer5Minutes = args.rateLimitPer5Minutes ?? 2000;
        const retentionDays = args.logRetentionDays ?? 365;
        webAclArgProblems(args).throwIfAny(this, `WebAcl ${name}`);

        const metric = (metricName: string) => ({
            cloudwatchMetricsEnabled: true,
            sampledRequestsEnabled: true,
            metricName: `${name}-${metricName}`,
        });
        const managedRules: aws.types.input.wafv2.WebAclRule[] = MANAGED_RULE_GROUPS.map((group, priority) => ({
            name: group,
            priority,
            overrideAction: { none: {} },
            statement: {
                managedRuleGroupStatement: {
                    vendorName: "AWS",
                    name: group,
                    ruleActionOverrides: (COUNT_ONLY_RULES[group] ?? []).map((rule) => ({
                        name: rule,
                        actionToUse: { count: {} },
                    })),
                },
            },
            visibilityConfig: metric(group),
        }));
        const acl = new aws.wafv2.WebAcl(
            name,
            {
                scope: "REGIONAL",
                description: `Protects the load balancer of ${name}`,
                defaultAction: { allow: {} },
                rules: [
                    ...managedRules,
                    {
                        name: "RateLimitPerIp",
                        priority: MANAGED_RULE_GROUPS.length,
                        action: { block: {} },
                        statement: {
                            rateBasedStatement: {
                                limit: rateLimitPer5Minutes,
                                aggregateKeyType: "IP",
                                evaluationWindowSec: 300,
                            },
                        },
                        visibilityConfig: metric("RateLimitPerIp"),
                    },
                ],
                visibilityConfig: metric("acl"),
            },
            { parent: this },
        );
        new aws.wafv2.WebAclAssociation(
            `${name}-association`,
            { resourceArn: args.resourceArn, webAclArn: acl.arn },
            { parent: this },
        );
        // WAF only logs to log groups whose name starts with "aws-waf-logs-".
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { namePrefix: `aws-waf-logs-${name}-`, retentionInDays: retentionDays, kmsKeyId: args.logsKmsKeyArn },
            { parent: this },
        );
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-logging`,
            {
                resourceArn: acl.arn,
                logDestinationConfigs: [logGroup.arn],
                redactedFields: [{ singleHeader: { name: "authorization" } }],
            },
            { parent: this },
        );

        this.arn = acl.arn;
        this.name = acl.name;
        this.registerOutputs({ arn: this.arn, name: this.name });
    }
}
