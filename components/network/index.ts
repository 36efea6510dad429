import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as vpc from "@pulumi/aws/vpc";
// The ec2 module only: the package root also loads awsx "classic" (an AWS SDK client, docker).
import * as awsxEc2 from "@pulumi/awsx/ec2";
import * as pulumi from "@pulumi/pulumi";
import {
    ArgProblems,
    Check,
    cidrBlock,
    DEFAULT_LOG_RETENTION_DAYS,
    integerIn,
    logRetentionDays,
    oneOf,
    parseCidr,
} from "../shared/validation";

export const NAT_GATEWAY_STRATEGIES = ["Single", "OnePerAz"] as const;
export type NatGatewayStrategy = (typeof NAT_GATEWAY_STRATEGIES)[number];

/** The services the API's tasks call, reached through interface endpoints when those are on. */
export const DEFAULT_INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "kms"] as const;

/** The Network's defaults: its constructor, the `@default`s below and the stack config all read these. */
export const NETWORK_DEFAULTS = {
    vpcCidr: "10.0.0.0/16",
    availabilityZoneCount: 3,
    natGatewayStrategy: "OnePerAz",
    vpcEndpointsEnabled: true,
    interfaceEndpointServices: DEFAULT_INTERFACE_ENDPOINT_SERVICES,
    logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
} as const;

/** The Network's limits, read by its validation and by the stack config. */
export const NETWORK_LIMITS = {
    // /16 is the largest VPC block AWS allows; /22 leaves room for 3 tiers x 3 AZs of /26 or larger.
    vpcCidrPrefix: { min: 16, max: 22 },
    // Two AZs at least for a multi-AZ stack; the subnet plan splits the block for up to three.
    availabilityZoneCount: { min: 2, max: 3 },
} as const;

export interface NetworkArgs {
    /**
     * IPv4 CIDR block of the VPC, from /16 to /22.
     * @default "10.0.0.0/16"
     */
    readonly vpcCidr?: string;
    /**
     * How many AZs the subnets span (2-3). The first `availabilityZoneCount` zones the region
     * reports are used (as awsx picks them); the component fails with a clear error during the run if
     * the region offers fewer (the zone list is only known from `aws.getAvailabilityZones`).
     * @default 3
     */
    readonly availabilityZoneCount?: number;
    /**
     * NAT gateways: `Single` (one for the VPC, cheaper) or `OnePerAz` (egress survives the loss
     * of an AZ).
     * @default "OnePerAz"
     */
    readonly natGatewayStrategy?: NatGatewayStrategy;
    /**
     * Interface VPC endpoints for `interfaceEndpointServices`, so task traffic to AWS APIs stays
     * inside the VPC. The S3 gateway endpoint is always created (it is free).
     * @default true
     */
    readonly vpcEndpointsEnabled?: boolean;
    /**
     * Service suffixes (`com.amazonaws.<region>.<suffix>`) that get interface endpoints.
     * @default ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "kms"]
     */
    readonly interfaceEndpointServices?: readonly string[];
    /** ARN of the KMS key that encrypts the flow-log group; its policy must allow `logs`. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /**
     * Retention of the flow-log group, a value CloudWatch Logs accepts.
     * @default 365
     */
    readonly logRetentionDays?: number;
}

/** CIDR blocks of the three subnet tiers, one per AZ, in AZ order. */
export interface SubnetPlan {
    readonly public: string[];
    readonly private: string[];
    readonly isolated: string[];
}

/**
 * The subnet layout, computed here rather than by awsx so that an awsx upgrade cannot re-plan
 * the subnets. The VPC is cut into four equal AZ blocks (room for a fourth AZ, so adding one
 * never moves existing subnets); each AZ block holds a private subnet (half), then a public
 * and an isolated subnet (an eighth each), leaving an eighth free.
 * For 10.0.0.0/16: private 10.0.0.0/19, public 10.0.32.0/21, isolated 10.0.40.0/21 in the
 * first AZ; the second AZ starts at 10.0.64.0.
 */
export function planSubnets(vpcCidr: string, availabilityZoneCount: number): SubnetPlan {
    const parsed = parseCidr(vpcCidr);
    if (!parsed) throw new Error(`planSubnets: ${JSON.stringify(vpcCidr)} is not an IPv4 CIDR block`);
    const { network, prefix } = parsed;
    const size = (bits: number) => 2 ** (32 - bits);
    const plan: SubnetPlan = { public: [], private: [], isolated: [] };
    for (let zone = 0; zone < availabilityZoneCount; zone++) {
        const base = network + zone * size(prefix + 2);
        const publicBase = base + size(prefix + 3);
        plan.private.push(`${toDottedQuad(base)}/${prefix + 3}`);
        plan.public.push(`${toDottedQuad(publicBase)}/${prefix + 5}`);
        plan.isolated.push(`${toDottedQuad(publicBase + size(prefix + 5))}/${prefix + 5}`);
    }
    return plan;
}

function toDottedQuad(address: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

const endpointService: Check<string> = (value) =>
    /^[a-z0-9]+([.-][a-z0-9]+)*$/.test(value) && value !== "s3"
        ? undefined
        : 'be a service suffix such as "ecr.api" (S3 always has a gateway endpoint)';

/** The region's zone names, or a clear error when it offers fewer than `count`. */
export function availabilityZonesFor(available: readonly string[], count: number, region: string): string[] {
    if (available.length < count) {
        throw new Error(
            `\`availabilityZoneCount\` must not exceed the ${available.length} availability zones ${region} offers (${available.join(", ")}); got ${count}.`,
        );
    }
    return available.slice(0, count);
}

/**
 * A multi-AZ VPC: public, private (app) and isolated (database) subnets in every AZ through
 * awsx, plus the pieces a policy pack must see, built with `@pulumi/aws`: flow logs to an
 * encrypted log group, the S3 gateway endpoint, interface endpoints behind a 443-only security
 * group, and the default security group stripped of its rules.
 */
export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly cidrBlock: pulumi.Output<string>;
    public readonly availabilityZoneNames: pulumi.Output<string[]>;
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    public readonly privateSubnetIds: pulumi.Output<string[]>;
    public readonly isolatedSubnetIds: pulumi.Output<string[]>;
    /** The security group of the interface endpoints; undefined when they are off. */
    public readonly endpointSecurityGroupId: pulumi.Output<string | undefined>;
    public readonly flowLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:network:Network", name, {}, opts);
        const vpcCidr = args.vpcCidr ?? NETWORK_DEFAULTS.vpcCidr;
        const availabilityZoneCount = args.availabilityZoneCount ?? NETWORK_DEFAULTS.availabilityZoneCount;
        const natGatewayStrategy = args.natGatewayStrategy ?? NETWORK_DEFAULTS.natGatewayStrategy;
        const vpcEndpointsEnabled = args.vpcEndpointsEnabled ?? NETWORK_DEFAULTS.vpcEndpointsEnabled;
        const interfaceEndpointServices = args.interfaceEndpointServices ?? NETWORK_DEFAULTS.interfaceEndpointServices;
        const retentionDays = args.logRetentionDays ?? NETWORK_DEFAULTS.logRetentionDays;

        const problems = new ArgProblems()
            .check("vpcCidr", vpcCidr, cidrBlock(NETWORK_LIMITS.vpcCidrPrefix.min, NETWORK_LIMITS.vpcCidrPrefix.max))
            .check("availabilityZoneCount", availabilityZoneCount, integerIn(NETWORK_LIMITS.availabilityZoneCount))
            .check("natGatewayStrategy", natGatewayStrategy, oneOf<string>(NAT_GATEWAY_STRATEGIES))
            .check("logRetentionDays", retentionDays, logRetentionDays);
        interfaceEndpointServices.forEach((service, i) =>
            problems.check(`interfaceEndpointServices[${i}]`, service, endpointService),
        );
        const duplicates = interfaceEndpointServices.filter((s, i) => interfaceEndpointServices.indexOf(s) !== i);
        problems.add(
            duplicates.length > 0,
            `\`interfaceEndpointServices\` must not repeat a service; got ${duplicates.map((d) => JSON.stringify(d)).join(", ")} twice.`,
        );
        problems.throwIfAny(this, `Network ${name}`);

        const region = getRegionOutput({}, { parent: this }).region;
        // The same query awsx makes to pick the subnets' zones (the first `numberOfAvailabilityZones`
        // of an unfiltered list): a `state` filter here could name other zones than the subnets'
        // while a zone is impaired, and the database would place instances where it has no subnet.
        const zones = getAvailabilityZonesOutput({}, { parent: this });
        this.availabilityZoneNames = pulumi.all([zones.names, region]).apply(([names, reg]) => {
            try {
                return availabilityZonesFor(names, availabilityZoneCount, reg);
            } catch (e) {
                throw new pulumi.ResourceError(`invalid arguments for Network ${name}: ${(e as Error).message}`, this);
            }
        });

        const plan = planSubnets(vpcCidr, availabilityZoneCount);
        const awsxVpc = new awsxEc2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: vpcCidr,
                numberOfAvailabilityZones: availabilityZoneCount,
                enableDnsHostnames: true,
                enableDnsSupport: true,
                natGateways: { strategy: natGatewayStrategy },
                // Explicit blocks for every tier: the layout is ours, not awsx's default allocator.
                subnetStrategy: "Auto",
                subnetSpecs: [
                    { type: "Private", name: "private", cidrBlocks: plan.private },
                    { type: "Public", name: "public", cidrBlocks: plan.public },
                    { type: "Isolated", name: "isolated", cidrBlocks: plan.isolated },
                ],
            },
            { parent: this },
        );
        // Fails the run (rather than deploying a thinner VPC) when the region lacks the zones.
        const vpcId = pulumi.all([awsxVpc.vpcId, this.availabilityZoneNames]).apply(([id]) => id);

        // Adopt the default security group and leave it with no rules, so nothing can use it.
        new ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId, ingress: [], egress: [] }, { parent: this });

        const flowLogGroup = new cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { retentionInDays: retentionDays, kmsKeyId: args.logsKmsKeyArn },
            { parent: this },
        );
        const flowLogRole = this.flowLogRole(name, flowLogGroup);
        new ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: flowLogGroup.arn,
                iamRoleArn: flowLogRole.arn,
                maxAggregationInterval: 60,
            },
            { parent: this },
        );

        // S3 through a gateway endpoint on every route table of the VPC (no NAT data charges).
        // The awsx component resolves only after all its route tables exist, so the lookup sees them.
        const routeTables = ec2.getRouteTablesOutput({ vpcId }, { parent: this });
        new ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId,
                serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: routeTables.ids,
            },
            { parent: this },
        );

        let endpointSecurityGroupId: pulumi.Output<string | undefined> = pulumi.output(undefined);
        if (vpcEndpointsEnabled && interfaceEndpointServices.length > 0) {
            const endpointSg = new ec2.SecurityGroup(
                `${name}-endpoints-sg`,
                { vpcId, description: "Interface VPC endpoints: HTTPS from inside the VPC only" },
                { parent: this },
            );
            new vpc.SecurityGroupIngressRule(
                `${name}-endpoints-https`,
                {
                    securityGroupId: endpointSg.id,
                    description: "HTTPS from the VPC",
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: vpcCidr,
                },
                { parent: this },
            );
            for (const service of interfaceEndpointServices) {
                new ec2.VpcEndpoint(
                    `${name}-${service.replace(/\./g, "-")}`,
                    {
                        vpcId,
                        serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds: awsxVpc.privateSubnetIds,
                        securityGroupIds: [endpointSg.id],
                    },
                    { parent: this },
                );
            }
            endpointSecurityGroupId = endpointSg.id;
        }

        this.vpcId = vpcId;
        this.cidrBlock = pulumi.output(vpcCidr);
        this.publicSubnetIds = awsxVpc.publicSubnetIds;
        this.privateSubnetIds = awsxVpc.privateSubnetIds;
        this.isolatedSubnetIds = awsxVpc.isolatedSubnetIds;
        this.endpointSecurityGroupId = endpointSecurityGroupId;
        this.flowLogGroupName = flowLogGroup.id; // a log group's id is its name
        this.registerOutputs({
            vpcId: this.vpcId,
            cidrBlock: this.cidrBlock,
            availabilityZoneNames: this.availabilityZoneNames,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
            endpointSecurityGroupId: this.endpointSecurityGroupId,
            flowLogGroupName: this.flowLogGroupName,
        });
    }

    /** The role VPC Flow Logs assume, limited to this account's flow logs and this log group. */
    private flowLogRole(name: string, logGroup: cloudwatch.LogGroup): iam.Role {
        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = getPartitionOutput({}, { parent: this }).partition;
        const region = getRegionOutput({}, { parent: this }).region;
        const trust = iam.getPolicyDocumentOutput(
            {
                statements: [
                    {
                        actions: ["sts:AssumeRole"],
                        principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
                        conditions: [
                            { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
                            {
                                test: "ArnLike",
                                variable: "aws:SourceArn",
                                values: [pulumi.interpolate`arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*`],
                            },
                        ],
                    },
                ],
            },
            { parent: this },
        );
        const role = new iam.Role(`${name}-flow-logs-role`, { assumeRolePolicy: trust.json }, { parent: this });
        const permissions = iam.getPolicyDocumentOutput(
            {
                statements: [
                    {
                        actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        resources: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                    },
                    { actions: ["logs:DescribeLogGroups"], resources: ["*"] },
                ],
            },
            { parent: this },
        );
        new iam.RolePolicy(`${name}-flow-logs-policy`, { role: role.id, policy: permissions.json }, { parent: this });
        return role;
    }
}
