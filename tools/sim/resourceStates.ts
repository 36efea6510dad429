import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { childId } from "./awsxVpc";
import { ACCOUNT_ID, autoName, hexId, PARTITION, uuid } from "./ids";

/** Simulated provider state per resource type: realistic ids, ARNs, names and endpoints. */
export type State = Record<string, unknown>;

export interface Context {
    region: string;
    name: string;
    inputs: State;
    seed: string;
    /** The physical name: the input name, or the logical name plus Pulumi's 7-character suffix. */
    physical: (inputKey?: string) => string;
    arn: (service: string, resource: string, opts?: { region?: string; account?: string }) => string;
}

/** Per-type extra state. Everything else gets `arn`, `name` (when named) and the inputs. */
export const TYPE_STATE: Readonly<Record<string, (c: Context) => { id?: string; state: State }>> = {
    "aws:ec2/vpc:Vpc": (c) => {
        const id = childId("aws:ec2/vpc:Vpc", c.name);
        return {
            id,
            state: {
                arn: c.arn("ec2", `vpc/${id}`),
                defaultSecurityGroupId: `sg-${hexId(c.seed + "dsg", 17)}`,
                mainRouteTableId: `rtb-${hexId(`${id}/main`, 17)}`,
                defaultNetworkAclId: `acl-${hexId(c.seed + "acl", 17)}`,
                ownerId: ACCOUNT_ID,
            },
        };
    },
    "aws:ec2/subnet:Subnet": (c) => {
        const id = childId("aws:ec2/subnet:Subnet", c.name);
        return { id, state: { arn: c.arn("ec2", `subnet/${id}`), ownerId: ACCOUNT_ID } };
    },
    "aws:ec2/routeTable:RouteTable": (c) => {
        const id = childId("aws:ec2/routeTable:RouteTable", c.name);
        return { id, state: { arn: c.arn("ec2", `route-table/${id}`), ownerId: ACCOUNT_ID } };
    },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": (c) => ({
        id: childId("aws:ec2/routeTableAssociation:RouteTableAssociation", c.name),
        state: {},
    }),
    // The provider's route id: "r-" + route table id + a hash of the destination.
    "aws:ec2/route:Route": (c) => ({
        id: `r-${String(c.inputs.routeTableId)}${parseInt(hexId(c.seed, 8), 16)}`,
        state: { state: "active", origin: "CreateRoute" },
    }),
    "aws:ec2/internetGateway:InternetGateway": (c) => {
        const id = childId("aws:ec2/internetGateway:InternetGateway", c.name);
        return { id, state: { arn: c.arn("ec2", `internet-gateway/${id}`), ownerId: ACCOUNT_ID } };
    },
    "aws:ec2/eip:Eip": (c) => {
        const id = childId("aws:ec2/eip:Eip", c.name);
        const ip = [3, ...[0, 2, 4].map((k) => parseInt(hexId(c.seed, 6).slice(k, k + 2), 16))].join(".");
        return {
            id,
            state: { allocationId: id, publicIp: ip, domain: "vpc", arn: c.arn("ec2", `elastic-ip/${id}`) },
        };
    },
    "aws:ec2/natGateway:NatGateway": (c) => {
        const id = childId("aws:ec2/natGateway:NatGateway", c.name);
        return {
            id,
            state: {
                connectivityType: "public",
                networkInterfaceId: `eni-${hexId(c.seed + "eni", 17)}`,
                privateIp: `10.0.${parseInt(hexId(c.seed, 2), 16)}.${parseInt(hexId(c.seed + "ip", 2), 16)}`,
            },
        };
    },
    "aws:ec2/securityGroup:SecurityGroup": (c) => {
        const id = `sg-${hexId(c.seed, 17)}`;
        return { id, state: { arn: c.arn("ec2", `security-group/${id}`), name: c.physical() } };
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": (c) => ({ id: `vpce-${hexId(c.seed, 17)}`, state: {} }),
    "aws:ec2/flowLog:FlowLog": (c) => ({ id: `fl-${hexId(c.seed, 17)}`, state: {} }),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (c) => ({ id: `sg-${hexId(c.seed, 17)}`, state: {} }),
    "aws:kms/key:Key": (c) => {
        const id = uuid(c.seed);
        return { id, state: { arn: c.arn("kms", `key/${id}`), keyId: id } };
    },
    "aws:kms/alias:Alias": (c) => ({ state: { arn: c.arn("kms", String(c.inputs.name ?? c.physical())) } }),
    "aws:s3/bucket:Bucket": (c) => bucketState(c),
    "aws:s3/bucketV2:BucketV2": (c) => bucketState(c),
    "aws:rds/cluster:Cluster": (c) => {
        const id = c.physical("clusterIdentifier");
        const host = `${id}.cluster-${hexId(c.seed, 12)}.${c.region}.rds.amazonaws.com`;
        return {
            id,
            state: {
                arn: c.arn("rds", `cluster:${id}`),
                clusterIdentifier: id,
                clusterResourceId: `cluster-${hexId(c.seed, 26).toUpperCase()}`,
                endpoint: host,
                readerEndpoint: host.replace(".cluster-", ".cluster-ro-"),
                port: c.inputs.port ?? 5432,
                engineVersionActual: c.inputs.engineVersion,
                masterUserSecrets: c.inputs.manageMasterUserPassword
                    ? [
                          {
                              secretArn: c.arn(
                                  "secretsmanager",
                                  `secret:rds!cluster-${uuid(c.seed)}-${hexId(c.seed, 6)}`,
                              ),
                              kmsKeyId: c.inputs.masterUserSecretKmsKeyId,
                              secretStatus: "active",
                          },
                      ]
                    : [],
            },
        };
    },
    // random.RandomId keeps its bytes in state across updates and draws new ones when it is
    // replaced (a `keepers` change). The simulation derives them from the name and the keepers:
    // the same config gives the same value, changed keepers a new one.
    "random:index/randomId:RandomId": (c) => {
        const bytes = Number(c.inputs.byteLength ?? 8);
        const hex = hexId(`${c.seed}/${JSON.stringify(c.inputs.keepers ?? {})}`, bytes * 2);
        const raw = Buffer.from(hex, "hex");
        const b64Url = raw.toString("base64url");
        return {
            id: b64Url,
            state: { hex, b64Url, b64Std: raw.toString("base64"), dec: BigInt(`0x${hex}`).toString() },
        };
    },
    "aws:rds/clusterInstance:ClusterInstance": (c) => {
        const id = c.physical("identifier");
        return {
            id,
            state: {
                arn: c.arn("rds", `db:${id}`),
                identifier: id,
                dbiResourceId: `db-${hexId(c.seed, 26).toUpperCase()}`,
                endpoint: `${id}.${hexId(c.seed, 12)}.${c.region}.rds.amazonaws.com`,
                port: 5432,
                writer: false,
            },
        };
    },
    "aws:rds/proxy:Proxy": (c) => {
        const name = c.physical();
        return {
            id: name,
            state: {
                arn: c.arn("rds", `db-proxy:prx-${hexId(c.seed, 17)}`),
                endpoint: `${name}.proxy-${hexId(c.seed, 12)}.${c.region}.rds.amazonaws.com`,
            },
        };
    },
    "aws:rds/subnetGroup:SubnetGroup": (c) => {
        const name = c.physical().toLowerCase();
        return { id: name, state: { arn: c.arn("rds", `subgrp:${name}`), name } };
    },
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": (c) => {
        const name = c.physical().toLowerCase();
        return { id: name, state: { arn: c.arn("rds", `cluster-pg:${name}`), name } };
    },
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": (c) => ({
        id: String(c.inputs.dbProxyName ?? c.name),
        state: { arn: c.arn("rds", `target-group:prx-tg-${hexId(c.seed, 17)}`), name: "default" },
    }),
    "aws:lb/loadBalancer:LoadBalancer": (c) => lbState(c, "loadbalancer/app"),
    "aws:lb/targetGroup:TargetGroup": (c) => lbState(c, "targetgroup"),
    "aws:lb/listener:Listener": (c) => {
        const arn = c.arn(
            "elasticloadbalancing",
            `listener/app/${c.name}/${hexId(c.seed, 16)}/${hexId(c.seed + "l", 16)}`,
        );
        return { id: arn, state: { arn } };
    },
    "aws:ecs/cluster:Cluster": (c) => {
        const name = c.physical();
        const arn = c.arn("ecs", `cluster/${name}`);
        return { id: arn, state: { arn, name } };
    },
    "aws:ecs/service:Service": (c) => {
        const name = c.physical();
        return { id: c.arn("ecs", `service/${name}`), state: { name } };
    },
    "aws:ecs/taskDefinition:TaskDefinition": (c) => {
        const family = String(c.inputs.family ?? c.physical());
        return {
            id: family,
            state: {
                arn: c.arn("ecs", `task-definition/${family}:1`),
                arnWithoutRevision: c.arn("ecs", `task-definition/${family}`),
                revision: 1,
            },
        };
    },
    "aws:ecr/repository:Repository": (c) => {
        const name = c.physical();
        return {
            id: name,
            state: {
                name,
                arn: c.arn("ecr", `repository/${name}`),
                registryId: ACCOUNT_ID,
                repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${c.region}.amazonaws.com/${name}`,
            },
        };
    },
    "aws:iam/role:Role": (c) => {
        const name = c.physical();
        return {
            id: name,
            state: {
                // IAM puts the role's path into its ARN: role/<path without the leading "/"><name>.
                arn: c.arn("iam", `role${typeof c.inputs.path === "string" ? c.inputs.path : "/"}${name}`, {
                    region: "",
                }),
                path: typeof c.inputs.path === "string" ? c.inputs.path : "/",
                uniqueId: `AROA${hexId(c.seed, 17).toUpperCase()}`,
            },
        };
    },
    "aws:iam/policy:Policy": (c) => {
        const name = c.physical();
        const arn = c.arn("iam", `policy/${name}`, { region: "" });
        return { id: arn, state: { arn } };
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (c) => {
        const url = String(c.inputs.url ?? "").replace(/^https:\/\//, "");
        const arn = c.arn("iam", `oidc-provider/${url}`, { region: "" });
        return { id: arn, state: { arn } };
    },
    "aws:cloudwatch/logGroup:LogGroup": (c) => {
        const name = c.physical();
        return { id: name, state: { name, arn: c.arn("logs", `log-group:${name}`) } };
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": (c) => ({
        id: c.physical(),
        state: { arn: c.arn("cloudwatch", `alarm:${c.physical()}`) },
    }),
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": (c) => ({
        id: c.physical("alarmName"),
        state: { arn: c.arn("cloudwatch", `alarm:${c.physical("alarmName")}`) },
    }),
    "aws:cloudwatch/dashboard:Dashboard": (c) => {
        const name = c.physical("dashboardName");
        return { id: name, state: { dashboardArn: c.arn("cloudwatch", `dashboard/${name}`, { region: "" }) } };
    },
    "aws:sns/topic:Topic": (c) => {
        const arn = c.arn("sns", c.physical());
        return { id: arn, state: { arn } };
    },
    "aws:secretsmanager/secret:Secret": (c) => {
        const arn = c.arn("secretsmanager", `secret:${c.physical()}-${hexId(c.seed, 6)}`);
        return { id: arn, state: { arn } };
    },
    "aws:acm/certificate:Certificate": (c) => {
        const arn = c.arn("acm", `certificate/${uuid(c.seed)}`);
        const domain = String(c.inputs.domainName ?? "example.com");
        return {
            id: arn,
            state: {
                arn,
                domainValidationOptions: [
                    {
                        domainName: domain,
                        resourceRecordName: `_${hexId(c.seed, 32)}.${domain}.`,
                        resourceRecordType: "CNAME",
                        resourceRecordValue: `_${hexId(c.seed + "v", 32)}.mhbtsbpdnt.acm-validations.aws.`,
                    },
                ],
            },
        };
    },
    "aws:wafv2/webAcl:WebAcl": (c) => {
        const id = uuid(c.seed);
        return { id, state: { arn: c.arn("wafv2", `regional/webacl/${c.physical()}/${id}`) } };
    },
    "aws:backup/vault:Vault": (c) => ({
        id: c.physical(),
        state: { arn: c.arn("backup", `backup-vault:${c.physical()}`) },
    }),
    "aws:backup/plan:Plan": (c) => {
        const id = uuid(c.seed);
        return { id, state: { arn: c.arn("backup", `backup-plan:${id}`), version: hexId(c.seed, 32) } };
    },
    "aws:route53/record:Record": (c) => ({
        id: `${c.inputs.zoneId}_${c.inputs.name}_${c.inputs.type}`,
        state: { fqdn: c.inputs.name },
    }),
    "aws:budgets/budget:Budget": (c) => ({
        id: `${ACCOUNT_ID}:${c.physical()}`,
        state: { arn: c.arn("budgets", `budget/${c.physical()}`, { region: "" }) },
    }),
    "aws:sns/topicSubscription:TopicSubscription": (c) => {
        const arn = `${String(c.inputs.topic)}:${uuid(c.seed)}`;
        return { id: arn, state: { arn, ownerId: ACCOUNT_ID, pendingConfirmation: c.inputs.protocol === "email" } };
    },
    "aws:sns/topicPolicy:TopicPolicy": (c) => ({ id: String(c.inputs.arn), state: { owner: ACCOUNT_ID } }),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": (c) => ({ id: c.physical(), state: {} }),
    "aws:cloudwatch/eventRule:EventRule": (c) => {
        const name = c.physical();
        return { id: name, state: { name, arn: c.arn("events", `rule/${name}`) } };
    },
    "aws:cloudwatch/eventTarget:EventTarget": (c) => ({
        id: `${String(c.inputs.rule)}-${String(c.inputs.targetId ?? autoName("target", c.seed))}`,
        state: {},
    }),
    "aws:xray/samplingRule:SamplingRule": (c) => {
        const ruleName = c.physical("ruleName");
        return { id: ruleName, state: { ruleName, arn: c.arn("xray", `sampling-rule/${ruleName}`) } };
    },
    "random:index/randomString:RandomString": (c) => {
        const result = hexId(c.seed, Number(c.inputs.length ?? 8));
        return { id: result, state: { result } };
    },
};

function bucketState(c: Context): { id: string; state: State } {
    const bucket = String(
        c.inputs.bucket ?? (c.inputs.bucketPrefix ? `${c.inputs.bucketPrefix}${hexId(c.seed, 7)}` : c.physical()),
    );
    return {
        id: bucket,
        state: {
            bucket,
            arn: `arn:${PARTITION}:s3:::${bucket}`,
            bucketDomainName: `${bucket}.s3.amazonaws.com`,
            bucketRegionalDomainName: `${bucket}.s3.${c.region}.amazonaws.com`,
            hostedZoneId: "Z3AQBSTGFYJSTF",
            region: c.region,
        },
    };
}

function lbState(c: Context, kind: string): { id: string; state: State } {
    const name = c.physical();
    const suffix = `${kind}/${name}/${hexId(c.seed, 16)}`;
    const arn = c.arn("elasticloadbalancing", suffix);
    return {
        id: arn,
        state: {
            arn,
            name,
            arnSuffix: suffix.replace(/^loadbalancer\//, ""),
            dnsName: `${name}-${parseInt(hexId(c.seed, 8), 16)}.${c.region}.elb.amazonaws.com`,
            zoneId: "Z35SXDOTRQ7X7K",
        },
    };
}

const declarations = new Map<string, string>();

/** The provider's own type declaration of an `aws:` resource class, or "" when there is none. */
function declarationOf(type: string): string {
    const cached = declarations.get(type);
    if (cached !== undefined) return cached;
    const match = /^aws:([A-Za-z0-9]+)\/([A-Za-z0-9]+):/.exec(type);
    let text = "";
    if (match) {
        const root = path.dirname(require.resolve("@pulumi/aws/package.json"));
        const file = path.join(root, match[1] === "index" ? "" : match[1], `${match[2]}.d.ts`);
        text = existsSync(file) ? readFileSync(file, "utf8") : "";
    }
    declarations.set(type, text);
    return text;
}

/** Whether the resource class declares the output `property` (read from @pulumi/aws, so it never drifts). */
export function declaresOutput(type: string, property: string): boolean {
    return outputsOf(type).has(property);
}

/** Every output the resource class declares (read from @pulumi/aws). */
export function declaredOutputs(type: string): string[] {
    return [...outputsOf(type)];
}

// Asked for every resource of every run: each type's declaration is scanned once.
const outputsByType = new Map<string, ReadonlySet<string>>();
function outputsOf(type: string): ReadonlySet<string> {
    let outputs = outputsByType.get(type);
    if (!outputs) {
        outputs = new Set([...declarationOf(type).matchAll(/readonly (\w+): pulumi\.Output</g)].map((m) => m[1]));
        outputsByType.set(type, outputs);
    }
    return outputs;
}

/** Whether an `aws:` type supports tags: its class declares `tagsAll`. */
export function isTaggable(type: string): boolean {
    return declaresOutput(type, "tagsAll");
}
