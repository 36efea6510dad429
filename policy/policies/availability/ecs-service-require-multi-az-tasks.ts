import { StackValidationPolicy } from "@pulumi/policy";
import { EcsService, Subnet } from "../awsTypes";
import { asList, identifiers, knownOrUndefined, resourcesOf, show, whenKnown } from "../common";
import { label } from "../labels";

interface Config {
    minTaskCount: number;
    minAvailabilityZoneCount: number;
}

/**
 * Resolves each service's subnets to their availability zones through the `aws:ec2/subnet`
 * resources of the stack: an awsx VPC's subnets are among them (the awsx provider registers them
 * as real resources, which the engine hands to AnalyzeStack). A subnet from outside the stack
 * counts as its own zone. Unknown subnet ids (a first preview) cannot be judged.
 */
export const ecsServiceRequireMultiAzTasks: StackValidationPolicy = {
    name: "ecs-service-require-multi-az-tasks",
    description: "ECS services must run enough tasks in subnets of at least two availability zones.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minTaskCount: { type: "integer", minimum: 1, default: 2, description: "Fewest tasks a service may run." },
            minAvailabilityZoneCount: {
                type: "integer",
                minimum: 1,
                default: 2,
                description: "Fewest availability zones a service's subnets may span.",
            },
        },
    },
    validateStack: (args, report) => {
        const { minTaskCount, minAvailabilityZoneCount } = args.getConfig<Config>();
        const zoneOf = new Map<string, string>();
        for (const subnet of resourcesOf(args.resources, Subnet)) {
            const zone = knownOrUndefined(() => subnet.props.availabilityZone ?? subnet.props.availabilityZoneId);
            if (zone) for (const key of identifiers(subnet.resource.props)) zoneOf.set(key, zone);
        }
        for (const service of resourcesOf(args.resources, EcsService)) {
            const what = label("ECS service", service.resource.name);
            const urn = service.resource.urn;
            whenKnown(() => {
                if (service.props.schedulingStrategy === "DAEMON") return;
                const desired = service.props.desiredCount;
                if (desired === undefined || desired < minTaskCount) {
                    report(`${what} has desiredCount ${show(desired)}; it must be at least ${minTaskCount}.`, urn);
                }
            });
            whenKnown(() => {
                const subnets = asList(service.props.networkConfiguration?.subnets).map(String);
                const zones = new Set(subnets.map((id) => zoneOf.get(id) ?? `subnet ${id}`));
                if (zones.size < minAvailabilityZoneCount) {
                    report(
                        `${what} has subnets in ${zones.size} availability zone${zones.size === 1 ? "" : "s"}; it must use subnets in at least ${minAvailabilityZoneCount}.`,
                        urn,
                    );
                }
            });
        }
    },
};
