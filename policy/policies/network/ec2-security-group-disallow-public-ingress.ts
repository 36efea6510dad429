import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AlbLoadBalancer, LoadBalancer, SecurityGroup, SgIngressRule, SgRule } from "../awsTypes";
import { asList, identifiers, resourcesOf, whenKnown } from "../common";
import { label } from "../labels";

const ANYWHERE = ["0.0.0.0/0", "::/0"];

interface OpenRule {
    resource: PolicyResource;
    kind: string;
    /** Ids of the group the rule opens; undefined when unknown. */
    groupIds: string[] | undefined;
    cidr: string;
    protocol: string;
    fromPort: number | undefined;
    toPort: number | undefined;
}

function describePorts(rule: OpenRule): string {
    if (rule.protocol === "-1" || rule.protocol === "all") return "all ports";
    if (rule.fromPort === undefined) return "unset ports";
    return rule.fromPort === rule.toPort || rule.toPort === undefined
        ? `port ${rule.fromPort}`
        : `ports ${rule.fromPort}-${rule.toPort}`;
}

/**
 * Collects every ingress rule open to 0.0.0.0/0 or ::/0 (inline `ingress` of a security group,
 * `aws:vpc/securityGroupIngressRule`, `aws:ec2/securityGroupRule` of type ingress). The only
 * exception is a TCP rule on one allowed port (80/443) of a group attached to an internet-facing
 * load balancer (`internal` not true), found through the load balancers' `securityGroups`.
 * A rule whose group or the load balancers' groups are unknown (preview) cannot be judged when
 * the exception could apply; any other open rule is reported.
 */
export const ec2SecurityGroupDisallowPublicIngress: StackValidationPolicy = {
    name: "ec2-security-group-disallow-public-ingress",
    description:
        "Security groups must not allow ingress from anywhere, except to an internet-facing load balancer on allowed ports.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            publicLoadBalancerPorts: {
                type: "array",
                items: { type: "integer", minimum: 0, maximum: 65535 },
                default: [80, 443],
                description: "Ports an internet-facing load balancer's security group may open to the internet.",
            },
        },
    },
    validateStack: (args, report) => {
        const { publicLoadBalancerPorts } = args.getConfig<{ publicLoadBalancerPorts: number[] }>();
        const publicGroups = new Set<string>();
        let publicGroupsKnown = true;
        for (const lb of [
            ...resourcesOf(args.resources, LoadBalancer),
            ...resourcesOf(args.resources, AlbLoadBalancer),
        ]) {
            publicGroupsKnown &&= whenKnown(() => {
                if (lb.props.internal === true) return;
                for (const id of asList(lb.props.securityGroups)) publicGroups.add(String(id));
            });
        }

        const open: OpenRule[] = [];
        const collect = (
            resource: PolicyResource,
            kind: string,
            groupIds: () => string[],
            read: () => { cidrs: unknown[]; protocol?: string; fromPort?: number; toPort?: number },
        ) => {
            let ids: string[] | undefined;
            if (!whenKnown(() => (ids = groupIds()))) ids = undefined;
            whenKnown(() => {
                const r = read();
                for (const cidr of r.cidrs) {
                    if (typeof cidr === "string" && ANYWHERE.includes(cidr)) {
                        open.push({
                            resource,
                            kind,
                            groupIds: ids && ids.length > 0 ? ids : undefined,
                            cidr,
                            protocol: String(r.protocol ?? "tcp").toLowerCase(),
                            fromPort: r.fromPort,
                            toPort: r.toPort,
                        });
                    }
                }
            });
        };
        for (const sg of resourcesOf(args.resources, SecurityGroup)) {
            const rules = asList(sg.props.ingress);
            for (let i = 0; i < rules.length; i++) {
                collect(
                    sg.resource,
                    "Security group",
                    () => identifiers(sg.resource.props),
                    () => ({
                        cidrs: [...asList(rules[i].cidrBlocks), ...asList(rules[i].ipv6CidrBlocks)],
                        protocol: rules[i].protocol,
                        fromPort: rules[i].fromPort,
                        toPort: rules[i].toPort,
                    }),
                );
            }
        }
        for (const rule of resourcesOf(args.resources, SgIngressRule)) {
            collect(
                rule.resource,
                "Security group ingress rule",
                () => asList(rule.props.securityGroupId).map(String),
                () => ({
                    cidrs: [rule.props.cidrIpv4, rule.props.cidrIpv6],
                    protocol: rule.props.ipProtocol,
                    fromPort: rule.props.fromPort,
                    toPort: rule.props.toPort,
                }),
            );
        }
        for (const rule of resourcesOf(args.resources, SgRule)) {
            whenKnown(() => {
                if (rule.props.type !== "ingress") return;
                collect(
                    rule.resource,
                    "Security group rule",
                    () => asList(rule.props.securityGroupId).map(String),
                    () => ({
                        cidrs: [...asList(rule.props.cidrBlocks), ...asList(rule.props.ipv6CidrBlocks)],
                        protocol: rule.props.protocol,
                        fromPort: rule.props.fromPort,
                        toPort: rule.props.toPort,
                    }),
                );
            });
        }

        for (const rule of open) {
            const singleAllowedPort =
                rule.protocol === "tcp" &&
                rule.fromPort !== undefined &&
                (rule.toPort === undefined || rule.toPort === rule.fromPort) &&
                publicLoadBalancerPorts.includes(rule.fromPort);
            if (singleAllowedPort) {
                if (rule.groupIds === undefined || !publicGroupsKnown) continue; // cannot judge
                if (rule.groupIds.some((id) => publicGroups.has(id))) continue;
            }
            const ports = publicLoadBalancerPorts.join(" or ");
            report(
                `${label(rule.kind, rule.resource.name)} allows ingress from ${rule.cidr} on ${describePorts(rule)}; only an internet-facing load balancer's security group may, on TCP port ${ports}.`,
                rule.resource.urn,
            );
        }
    },
};
