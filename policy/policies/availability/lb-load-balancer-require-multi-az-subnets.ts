import {
    ResourceValidationArgs,
    ResourceValidationPolicy,
    ReportViolation,
    validateResourceOfType,
} from "@pulumi/policy";
import { AlbLoadBalancer, LoadBalancer, LoadBalancerProps } from "../awsTypes";
import { asList } from "../common";
import { label } from "../labels";

function check(lb: LoadBalancerProps, args: ResourceValidationArgs, report: ReportViolation): void {
    if (lb.loadBalancerType === "gateway") args.notApplicable("gateway load balancers are not multi-AZ front doors");
    const { minSubnetCount } = args.getConfig<{ minSubnetCount: number }>();
    const subnets = new Set([
        ...asList(lb.subnets).map(String),
        ...asList(lb.subnetMappings).map((m) => String(m.subnetId)),
    ]);
    if (subnets.size < minSubnetCount) {
        report(
            `${label("Load balancer", args.name)} has ${subnets.size} subnet${subnets.size === 1 ? "" : "s"}; it must span at least ${minSubnetCount}, one per availability zone.`,
        );
    }
}

export const lbLoadBalancerRequireMultiAzSubnets: ResourceValidationPolicy = {
    name: "lb-load-balancer-require-multi-az-subnets",
    description: "Load balancers must span at least two subnets, one per availability zone.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minSubnetCount: {
                type: "integer",
                minimum: 1,
                default: 2,
                description: "Fewest subnets a load balancer may use.",
            },
        },
    },
    validateResource: [validateResourceOfType(LoadBalancer, check), validateResourceOfType(AlbLoadBalancer, check)],
};
