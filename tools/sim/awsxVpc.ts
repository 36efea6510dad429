import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { hexId, zonesOf } from "./ids";

/**
 * What the awsx provider (v3.9) builds for an `awsx:ec2:Vpc`, written from its layout rules
 * (pulumi/pulumi-awsx `awsx/ec2/vpc.ts`, `subnetDistributorNew.ts`, `subnetNaming.ts`; the
 * `awsx/ec2` folder is unchanged from v3.8.0 to the newest snapshot, so v3.9.0's is the same):
 *
 * - the component registers with empty props and no outputs: awsx bundles @pulumi/pulumi
 *   3.200.0 (`awsx/package.json`), whose ComponentResource sends `{}` for a local component and
 *   calls `registerOutputs()` with nothing (`sdk/nodejs/resource.ts`); only the Construct answer
 *   carries the outputs to the program;
 * - an `aws:ec2/vpc:Vpc` named like the component, child of the component; the internet gateway
 *   and every subnet are children of that VPC;
 * - per AZ, per subnet spec (Public, then Private, then Isolated): a subnet
 *   `<vpc>-<spec name or type>-<az number>`; a route table and an association of the same name,
 *   children of the subnet and of the route table; a 0.0.0.0/0 route (to the internet gateway
 *   for public, to the AZ's or the single NAT gateway for private, none for isolated);
 * - NAT gateways and their EIPs `<vpc>-<az number>`, children of the public subnet: one in the
 *   first AZ (`Single`) or one per AZ (`OnePerAz`).
 *
 * Kinder than the engine in one place: the outputs that are resources (`subnets`, `natGateways`,
 * `vpc`, ...: references the engine returns) are answered as plain objects here. The program reads
 * only the string outputs (`vpcId`, `*SubnetIds`); test/components/network/network.test.ts holds it to that.
 */
export const AWSX_VPC = "awsx:ec2:Vpc";

export interface AwsxSubnetSpec {
    type: string;
    name?: string;
    cidrBlocks?: string[];
    tags?: Record<string, string>;
}

/** The inputs of awsx's VpcArgs the simulation understands. */
export interface AwsxVpcArgs {
    cidrBlock?: string;
    numberOfAvailabilityZones?: number;
    availabilityZoneNames?: string[];
    enableDnsHostnames?: boolean;
    enableDnsSupport?: boolean;
    instanceTenancy?: string;
    natGateways?: { strategy?: string };
    subnetStrategy?: string;
    subnetSpecs?: AwsxSubnetSpec[];
    tags?: Record<string, string>;
}

export interface PlannedSubnet {
    name: string;
    type: "Public" | "Private" | "Isolated";
    zone: string;
    zoneIndex: number;
    cidrBlock: string;
    nameTag: string;
    tags: Record<string, string>;
}

export interface AwsxVpcPlan {
    name: string;
    zones: string[];
    natStrategy: "None" | "Single" | "OnePerAz";
    vpcInputs: Record<string, unknown>;
    sharedTags: Record<string, string>;
    userTags: Record<string, string>;
    /** In awsx's creation order: per AZ, Public then Private then Isolated. */
    subnets: PlannedSubnet[];
    /** NAT gateways (and their EIPs): name and the public subnet that hosts it. */
    natGateways: { name: string; subnet: string; zoneIndex: number }[];
}

/** Deterministic provider ids of the children, shared by the mocks and the component's outputs. */
const ID_PREFIX: Readonly<Record<string, string>> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/internetGateway:InternetGateway": "igw",
};

export function childId(type: string, name: string): string {
    return idOf(type, name);
}

function idOf(type: string, name: string): string {
    return `${ID_PREFIX[type] ?? "id"}-${hexId(`${type}::${name}`, 17)}`;
}

const TYPE_ORDER = ["public", "private", "isolated"];

const fail = (message: string): never => {
    throw new Error(`awsx:ec2:Vpc (simulated): ${message}`);
};

/** awsx's layout for the component's args: zones, subnets, NAT gateways, names and tags. */
export function planAwsxVpc(name: string, args: AwsxVpcArgs, region: string): AwsxVpcPlan {
    if (args.availabilityZoneNames && args.numberOfAvailabilityZones)
        fail("Only one of [availabilityZoneNames] and [numberOfAvailabilityZones] can be specified");
    const available = zonesOf(region);
    const wanted = args.numberOfAvailabilityZones ?? 3;
    if (!args.availabilityZoneNames && available.length < wanted)
        fail(`The configured region for this provider does not have at least ${wanted} Availability Zones.`);
    const zones = args.availabilityZoneNames ?? available.slice(0, wanted);
    const strategy = args.natGateways?.strategy ?? "OnePerAz";
    if (!["None", "Single", "OnePerAz"].includes(strategy)) fail(`Unknown NatGatewayStrategy '${strategy}'`);
    const specs = args.subnetSpecs ?? [];
    // The program always gives explicit blocks; awsx's own CIDR allocator is not modelled.
    if (specs.length === 0 || specs.some((s) => !s.cidrBlocks))
        fail("the simulation models explicit subnet layouts only (every subnetSpec with cidrBlocks)");
    specs.forEach((s, i) => {
        if (!TYPE_ORDER.includes(s.type.toLowerCase())) fail(`subnetSpecs[${i}] has unknown type ${s.type}`);
        if ((s.cidrBlocks ?? []).length !== zones.length)
            fail(
                `The number of CIDR blocks in subnetSpecs[${i}] must match the number of availability zones (${zones.length}).`,
            );
    });
    const hasPublic = specs.some((s) => s.type.toLowerCase() === "public");
    if (strategy !== "None" && (!hasPublic || specs.every((s) => s.type.toLowerCase() === "public")))
        fail(
            "If NAT Gateway strategy is 'OnePerAz' or 'Single', public subnets must be declared to host the NAT Gateway resource, along with private or isolated subnets to route through it.",
        );
    const sharedTags = { Name: name, ...(args.tags ?? {}) };
    const ordered = [...specs].sort(
        (a, b) => TYPE_ORDER.indexOf(a.type.toLowerCase()) - TYPE_ORDER.indexOf(b.type.toLowerCase()),
    );
    const subnets: PlannedSubnet[] = [];
    const natGateways: AwsxVpcPlan["natGateways"] = [];
    zones.forEach((zone, zoneIndex) => {
        for (const spec of ordered) {
            const type = (spec.type[0].toUpperCase() + spec.type.slice(1).toLowerCase()) as PlannedSubnet["type"];
            const subnetName = `${name}-${spec.name ?? type.toLowerCase()}-${zoneIndex + 1}`;
            subnets.push({
                name: subnetName,
                type,
                zone,
                zoneIndex,
                cidrBlock: (spec.cidrBlocks as string[])[zoneIndex],
                nameTag: subnetName,
                tags: { ...sharedTags, ...(spec.tags ?? {}), Name: subnetName, SubnetType: type },
            });
            const wantsNat =
                strategy === "Single"
                    ? natGateways.length < 1
                    : strategy === "OnePerAz" && natGateways.length < zoneIndex + 1;
            if (type === "Public" && wantsNat)
                natGateways.push({ name: `${name}-${zoneIndex + 1}`, subnet: subnetName, zoneIndex });
        }
    });
    const vpcInputs: Record<string, unknown> = {
        cidrBlock: args.cidrBlock ?? "10.0.0.0/16",
        enableDnsHostnames: args.enableDnsHostnames,
        enableDnsSupport: args.enableDnsSupport,
        instanceTenancy: args.instanceTenancy,
        tags: sharedTags,
    };
    return {
        name,
        zones,
        natStrategy: strategy as AwsxVpcPlan["natStrategy"],
        vpcInputs,
        sharedTags,
        userTags: args.tags ?? {},
        subnets,
        natGateways,
    };
}

/** Route tables of a VPC the simulation built, by VPC id: AWS's main table plus awsx's. */
const routeTablesByVpc = new Map<string, string[]>();

export function routeTableIdsOf(vpcId: string): string[] | undefined {
    return routeTablesByVpc.get(vpcId);
}

/** The component's outputs, as awsx's Construct returns them: every id is a child's id. */
export function awsxVpcOutputs(plan: AwsxVpcPlan, unknown?: string): Record<string, unknown> {
    // In a first preview no child has an id yet: every id is the unknown sentinel.
    const childId = (type: string, name: string) => unknown ?? idOf(type, name);
    const subnetId = (n: string) => childId("aws:ec2/subnet:Subnet", n);
    const vpcId = childId("aws:ec2/vpc:Vpc", plan.name);
    const idsOf = (type: PlannedSubnet["type"]) =>
        plan.subnets.filter((s) => s.type === type).map((s) => subnetId(s.name));
    const routeTableIds = plan.subnets.map((s) => childId("aws:ec2/routeTable:RouteTable", s.name));
    if (!unknown) routeTablesByVpc.set(vpcId, [`rtb-${hexId(`${vpcId}/main`, 17)}`, ...routeTableIds]);
    return {
        vpcId,
        subnets: plan.subnets.map((s) => ({
            id: subnetId(s.name),
            availabilityZone: s.zone,
            cidrBlock: s.cidrBlock,
            type: s.type,
        })),
        publicSubnetIds: idsOf("Public"),
        privateSubnetIds: idsOf("Private"),
        isolatedSubnetIds: idsOf("Isolated"),
        natGateways: plan.natGateways.map((n) => ({
            id: childId("aws:ec2/natGateway:NatGateway", n.name),
            subnetId: subnetId(n.subnet),
        })),
        eips: plan.natGateways.map((n) => ({ id: childId("aws:ec2/eip:Eip", n.name) })),
        internetGateway: { id: childId("aws:ec2/internetGateway:InternetGateway", plan.name) },
        routeTables: routeTableIds.map((id) => ({ id })),
        subnetLayout: [...new Set(plan.subnets.map((s) => s.type))].map((type) => ({ type })),
    };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- Output.promise() is internal to the SDK */
const settled = (resources: pulumi.Resource[]) =>
    Promise.all(resources.map((r) => (r.urn as any).promise() as Promise<string>));
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Registers the children awsx registers for the component at `urn`, in awsx's order and with
 * awsx's inputs and parents; resolves once all are registered (Construct returns after them).
 */
export async function registerAwsxVpcChildren(urn: string, plan: AwsxVpcPlan): Promise<void> {
    // A reference to the registered component, so children can name it as their parent.
    const component = new pulumi.ComponentResource(AWSX_VPC, plan.name, {}, { urn });
    const vpc = new ec2.Vpc(plan.name, plan.vpcInputs as ec2.VpcArgs, { parent: component });
    const igw = new ec2.InternetGateway(
        plan.name,
        { vpcId: vpc.id, tags: plan.sharedTags },
        { parent: vpc, dependsOn: [vpc] },
    );
    const created: pulumi.Resource[] = [vpc, igw];
    const nats = new Map<number, ec2.NatGateway>();
    for (const s of plan.subnets) {
        const subnet = new ec2.Subnet(
            s.name,
            {
                vpcId: vpc.id,
                availabilityZone: s.zone,
                mapPublicIpOnLaunch: s.type === "Public",
                cidrBlock: s.cidrBlock,
                assignIpv6AddressOnCreation: false,
                tags: s.tags,
            },
            { parent: vpc, dependsOn: [vpc] },
        );
        const routeTable = new ec2.RouteTable(
            s.name,
            { vpcId: vpc.id, tags: { ...plan.sharedTags, Name: s.nameTag, SubnetType: s.type } },
            { parent: subnet, dependsOn: [subnet] },
        );
        const association = new ec2.RouteTableAssociation(
            s.name,
            { routeTableId: routeTable.id, subnetId: subnet.id },
            { parent: routeTable, dependsOn: [routeTable] },
        );
        created.push(subnet, routeTable, association);
        const nat = plan.natGateways.find((n) => n.subnet === s.name);
        if (nat) {
            // awsx tags NAT gateways and EIPs with the user's tags and their own Name only.
            const tags = { ...plan.userTags, Name: nat.name };
            const eip = new ec2.Eip(nat.name, { tags }, { parent: subnet, dependsOn: [subnet] });
            const gateway = new ec2.NatGateway(
                nat.name,
                { subnetId: subnet.id, allocationId: eip.allocationId, tags },
                { parent: subnet, dependsOn: [subnet] },
            );
            nats.set(nat.zoneIndex, gateway);
            created.push(eip, gateway);
        }
        let route: ec2.Route | undefined;
        if (s.type === "Public") {
            route = new ec2.Route(
                s.name,
                { routeTableId: routeTable.id, gatewayId: igw.id, destinationCidrBlock: "0.0.0.0/0" },
                { parent: routeTable, dependsOn: [routeTable] },
            );
        } else if (s.type === "Private" && plan.natStrategy !== "None") {
            const gateway = plan.natStrategy === "Single" ? nats.get(0) : nats.get(s.zoneIndex);
            route = new ec2.Route(
                s.name,
                { routeTableId: routeTable.id, natGatewayId: gateway?.id, destinationCidrBlock: "0.0.0.0/0" },
                { parent: routeTable, dependsOn: [routeTable] },
            );
        }
        if (route) created.push(route);
    }
    await settled(created);
}
