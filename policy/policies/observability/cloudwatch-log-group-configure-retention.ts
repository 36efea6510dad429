import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { LogGroup } from "../awsTypes";
import { show } from "../common";
import { label } from "../labels";

export const cloudwatchLogGroupConfigureRetention: ResourceValidationPolicy = {
    name: "cloudwatch-log-group-configure-retention",
    description:
        "CloudWatch log groups must expire their logs after a retention of at least the configured number of days.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumDays: {
                type: "integer",
                minimum: 1,
                default: 30,
                description: "Shortest retention (days) a log group may set; never-expire (0 or unset) is not allowed.",
            },
        },
    },
    validateResource: validateResourceOfType(LogGroup, (group, args, report) => {
        const { minimumDays } = args.getConfig<{ minimumDays: number }>();
        const days = group.retentionInDays;
        if (days === undefined || days === 0 || days < minimumDays) {
            report(
                `${label("CloudWatch log group", args.name)} has retentionInDays ${days === 0 ? "0 (never expire)" : show(days)}; it must be at least ${minimumDays}.`,
            );
        }
    }),
};
