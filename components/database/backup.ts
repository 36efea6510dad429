import * as backup from "@pulumi/aws/backup";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import * as iam from "@pulumi/aws/iam";
import type { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../shared/encryptionKey";

/** What {@link createCrossRegionBackup} needs; the Database fills it from its own args. */
export interface CrossRegionBackupArgs {
    /** The Database component: parent of every resource made here. */
    readonly parent: pulumi.Resource;
    /** ARN of the Aurora cluster the plan selects. */
    readonly clusterArn: pulumi.Input<string>;
    /** KMS key of the primary-region vault (the database key). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Days each recovery point, and each copy in the DR region, is kept. */
    readonly retentionDays: number;
    /** AWS Backup schedule expression (UTC). */
    readonly schedule: string;
    /** Provider for the DR region: the DR vault and its key live there. */
    readonly drProvider: Provider;
    /** Pulumi `protect` and `retainOnDelete` on the vaults and the DR key. */
    readonly protect: boolean;
}

export interface CrossRegionBackup {
    readonly vault: backup.Vault;
    readonly drVault: backup.Vault;
    readonly drKey: EncryptionKey;
    readonly plan: backup.Plan;
}

/**
 * An AWS Backup plan that snapshots the cluster daily into a vault in the primary region and
 * copies every recovery point to a vault in the DR region, encrypted with that region's own
 * customer-managed key: a regional outage or a lost primary key still leaves a restorable copy.
 */
export function createCrossRegionBackup(name: string, args: CrossRegionBackupArgs): CrossRegionBackup {
    const { parent, protect } = args;
    const stateful = { parent, protect, retainOnDelete: protect };
    const drKey = new EncryptionKey(
        `${name}-dr-key`,
        { description: `AWS Backup copies of ${name} in the DR region`, retainOnDelete: protect },
        { parent, protect, provider: args.drProvider },
    );
    const drVault = new backup.Vault(
        `${name}-dr-vault`,
        { kmsKeyArn: drKey.arn },
        { ...stateful, provider: args.drProvider },
    );
    const vault = new backup.Vault(`${name}-vault`, { kmsKeyArn: args.kmsKeyArn }, stateful);

    const lifecycle = { deleteAfter: args.retentionDays };
    const plan = new backup.Plan(
        `${name}-backup-plan`,
        {
            rules: [
                {
                    ruleName: "daily-with-dr-copy",
                    targetVaultName: vault.id, // a vault's id is its name
                    schedule: args.schedule,
                    startWindow: 60,
                    completionWindow: 360,
                    lifecycle,
                    copyActions: [{ destinationVaultArn: drVault.arn, lifecycle }],
                },
            ],
        },
        { parent },
    );

    const partition = getPartitionOutput({}, { parent }).partition;
    const trust = iam.getPolicyDocumentOutput(
        {
            statements: [
                {
                    actions: ["sts:AssumeRole"],
                    principals: [{ type: "Service", identifiers: ["backup.amazonaws.com"] }],
                },
            ],
        },
        { parent },
    );
    const role = new iam.Role(`${name}-backup-role`, { assumeRolePolicy: trust.json }, { parent });
    for (const policy of ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"]) {
        new iam.RolePolicyAttachment(
            `${name}-backup-${policy.endsWith("Backup") ? "backup" : "restores"}`,
            { role: role.id, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/${policy}` },
            { parent },
        );
    }
    new backup.Selection(
        `${name}-backup-selection`,
        { planId: plan.id, iamRoleArn: role.arn, resources: [args.clusterArn] },
        { parent },
    );
    return { vault, drVault, drKey, plan };
}
