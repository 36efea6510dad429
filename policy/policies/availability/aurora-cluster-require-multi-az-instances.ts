import { StackValidationPolicy } from "@pulumi/policy";
import { RdsCluster, RdsClusterInstance } from "../awsTypes";
import { identifiers, knownOrUndefined, resourcesOf, whenKnown } from "../common";
import { label } from "../labels";

interface Config {
    minInstanceCount: number;
    minAvailabilityZoneCount: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Follows every `ClusterInstance` to its cluster by `clusterIdentifier` (the cluster's id or
 * identifier) and counts the instances and their distinct `availabilityZone`s. An instance
 * without an `availabilityZone` is placed by AWS and proves no spread, so it adds no zone.
 * When an instance's link or zone is unknown (preview) the affected count cannot be judged.
 */
export const auroraClusterRequireMultiAzInstances: StackValidationPolicy = {
    name: "aurora-cluster-require-multi-az-instances",
    description: "Every Aurora cluster must have enough instances placed in at least two availability zones.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minInstanceCount: {
                type: "integer",
                minimum: 1,
                default: 2,
                description: "Fewest instances (writer and readers) a cluster may have.",
            },
            minAvailabilityZoneCount: {
                type: "integer",
                minimum: 1,
                default: 2,
                description: "Fewest distinct availability zones a cluster's instances may use.",
            },
        },
    },
    validateStack: (args, report) => {
        const { minInstanceCount, minAvailabilityZoneCount } = args.getConfig<Config>();
        const instances = resourcesOf(args.resources, RdsClusterInstance).map((i) => ({
            link: knownOrUndefined(() => i.props.clusterIdentifier),
            linkKnown: whenKnown(() => i.props.clusterIdentifier),
            zone: knownOrUndefined(() => i.props.availabilityZone),
            zoneKnown: whenKnown(() => i.props.availabilityZone),
        }));
        const allLinksKnown = instances.every((i) => i.linkKnown);
        for (const cluster of resourcesOf(args.resources, RdsCluster)) {
            whenKnown(() => {
                if (!(cluster.props.engine ?? "").startsWith("aurora")) return;
                const keys = identifiers(cluster.resource.props, "clusterIdentifier");
                const members = instances.filter((i) => i.link !== undefined && keys.includes(i.link));
                const what = label("Aurora cluster", cluster.resource.name);
                if (members.length < minInstanceCount) {
                    if (allLinksKnown) {
                        report(
                            `${what} has ${plural(members.length, "instance")}; it must have at least ${minInstanceCount}.`,
                            cluster.resource.urn,
                        );
                    }
                    return;
                }
                if (!members.every((m) => m.zoneKnown)) return;
                const zones = [...new Set(members.map((m) => m.zone).filter((z): z is string => !!z))].sort();
                if (zones.length < minAvailabilityZoneCount) {
                    report(
                        `${what} has instances in ${plural(zones.length, "availability zone")} [${zones.join(", ")}]; they must span at least ${minAvailabilityZoneCount} (set availabilityZone on each instance).`,
                        cluster.resource.urn,
                    );
                }
            });
        }
    },
};
