import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { AwsxVpc } from "../awsTypes";
import { requiredSchema, show } from "../common";
import { label } from "../labels";

/** awsx's default when a VPC has public and private subnets. */
const AWSX_DEFAULT_STRATEGY = "OnePerAz";
/** awsx's default number of availability zones. */
const AWSX_DEFAULT_ZONES = 3;

export const vpcNatGatewayRequireOnePerAz: ResourceValidationPolicy = {
    name: "vpc-nat-gateway-require-one-per-az",
    description:
        "Where the stack's policy config requires it, the VPC must have one NAT gateway per availability zone.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            required: requiredSchema("Require one NAT gateway per zone (production); false lets a stack share one."),
        },
    },
    validateResource: validateResourceOfType(AwsxVpc, (vpc, args, report) => {
        if (!args.getConfig<{ required: boolean }>().required)
            args.notApplicable("not required by this stack's config");
        const nat = vpc.natGateways;
        if (Array.isArray(nat)) {
            // State (a deployed stack or a simulation): count the gateways awsx made against the zones.
            const zones = vpc.availabilityZoneNames?.length ?? vpc.numberOfAvailabilityZones ?? AWSX_DEFAULT_ZONES;
            if (nat.length < zones) {
                report(
                    `${label("VPC", args.name)} has ${nat.length} NAT gateway${nat.length === 1 ? "" : "s"} for ${zones} availability zones; it must have one per zone.`,
                );
            }
            return;
        }
        const strategy = nat?.strategy ?? AWSX_DEFAULT_STRATEGY;
        if (strategy !== "OnePerAz") {
            report(`${label("VPC", args.name)} has natGateways.strategy ${show(strategy)}; it must be "OnePerAz".`);
        }
    }),
};
