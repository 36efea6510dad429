import { StackValidationPolicy } from "@pulumi/policy";
import { requiredSchema } from "../common";
import { label } from "../labels";
import { vpcZones } from "../vpcTopology";

/** Counts the NAT gateways the stack really has per zone of the VPC's subnets (see `vpcZones`). */
export const vpcNatGatewayRequireOnePerAz: StackValidationPolicy = {
    name: "vpc-nat-gateway-require-one-per-az",
    description:
        "Where the stack's policy config requires it, the VPC must have one NAT gateway per availability zone.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            required: requiredSchema("Require one NAT gateway per zone (production); false lets a stack share one."),
        },
    },
    validateStack: (args, report) => {
        if (!args.getConfig<{ required: boolean }>().required)
            args.notApplicable("not required by this stack's config");
        for (const { vpc, zones, natZones } of vpcZones(args.resources)) {
            const missing = [...zones].filter((zone) => !natZones.has(zone)).sort();
            if (missing.length > 0) {
                report(
                    `${label("VPC", vpc.name)} has NAT gateways in ${natZones.size} of its ${zones.size} availability zones (none in ${missing.join(", ")}); it must have one per zone.`,
                    vpc.urn,
                );
            }
        }
    },
};
