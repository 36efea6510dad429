import { ResourceValidationArgs } from "@pulumi/policy";

/** How messages name a resource: its kind and logical name, e.g. `RDS cluster "app-db"`. */
export function label(kind: string, name: string): string {
    return `${kind} "${name}"`;
}

/** The kind of resource the RDS policies are looking at, by type token. */
export function rdsKind(args: Pick<ResourceValidationArgs, "type">): string {
    switch (args.type) {
        case "aws:rds/cluster:Cluster":
            return "RDS cluster";
        case "aws:rds/clusterInstance:ClusterInstance":
            return "Aurora instance";
        default:
            return "RDS instance";
    }
}
