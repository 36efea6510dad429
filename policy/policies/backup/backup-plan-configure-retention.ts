import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { asList } from "../common";
import { BackupPlan } from "../awsTypes";
import { label } from "../labels";

export const backupPlanConfigureRetention: ResourceValidationPolicy = {
    name: "backup-plan-configure-retention",
    description:
        "AWS Backup plans must keep recovery points, and their copies, for at least the configured number of days.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumDays: {
                type: "integer",
                minimum: 1,
                default: 7,
                description: "Fewest days a recovery point or copy may be kept.",
            },
        },
    },
    validateResource: validateResourceOfType(BackupPlan, (plan, args, report) => {
        const { minimumDays } = args.getConfig<{ minimumDays: number }>();
        const what = label("Backup plan", args.name);
        for (const rule of asList(plan.rules)) {
            const ruleName = JSON.stringify(rule.ruleName ?? "");
            // No lifecycle (or no deleteAfter) keeps recovery points until deleted by hand.
            const days = rule.lifecycle?.deleteAfter;
            if (days !== undefined && days < minimumDays) {
                report(
                    `${what} rule ${ruleName} has lifecycle.deleteAfter ${days}; it must be at least ${minimumDays} (days).`,
                );
            }
            for (const copy of asList(rule.copyActions)) {
                const copyDays = copy.lifecycle?.deleteAfter;
                if (copyDays !== undefined && copyDays < minimumDays) {
                    report(
                        `${what} rule ${ruleName} copies to a vault with lifecycle.deleteAfter ${copyDays}; it must be at least ${minimumDays} (days).`,
                    );
                }
            }
        }
    }),
};
