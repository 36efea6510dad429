import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { AwsxVpc } from "../awsTypes";
import { label } from "../labels";

/** awsx spreads a VPC over the region's first three zones unless told otherwise. */
const AWSX_DEFAULT_ZONES = 3;

export const vpcNetworkRequireMultiAz: ResourceValidationPolicy = {
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
    validateResource: validateResourceOfType(AwsxVpc, (vpc, args, report) => {
        const { minAvailabilityZoneCount } = args.getConfig<{ minAvailabilityZoneCount: number }>();
        const zones = vpc.availabilityZoneNames
            ? new Set(vpc.availabilityZoneNames).size
            : (vpc.numberOfAvailabilityZones ?? AWSX_DEFAULT_ZONES);
        if (zones < minAvailabilityZoneCount) {
            report(
                `${label("VPC", args.name)} spans ${zones} availability zone${zones === 1 ? "" : "s"}; it must span at least ${minAvailabilityZoneCount}.`,
            );
        }
    }),
};
