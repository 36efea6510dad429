import * as costexplorer from "@pulumi/aws/costexplorer";
import { COST_ALLOCATION_TAG } from "../config";

/*
 * Activation of the cost-allocation tag every stack's budget filters on (`Stack`). Activation is
 * account-wide (the payer account's cost allocation tags), so it lives here, once per account,
 * and not in the stacks: two stacks managing it would fight, and destroying either would
 * deactivate it for both (the provider deactivates on delete: terraform-provider-aws
 * internal/service/ce/cost_allocation_tag.go).
 *
 * Only the management account of an organization (or a standalone account) manages cost allocation
 * tags (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/custom-tags.html). Two
 * documented delays (the note in @pulumi/aws 7.48.0 costexplorer/costAllocationTag.d.ts; "It can
 * take up to 24 hours for tags to activate", .../aboutv2/activate-built-in-tags.html):
 * - a tag key appears for activation up to 24 hours after resources first carry it; activating
 *   an unknown key fails (the provider reads it back with ListCostAllocationTags). So the first
 *   bootstrap runs with `activateCostAllocationTag: false`; a day later it is set to true.
 * - after activation, up to 24 hours pass before the tag applies to costs; only costs from then
 *   on carry it, so a stack's budget reads $0 until then.
 */
export function costAllocationTags(name: string, activate: boolean): costexplorer.CostAllocationTag[] {
    if (!activate) return [];
    return [
        new costexplorer.CostAllocationTag(
            `${name}-${COST_ALLOCATION_TAG.toLowerCase()}`,
            { tagKey: COST_ALLOCATION_TAG, status: "Active" },
            // Deactivating on destroy would silence every stack's budget; keep it active.
            { retainOnDelete: true },
        ),
    ];
}
