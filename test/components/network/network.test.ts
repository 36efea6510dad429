import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "mocha";
import { availabilityZonesFor, Network, NetworkArgs, planSubnets } from "../../../components/network";
import { parseCidr } from "../../../components/shared/validation";
import { ofType, REPO_ROOT, settingsFor, simulate, StackRun } from "../../../tools/sim";
import { constructionError, one, runNetDb, statements, typeCounts, urnOf } from "../../support/netdb";

const VPC = "awsx:ec2:Vpc";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const NETWORK = "migration-api:network:Network";
const LOGS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-a444-555555555555";

function childrenOf(run: StackRun, parentUrn: string) {
    return run.resources.filter((r) => r.parent === parentUrn);
}

describe("planSubnets", () => {
    it("lays out private, public and isolated blocks per AZ in a /16", () => {
        assert.deepEqual(planSubnets("10.0.0.0/16", 3), {
            private: ["10.0.0.0/19", "10.0.64.0/19", "10.0.128.0/19"],
            public: ["10.0.32.0/21", "10.0.96.0/21", "10.0.160.0/21"],
            isolated: ["10.0.40.0/21", "10.0.104.0/21", "10.0.168.0/21"],
        });
    });

    it("scales down to a /22 and keeps every block inside the VPC without overlap", () => {
        const plan = planSubnets("172.16.4.0/22", 3);
        assert.deepEqual(plan.private, ["172.16.4.0/25", "172.16.5.0/25", "172.16.6.0/25"]);
        const blocks = [...plan.private, ...plan.public, ...plan.isolated].map((c) => {
            const parsed = parseCidr(c);
            assert.ok(parsed, `${c} is a valid CIDR`);
            return { start: parsed.network, end: parsed.network + 2 ** (32 - parsed.prefix) - 1 };
        });
        const vpc = parseCidr("172.16.4.0/22")!;
        for (const [i, a] of blocks.entries()) {
            assert.ok(a.start >= vpc.network && a.end < vpc.network + 1024, "inside the VPC");
            for (const b of blocks.slice(i + 1)) assert.ok(a.end < b.start || b.end < a.start, "no overlap");
        }
    });

    it("keeps the first AZs' subnets in place when an AZ is added", () => {
        const two = planSubnets("10.1.0.0/16", 2);
        const three = planSubnets("10.1.0.0/16", 3);
        for (const tier of ["public", "private", "isolated"] as const) {
            assert.deepEqual(three[tier].slice(0, 2), two[tier]);
        }
    });
});

describe("availabilityZonesFor", () => {
    it("takes the first zones when the region has enough", () => {
        assert.deepEqual(availabilityZonesFor(["x-1a", "x-1b", "x-1c"], 2, "x-1"), ["x-1a", "x-1b"]);
    });
    it("names the region's zones when it has too few", () => {
        assert.throws(
            () => availabilityZonesFor(["us-west-1a", "us-west-1c"], 3, "us-west-1"),
            (e: Error) =>
                e.message ===
                "`availabilityZoneCount` must not exceed the 2 availability zones us-west-1 offers (us-west-1a, us-west-1c); got 3.",
        );
    });
});

describe("Network (staging settings)", () => {
    let run: StackRun;
    before(async () => {
        run = await runNetDb("staging");
    });

    it("builds a 2-AZ awsx VPC with one NAT gateway, DNS on and our explicit subnet layout", () => {
        const vpc = one(run, VPC).construct!;
        const plan = planSubnets("10.0.0.0/16", 2);
        assert.equal(vpc.inputs.cidrBlock, "10.0.0.0/16");
        assert.equal(vpc.inputs.numberOfAvailabilityZones, 2);
        assert.deepEqual(vpc.inputs.natGateways, { strategy: "Single" });
        assert.equal(vpc.inputs.enableDnsHostnames, true);
        assert.equal(vpc.inputs.enableDnsSupport, true);
        assert.equal(vpc.inputs.subnetStrategy, "Auto");
        assert.deepEqual(vpc.inputs.subnetSpecs, [
            { type: "Private", name: "private", cidrBlocks: plan.private },
            { type: "Public", name: "public", cidrBlocks: plan.public },
            { type: "Isolated", name: "isolated", cidrBlocks: plan.isolated },
        ]);
        assert.equal((vpc.outputs.natGateways as unknown[]).length, 1);
        assert.equal(one(run, VPC).parent, urnOf(run, NETWORK, "network"));
    });

    it("exports two AZs and a subnet per tier per AZ", () => {
        assert.deepEqual(run.outputs.azs, ["us-east-1a", "us-east-1b"]);
        for (const key of ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"]) {
            assert.equal((run.outputs[key] as string[]).length, 2, key);
        }
        assert.match(String(run.outputs.vpcId), /^vpc-[0-9a-f]{17}$/);
    });

    it("has the S3 gateway endpoint only: interface endpoints are off in staging", () => {
        const endpoints = ofType(run, ENDPOINT);
        assert.deepEqual(
            endpoints.map((e) => e.inputs.serviceName),
            ["com.amazonaws.us-east-1.s3"],
        );
        assert.equal(endpoints[0].inputs.vpcEndpointType, "Gateway");
        assert.equal(
            ofType(run, "aws:ec2/securityGroup:SecurityGroup").filter((g) => g.name.startsWith("network")).length,
            0,
        );
        assert.equal(run.outputs.endpointSecurityGroupId, undefined);
    });

    it("sends all traffic to a flow-log group encrypted with the logs key, kept 30 days", () => {
        const group = one(run, "aws:cloudwatch/logGroup:LogGroup", "network-flow-logs");
        assert.equal(group.inputs.retentionInDays, 30);
        assert.equal(group.inputs.kmsKeyId, run.outputs.logsKeyArn);
        const flowLog = one(run, "aws:ec2/flowLog:FlowLog");
        const role = one(run, "aws:iam/role:Role", "network-flow-logs-role");
        assert.equal(flowLog.inputs.vpcId, run.outputs.vpcId);
        assert.equal(flowLog.inputs.trafficType, "ALL");
        assert.equal(flowLog.inputs.logDestinationType, "cloud-watch-logs");
        assert.equal(flowLog.inputs.logDestination, group.state.arn);
        assert.equal(flowLog.inputs.iamRoleArn, role.state.arn);
        const [trust] = statements(role.inputs.assumeRolePolicy);
        assert.deepEqual(trust.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
        assert.deepEqual(trust.Condition?.StringEquals, { "aws:SourceAccount": "123456789012" });
        const policy = one(run, "aws:iam/rolePolicy:RolePolicy", "network-flow-logs-policy");
        assert.match(String(policy.inputs.role), /^network-flow-logs-role-[0-9a-f]{7}$/);
        const [write] = statements(policy.inputs.policy);
        assert.deepEqual(write.Resource, [group.state.arn, `${group.state.arn}:*`]);
    });

    it("adopts the default security group with no rules", () => {
        const sg = one(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        assert.equal(sg.inputs.vpcId, run.outputs.vpcId);
        assert.deepEqual(sg.inputs.ingress, []);
        assert.deepEqual(sg.inputs.egress, []);
    });

    it("parents every resource it makes to the component (awsx's children to the awsx VPC)", () => {
        const network = urnOf(run, NETWORK, "network");
        const awsxVpc = urnOf(run, VPC, "network-vpc");
        const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
        const underAwsx = (urn: string | undefined): boolean =>
            urn === awsxVpc || (urn !== undefined && underAwsx(byUrn.get(urn)?.parent));
        const own = run.resources.filter((r) => r.name.startsWith("network-") && !underAwsx(r.parent));
        assert.equal(own.length, 7);
        assert.ok(own.every((r) => r.parent === network));
        assert.ok(childrenOf(run, network).every((r) => r.name.startsWith("network-")));
    });
});

describe("Network (production settings)", () => {
    let run: StackRun;
    before(async () => {
        run = await runNetDb("production");
    });

    it("spans 3 AZs with a NAT gateway in each", () => {
        const vpc = one(run, VPC).construct!;
        assert.equal(vpc.inputs.numberOfAvailabilityZones, 3);
        assert.deepEqual(vpc.inputs.natGateways, { strategy: "OnePerAz" });
        assert.equal((vpc.outputs.natGateways as unknown[]).length, 3);
        assert.deepEqual(run.outputs.azs, ["us-east-1a", "us-east-1b", "us-east-1c"]);
        assert.equal((run.outputs.isolatedSubnetIds as string[]).length, 3);
    });

    it("puts interface endpoints in the private subnets behind the endpoint security group", () => {
        const interfaces = ofType(run, ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface");
        assert.deepEqual(
            interfaces.map((e) => e.inputs.serviceName),
            ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "kms"].map((s) => `com.amazonaws.us-east-1.${s}`),
        );
        for (const endpoint of interfaces) {
            assert.equal(endpoint.inputs.privateDnsEnabled, true);
            assert.deepEqual(endpoint.inputs.subnetIds, run.outputs.privateSubnetIds);
            assert.deepEqual(endpoint.inputs.securityGroupIds, [run.outputs.endpointSecurityGroupId]);
        }
    });

    it("admits only 443 from the VPC CIDR to the endpoints", () => {
        const sg = one(run, "aws:ec2/securityGroup:SecurityGroup", "network-endpoints-sg");
        assert.match(String(run.outputs.endpointSecurityGroupId), /^sg-[0-9a-f]{17}$/);
        assert.equal(sg.inputs.ingress, undefined);
        const rules = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
            (r) => r.inputs.securityGroupId === run.outputs.endpointSecurityGroupId,
        );
        assert.equal(rules.length, 1);
        assert.deepEqual(
            {
                ipProtocol: rules[0].inputs.ipProtocol,
                fromPort: rules[0].inputs.fromPort,
                toPort: rules[0].inputs.toPort,
                cidrIpv4: rules[0].inputs.cidrIpv4,
            },
            { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" },
        );
    });

    it("routes S3 through the gateway endpoint on every route table of the VPC", () => {
        const s3 = ofType(run, ENDPOINT).find((e) => e.inputs.vpcEndpointType === "Gateway");
        assert.ok(s3);
        const ids = s3.inputs.routeTableIds as string[];
        // AWS's main route table plus awsx's one per subnet (3 tiers x 3 AZs).
        const awsxTables = ofType(run, "aws:ec2/routeTable:RouteTable").map((t) => t.id);
        assert.equal(awsxTables.length, 9);
        assert.deepEqual(ids.slice(1), awsxTables);
        assert.equal(ids[0], one(run, "aws:ec2/vpc:Vpc").state.mainRouteTableId);
    });

    it("keeps flow logs for the configured 365 days", () => {
        assert.equal(one(run, "aws:cloudwatch/logGroup:LogGroup", "network-flow-logs").inputs.retentionInDays, 365);
    });
});

/** What each stack's settings must build, by resource type, under the Network component. */
const EXPECTED_NETWORK_RESOURCES: Record<"staging" | "production", Record<string, number>> = {
    staging: {
        "awsx:ec2:Vpc": 1,
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
        "aws:cloudwatch/logGroup:LogGroup": 1,
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicy:RolePolicy": 1,
        "aws:ec2/flowLog:FlowLog": 1,
        "aws:ec2/vpcEndpoint:VpcEndpoint": 1,
    },
    production: {
        "awsx:ec2:Vpc": 1,
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
        "aws:cloudwatch/logGroup:LogGroup": 1,
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicy:RolePolicy": 1,
        "aws:ec2/flowLog:FlowLog": 1,
        "aws:ec2/vpcEndpoint:VpcEndpoint": 6,
        "aws:ec2/securityGroup:SecurityGroup": 1,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
    },
};

describe("Network resources and their counts", () => {
    for (const stack of ["staging", "production"] as const) {
        it(`builds exactly the expected resources with ${stack} settings`, async () => {
            const run = await runNetDb(stack);
            const network = urnOf(run, NETWORK, "network");
            assert.deepEqual(typeCounts(childrenOf(run, network)), EXPECTED_NETWORK_RESOURCES[stack]);
        });
    }
});

describe("Network availability zones", () => {
    it("fails clearly when the region offers fewer AZs than requested", async () => {
        await assert.rejects(runNetDb("production", { "aws:region": "us-west-1" }), (e: Error) =>
            e.message.includes(
                "invalid arguments for Network network: `availabilityZoneCount` must not exceed the 2 availability zones us-west-1 offers (us-west-1a, us-west-1c); got 3.",
            ),
        );
    });

    it("deploys 3 AZs in a region with 4", async () => {
        const run = await runNetDb("production", { "aws:region": "us-west-2", "migration-api:drRegion": "us-east-1" });
        assert.deepEqual(run.outputs.azs, ["us-west-2a", "us-west-2b", "us-west-2c"]);
    });
});

describe("Network argument validation", () => {
    const valid: NetworkArgs = { vpcCidr: "10.0.0.0/16", availabilityZoneCount: 2, logsKmsKeyArn: LOGS_KEY_ARN };
    const header = "invalid arguments for Network net:";

    async function messageFor(args: Partial<NetworkArgs>): Promise<string> {
        const { message, run } = await constructionError(() => new Network("net", { ...valid, ...args }));
        // Validation runs before any child: only the component itself was registered.
        assert.deepEqual(
            run.resources.map((r) => r.type),
            [NETWORK],
        );
        return message;
    }

    const cases: [string, Partial<NetworkArgs>, string][] = [
        [
            "a CIDR outside /16-/22",
            { vpcCidr: "10.0.0.0/24" },
            '`vpcCidr` must be an IPv4 CIDR block with a prefix from /16 to /22 and no host bits set (e.g. "10.0.0.0/16"); got "10.0.0.0/24".',
        ],
        [
            "a CIDR with host bits",
            { vpcCidr: "10.0.0.1/16" },
            '`vpcCidr` must be an IPv4 CIDR block with a prefix from /16 to /22 and no host bits set (e.g. "10.0.0.0/16"); got "10.0.0.1/16".',
        ],
        ["one AZ", { availabilityZoneCount: 1 }, "`availabilityZoneCount` must be an integer from 2 to 3; got 1."],
        ["four AZs", { availabilityZoneCount: 4 }, "`availabilityZoneCount` must be an integer from 2 to 3; got 4."],
        [
            "an unknown NAT strategy",
            { natGatewayStrategy: "None" as "Single" },
            '`natGatewayStrategy` must be one of Single, OnePerAz; got "None".',
        ],
        [
            "a retention CloudWatch refuses",
            { logRetentionDays: 10 },
            "`logRetentionDays` must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 10.",
        ],
        [
            "s3 as an interface endpoint",
            { interfaceEndpointServices: ["ecr.api", "s3"] },
            '`interfaceEndpointServices[1]` must be a service suffix such as "ecr.api" (S3 always has a gateway endpoint); got "s3".',
        ],
        [
            "a repeated endpoint service",
            { interfaceEndpointServices: ["kms", "logs", "kms"] },
            '`interfaceEndpointServices` must not repeat a service; got "kms" twice.',
        ],
    ];
    for (const [what, args, expected] of cases) {
        it(`rejects ${what}`, async () => {
            assert.equal(await messageFor(args), `${header}\n  - ${expected}`);
        });
    }

    it("reports every problem at once", async () => {
        const message = await messageFor({ vpcCidr: "10.0.0.0/8", availabilityZoneCount: 5, logRetentionDays: 2 });
        assert.equal(message.split("\n").length, 4);
    });

    it("accepts a /22 with 3 AZs and custom endpoint services", async () => {
        const run = await simulate(settingsFor("staging"), () => {
            new Network("net", {
                ...valid,
                vpcCidr: "10.20.4.0/22",
                availabilityZoneCount: 3,
                interfaceEndpointServices: ["ecr.api", "xray"],
            });
        });
        assert.deepEqual(
            ofType(run, ENDPOINT).map((e) => e.inputs.serviceName),
            ["com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.ecr.api", "com.amazonaws.us-east-1.xray"],
        );
    });
});

describe("Network's use of the awsx VPC outputs", () => {
    it("reads only outputs that are plain values in the engine too, not the resource references the simulation answers as objects", () => {
        // awsx 3.9.0 ec2/vpc.d.ts: `subnets`, `natGateways`, `vpc`, ... are resources (references the
        // engine returns); `vpcId` and the `*SubnetIds` are strings. tools/sim/awsxVpc.ts answers every
        // output with plain data, which matches the engine only for the strings.
        const declarations = readFileSync(
            path.join(REPO_ROOT, "node_modules", "@pulumi", "awsx", "ec2", "vpc.d.ts"),
            "utf8",
        );
        const declared = [...declarations.matchAll(/readonly (\w+): pulumi\.Output<([^>]+)>/g)];
        const plain = new Set(declared.filter((m) => /^string(\[\])?$/.test(m[2])).map((m) => m[1]));
        assert.deepEqual([...plain].sort(), ["isolatedSubnetIds", "privateSubnetIds", "publicSubnetIds", "vpcId"]);
        const source = readFileSync(path.join(REPO_ROOT, "components", "network", "index.ts"), "utf8");
        const read = new Set([...source.matchAll(/\bawsxVpc\.(\w+)/g)].map((m) => m[1]));
        assert.ok(read.has("vpcId") && read.has("privateSubnetIds"), "the component's reads are found");
        assert.deepEqual(
            [...read].filter((name) => !plain.has(name)),
            [],
        );
    });
});
