import type { RecordedResource } from "./sim";

/**
 * Draws the architecture as a Mermaid flowchart from what the program declared: each
 * top-level component is a group holding its notable resources, and the data-flow edges
 * (clients -> load balancer -> service -> database / bucket) are found from the links
 * between the resources' inputs and the ids and ARNs they reference, not drawn by hand.
 */
const NOTABLE: Readonly<Record<string, { label: string; shape: "box" | "db" | "round" }>> = {
    "awsx:ec2:Vpc": { label: "VPC", shape: "box" },
    "aws:ec2/flowLog:FlowLog": { label: "VPC flow logs", shape: "box" },
    "aws:lb/loadBalancer:LoadBalancer": { label: "Application Load Balancer", shape: "box" },
    "aws:wafv2/webAcl:WebAcl": { label: "WAF web ACL", shape: "box" },
    "aws:route53/record:Record": { label: "Route 53 alias", shape: "box" },
    "aws:ecs/service:Service": { label: "ECS Fargate service", shape: "box" },
    "aws:ecr/repository:Repository": { label: "ECR repository", shape: "box" },
    "aws:rds/cluster:Cluster": { label: "Aurora PostgreSQL cluster", shape: "db" },
    "aws:rds/proxy:Proxy": { label: "RDS Proxy", shape: "box" },
    "aws:backup/plan:Plan": { label: "AWS Backup plan", shape: "box" },
    "aws:s3/bucket:Bucket": { label: "S3 bucket", shape: "db" },
    "aws:sns/topic:Topic": { label: "SNS alarm topic", shape: "round" },
    "aws:cloudwatch/dashboard:Dashboard": { label: "CloudWatch dashboard", shape: "box" },
    "aws:budgets/budget:Budget": { label: "Budget", shape: "box" },
};

interface Edge {
    from: RecordedResource;
    to: RecordedResource;
    label: string;
}

/** Every string inside a value, however deeply nested. */
function strings(value: unknown, out: string[] = []): string[] {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach((item) => strings(item, out));
    else if (value && typeof value === "object") Object.values(value).forEach((item) => strings(item, out));
    return out;
}

/** The identifiers other resources use to point at `r`. */
function identifiers(r: RecordedResource): string[] {
    const s = r.state;
    return [r.id, s.arn, s.bucket, s.endpoint, s.dnsName, s.name, s.repositoryUrl]
        .filter((v): v is string => typeof v === "string" && v.length >= 8)
        .filter((v, i, all) => all.indexOf(v) === i);
}

function references(from: RecordedResource, to: RecordedResource): boolean {
    const ids = identifiers(to);
    return ids.length > 0 && strings(from.inputs).some((text) => ids.some((id) => text.includes(id)));
}

function dataFlowEdges(resources: readonly RecordedResource[]): Edge[] {
    const of = (type: string) => resources.filter((r) => r.type === type);
    const listeners = of("aws:lb/listener:Listener");
    const targetGroups = of("aws:lb/targetGroup:TargetGroup");
    const taskDefinitions = of("aws:ecs/taskDefinition:TaskDefinition");
    const edges: Edge[] = [];
    for (const service of of("aws:ecs/service:Service")) {
        const groups = targetGroups.filter((tg) => references(service, tg));
        for (const lb of of("aws:lb/loadBalancer:LoadBalancer")) {
            const forwarding = listeners.filter((l) => references(l, lb) && groups.some((tg) => references(l, tg)));
            if (forwarding.length > 0) edges.push({ from: lb, to: service, label: "HTTP :8000" });
        }
        // What the service's tasks talk to: whatever its task definition or task role points at.
        const tasks = taskDefinitions.filter((td) => references(service, td));
        const roles = of("aws:iam/role:Role").filter((role) => tasks.some((td) => references(td, role)));
        const policies = resources.filter(
            (r) =>
                r.type.startsWith("aws:iam/") &&
                r.type !== "aws:iam/role:Role" &&
                roles.some((role) => references(r, role)),
        );
        const reaches = (target: RecordedResource) =>
            tasks.some((td) => references(td, target)) || policies.some((p) => references(p, target));
        const proxies = of("aws:rds/proxy:Proxy").filter(reaches);
        for (const proxy of proxies) edges.push({ from: service, to: proxy, label: "SQL :5432 TLS" });
        for (const cluster of of("aws:rds/cluster:Cluster")) {
            const viaProxy = proxies.filter((proxy) =>
                resources.some((r) => references(r, cluster) && references(r, proxy)),
            );
            for (const proxy of viaProxy) edges.push({ from: proxy, to: cluster, label: "pooled connections" });
            if (viaProxy.length === 0 && reaches(cluster))
                edges.push({ from: service, to: cluster, label: "SQL :5432 TLS" });
        }
        for (const bucket of of("aws:s3/bucket:Bucket").filter(reaches)) {
            edges.push({ from: service, to: bucket, label: "CSV uploads" });
        }
    }
    // Cross-region copies of the uploads: a replication configuration names source and destination.
    for (const replication of of("aws:s3/bucketReplicationConfig:BucketReplicationConfig")) {
        const buckets = of("aws:s3/bucket:Bucket");
        const source = buckets.find((b) => replication.inputs.bucket === b.state.bucket);
        const targets = buckets.filter((b) => b !== source && references(replication, b));
        for (const target of source ? targets : [])
            edges.push({ from: source as RecordedResource, to: target, label: "replication" });
    }
    return edges;
}

/** Only alias records are part of the picture; certificate-validation records are not. */
function isNotable(r: RecordedResource): boolean {
    if (!NOTABLE[r.type]) return false;
    return r.type !== "aws:route53/record:Record" || Array.isArray(r.inputs.aliases);
}

function nodeId(r: RecordedResource): string {
    return `n_${r.name.replace(/[^A-Za-z0-9]/g, "_")}`;
}

function node(r: RecordedResource): string {
    const spec = NOTABLE[r.type];
    const text = `${spec.label}<br/>${r.name}`;
    if (spec.shape === "db") return `${nodeId(r)}[("${text}")]`;
    if (spec.shape === "round") return `${nodeId(r)}("${text}")`;
    return `${nodeId(r)}["${text}"]`;
}

export function architectureDiagram(resources: readonly RecordedResource[]): string {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const topLevel = (r: RecordedResource): RecordedResource => {
        let current = r;
        while (current.parent && byUrn.has(current.parent)) current = byUrn.get(current.parent) as RecordedResource;
        return current;
    };
    const lines = ["flowchart LR", '    clients(["API clients"])'];
    const groups = new Map<string, RecordedResource[]>();
    for (const r of resources) {
        if (!isNotable(r)) continue;
        const group = topLevel(r);
        groups.set(group.urn, [...(groups.get(group.urn) ?? []), r]);
    }
    for (const [urn, members] of groups) {
        const group = byUrn.get(urn) as RecordedResource;
        const title =
            group === members[0] && group.custom ? group.type : `${group.type.split(":").pop()}: ${group.name}`;
        lines.push(`    subgraph ${nodeId(group)}_group["${title}"]`);
        for (const member of members) lines.push(`        ${node(member)}`);
        lines.push("    end");
    }
    const https = resources.some(
        (r) => r.type === "aws:lb/listener:Listener" && String(r.inputs.protocol).toUpperCase() === "HTTPS",
    );
    const protocol = https ? "HTTPS :443" : "HTTP :80";
    const aliases = resources.filter((r) => r.type === "aws:route53/record:Record" && isNotable(r));
    for (const lb of resources.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")) {
        const dns = aliases.filter((alias) => references(alias, lb));
        for (const alias of dns) {
            lines.push(
                `    clients -->|"DNS"| ${nodeId(alias)}`,
                `    ${nodeId(alias)} -->|"${protocol}"| ${nodeId(lb)}`,
            );
        }
        if (dns.length === 0) lines.push(`    clients -->|"${protocol}"| ${nodeId(lb)}`);
    }
    for (const edge of dataFlowEdges(resources)) {
        lines.push(`    ${nodeId(edge.from)} -->|"${edge.label}"| ${nodeId(edge.to)}`);
    }
    return `${lines.join("\n")}\n`;
}

/** The edges alone, as `from -> to`, for tests. */
export function dataFlow(resources: readonly RecordedResource[]): string[] {
    return dataFlowEdges(resources).map(
        (e) => `${e.from.type.split(":").pop()} ${e.from.name} -> ${e.to.type.split(":").pop()} ${e.to.name}`,
    );
}
