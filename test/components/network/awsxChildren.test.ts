import * as assert from "node:assert/strict";
import { describe, it } from "mocha";
import { planSubnets } from "../../../components/network";
import { ofType, StackRun } from "../../../tools/sim";
import { one, runNetDb, typeCounts } from "../../support/netdb";

const T = {
    awsxVpc: "awsx:ec2:Vpc",
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    route: "aws:ec2/route:Route",
    nat: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    igw: "aws:ec2/internetGateway:InternetGateway",
};

/** Every resource under `urn`, at any depth. */
function descendants(run: StackRun, urn: string): StackRun["resources"] {
    const direct = run.resources.filter((r) => r.parent === urn);
    return direct.flatMap((r) => [r, ...descendants(run, r.urn)]);
}

for (const [stack, zones, nats] of [
    ["staging", ["us-east-1a", "us-east-1b"], 1],
    ["production", ["us-east-1a", "us-east-1b", "us-east-1c"], 3],
] as const) {
    describe(`awsx VPC children in the simulation (${stack})`, () => {
        let run: StackRun;
        before(async () => {
            run = await runNetDb(stack);
        });
        const n = zones.length;

        it("registers the component with empty props, as the awsx provider does, and keeps the Construct call", () => {
            const component = one(run, T.awsxVpc);
            assert.equal(component.remote, true);
            assert.deepEqual(component.inputs, {});
            assert.deepEqual(component.state, {});
            assert.equal(component.construct?.inputs.numberOfAvailabilityZones, n);
        });

        it("registers awsx's children with awsx's parents and counts", () => {
            const component = one(run, T.awsxVpc);
            const vpc = one(run, T.vpc);
            assert.equal(vpc.parent, component.urn);
            assert.equal(vpc.name, "network-vpc");
            assert.deepEqual(typeCounts(descendants(run, component.urn)), {
                [T.vpc]: 1,
                [T.igw]: 1,
                [T.subnet]: 3 * n,
                [T.routeTable]: 3 * n,
                [T.association]: 3 * n,
                // public -> internet gateway, private -> NAT; isolated subnets have no route.
                [T.route]: 2 * n,
                [T.nat]: nats,
                [T.eip]: nats,
            });
            assert.equal(one(run, T.igw).parent, vpc.urn);
            for (const subnet of ofType(run, T.subnet)) assert.equal(subnet.parent, vpc.urn);
        });

        it("lays the subnets out per AZ with the program's CIDR blocks and awsx's names", () => {
            const plan = planSubnets("10.0.0.0/16", n);
            const expected = zones.flatMap((zone, i) =>
                (["public", "private", "isolated"] as const).map((tier) => ({
                    name: `network-vpc-${tier}-${i + 1}`,
                    availabilityZone: zone,
                    cidrBlock: plan[tier][i],
                    mapPublicIpOnLaunch: tier === "public",
                })),
            );
            const actual = ofType(run, T.subnet).map((s) => ({
                name: s.name,
                availabilityZone: s.inputs.availabilityZone,
                cidrBlock: s.inputs.cidrBlock,
                mapPublicIpOnLaunch: s.inputs.mapPublicIpOnLaunch,
            }));
            const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
            assert.deepEqual(actual.sort(byName), expected.sort(byName));
            const vpcId = one(run, T.vpc).id;
            assert.ok(ofType(run, T.subnet).every((s) => s.inputs.vpcId === vpcId));
        });

        it("puts the NAT gateways in the public subnets and routes each private subnet through its AZ's", () => {
            const gateways = ofType(run, T.nat);
            const publicSubnets = ofType(run, T.subnet).filter((s) => s.name.includes("-public-"));
            assert.deepEqual(
                gateways.map((g) => g.parent),
                publicSubnets.slice(0, nats).map((s) => s.urn),
            );
            for (const g of gateways) {
                const subnet = run.resources.find((r) => r.urn === g.parent)!;
                assert.equal(g.inputs.subnetId, subnet.id);
                assert.equal(g.inputs.allocationId, one(run, T.eip, g.name).state.allocationId);
            }
            for (let i = 0; i < n; i++) {
                const route = one(run, T.route, `network-vpc-private-${i + 1}`);
                const gateway = gateways[nats === 1 ? 0 : i];
                assert.equal(route.inputs.natGatewayId, gateway.id);
                assert.equal(route.inputs.destinationCidrBlock, "0.0.0.0/0");
                const publicRoute = one(run, T.route, `network-vpc-public-${i + 1}`);
                assert.equal(publicRoute.inputs.gatewayId, one(run, T.igw).id);
            }
        });

        it("derives the component's outputs from the children", () => {
            const outputs = one(run, T.awsxVpc).construct!.outputs;
            assert.equal(outputs.vpcId, one(run, T.vpc).id);
            const idsOf = (tier: string) =>
                ofType(run, T.subnet)
                    .filter((s) => s.name.includes(`-${tier}-`))
                    .map((s) => s.id);
            assert.deepEqual(outputs.publicSubnetIds, idsOf("public"));
            assert.deepEqual(outputs.privateSubnetIds, idsOf("private"));
            assert.deepEqual(outputs.isolatedSubnetIds, idsOf("isolated"));
            assert.deepEqual(
                (outputs.natGateways as { id: string }[]).map((g) => g.id),
                ofType(run, T.nat).map((g) => g.id),
            );
            assert.deepEqual(run.outputs.privateSubnetIds, idsOf("private"));
        });
    });
}
