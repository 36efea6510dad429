import { PolicyResource } from "@pulumi/policy";
import { identifiers } from "./common";

/**
 * The zones of each VPC of a stack, from the stack's own subnets and NAT gateways (the children
 * the awsx provider registers for an `awsx:ec2:Vpc`, or plain `aws` resources). A subnet belongs
 * to a VPC through its parent (awsx parents subnets to the VPC, so this holds in a first
 * preview) or else its `vpcId`; a NAT gateway sits in the zone of its parent subnet or of the
 * subnet its `subnetId` names. A link that is unknown (a first preview of plain resources)
 * throws the SDK's unknown-value error: the policy reports that it can't run, never a verdict.
 */
export interface VpcZones {
    vpc: PolicyResource;
    /** Distinct availability zones of the VPC's subnets. */
    zones: Set<string>;
    /** Distinct zones that hold a NAT gateway of the VPC. */
    natZones: Set<string>;
    natGateways: number;
}

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const NAT_GATEWAY = "aws:ec2/natGateway:NatGateway";

const prop = (r: PolicyResource, key: string): unknown => (r.props as Record<string, unknown>)[key];

export function vpcZones(resources: readonly PolicyResource[]): VpcZones[] {
    const vpcs = resources.filter((r) => r.type === VPC);
    const byUrn = new Map<string, VpcZones>();
    const byId = new Map<string, VpcZones>();
    for (const vpc of vpcs) {
        const entry: VpcZones = { vpc, zones: new Set(), natZones: new Set(), natGateways: 0 };
        byUrn.set(vpc.urn, entry);
        for (const id of identifiers(vpc.props)) byId.set(id, entry);
    }
    const subnetVpc = new Map<PolicyResource, VpcZones | undefined>();
    const subnetsById = new Map<string, PolicyResource>();
    for (const subnet of resources.filter((r) => r.type === SUBNET)) {
        const owner = (subnet.parent && byUrn.get(subnet.parent.urn)) ?? byId.get(String(prop(subnet, "vpcId") ?? ""));
        subnetVpc.set(subnet, owner);
        for (const id of identifiers(subnet.props)) subnetsById.set(id, subnet);
        const zone = prop(subnet, "availabilityZone") ?? prop(subnet, "availabilityZoneId");
        if (owner && typeof zone === "string") owner.zones.add(zone);
    }
    for (const nat of resources.filter((r) => r.type === NAT_GATEWAY)) {
        const subnet = nat.parent?.type === SUBNET ? nat.parent : subnetsById.get(String(prop(nat, "subnetId") ?? ""));
        const owner = subnet && subnetVpc.get(subnet);
        if (!subnet || !owner) continue;
        owner.natGateways++;
        const zone = prop(subnet, "availabilityZone") ?? prop(subnet, "availabilityZoneId");
        if (typeof zone === "string") owner.natZones.add(zone);
    }
    return [...byUrn.values()];
}
