import { StackValidationPolicy } from "@pulumi/policy";
import { label } from "../labels";
import { vpcZones } from "../vpcTopology";

/**
 * Judges the subnets the stack really has (an awsx VPC's children included): the awsx
 * component itself reaches the engine with empty props, so its args cannot be read.
 */
export const vpcNetworkRequireMultiAz: StackValidationPolicy = {
    name: "vpc-network-require-multi-az",
    description: "The VPC must spread its subnets over at least two availability zones.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minAvailabilityZoneCount: {
                type: "integer",
                minimum: 1,
                default: 2,
                description: "Fewest availability zones the VPC may span.",
            },
        },
    },
    validateStack: (args, report) => {
        const { minAvailabilityZoneCount } = args.getConfig<{ minAvailabilityZoneCount: number }>();
        for (const { vpc, zones } of vpcZones(args.resources)) {
            if (zones.size < minAvailabilityZoneCount) {
                report(
                    `${label("VPC", vpc.name)} has subnets in ${zones.size} availability zone${zones.size === 1 ? "" : "s"}; it must span at least ${minAvailabilityZoneCount}.`,
                    vpc.urn,
                );
            }
        }
    },
};
