import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { AwsxVpc } from "../awsTypes";
import { requiredSchema, show } from "../common";
import { label } from "../labels";

/** awsx's default when a VPC has public and private subnets. */
const AWSX_DEFAULT_STRATEGY = "OnePerAz";

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
        const strategy = vpc.natGateways?.strategy ?? AWSX_DEFAULT_STRATEGY;
        if (strategy !== "OnePerAz") {
            report(`${label("VPC", args.name)} has natGateways.strategy ${show(strategy)}; it must be "OnePerAz".`);
        }
    }),
};
