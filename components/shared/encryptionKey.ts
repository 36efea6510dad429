import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { ArgProblems, integerInRange } from "./validation";

/** AWS services that may be granted use of a key through its key policy. */
export type KeyService = "logs" | "cloudwatch" | "sns" | "events" | "budgets";

export interface EncryptionKeyArgs {
    /** What the key protects; shown in the KMS console. */
    readonly description: string;
    /**
     * Alias (without `alias/`), unique in the account and region.
     * @default - no alias
     */
    readonly alias?: pulumi.Input<string>;
    /**
     * Services whose principals may use the key. `logs` is scoped to this account's log
     * groups by encryption context; the others to this account by `aws:SourceAccount`.
     * @default []
     */
    readonly allowServices?: readonly KeyService[];
    /**
     * Days KMS waits before deleting the key after `pulumi destroy` (7-30).
     * @default 30
     */
    readonly deletionWindowDays?: number;
    /**
     * Pulumi `retainOnDelete` on the key: `pulumi destroy` (or a replacement) leaves it in AWS.
     * Pulumi `protect` needs no arg: pass it in the component's options, children inherit it.
     * @default false
     */
    readonly retainOnDelete?: boolean;
}

/**
 * A customer-managed KMS key with rotation on and a key policy that keeps administration
 * with the account and grants only the named services, scoped to this account.
 */
export class EncryptionKey extends pulumi.ComponentResource {
    public readonly key: kms.Key;
    public readonly arn: pulumi.Output<string>;
    public readonly keyId: pulumi.Output<string>;

    constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:security:EncryptionKey", name, {}, opts);
        const allowServices = args.allowServices ?? [];
        const deletionWindowDays = args.deletionWindowDays ?? 30;
        new ArgProblems()
            .check("deletionWindowDays", deletionWindowDays, integerInRange(7, 30))
            .add(args.description.trim() === "", '`description` must not be empty; got "".')
            .throwIfAny(this, `EncryptionKey ${name}`);

        const identity = getCallerIdentityOutput({}, { parent: this });
        const partition = getPartitionOutput({}, { parent: this });
        const region = getRegionOutput({}, { parent: this });
        const policy = pulumi
            .all([identity.accountId, partition.partition, region.region])
            .apply(([account, part, reg]) =>
                iam.getPolicyDocumentOutput(
                    { statements: keyPolicyStatements(account, part, reg, allowServices) },
                    { parent: this },
                ),
            );

        this.key = new kms.Key(
            `${name}-key`,
            {
                description: args.description,
                enableKeyRotation: true,
                deletionWindowInDays: deletionWindowDays,
                policy: policy.json,
            },
            { parent: this, retainOnDelete: args.retainOnDelete ?? false },
        );
        if (args.alias !== undefined) {
            new kms.Alias(
                `${name}-alias`,
                { name: pulumi.interpolate`alias/${args.alias}`, targetKeyId: this.key.keyId },
                { parent: this },
            );
        }
        this.arn = this.key.arn;
        this.keyId = this.key.keyId;
        this.registerOutputs({ arn: this.arn, keyId: this.keyId });
    }
}

const USE_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"];

/** Key policy statements; exported for tests. */
export function keyPolicyStatements(
    account: string,
    partition: string,
    region: string,
    services: readonly KeyService[],
): input.iam.GetPolicyDocumentStatement[] {
    const statements: input.iam.GetPolicyDocumentStatement[] = [
        {
            sid: "AccountAdministers",
            actions: ["kms:*"],
            resources: ["*"],
            principals: [{ type: "AWS", identifiers: [`arn:${partition}:iam::${account}:root`] }],
        },
    ];
    for (const service of new Set(services)) {
        if (service === "logs") {
            statements.push({
                sid: "CloudWatchLogsUse",
                actions: USE_ACTIONS,
                resources: ["*"],
                principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
                conditions: [
                    {
                        test: "ArnLike",
                        variable: "kms:EncryptionContext:aws:logs:arn",
                        values: [`arn:${partition}:logs:${region}:${account}:log-group:*`],
                    },
                ],
            });
        } else {
            statements.push({
                sid: `${service[0].toUpperCase()}${service.slice(1)}Use`,
                actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
                resources: ["*"],
                principals: [{ type: "Service", identifiers: [`${service}.amazonaws.com`] }],
                conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
            });
        }
    }
    return statements;
}
