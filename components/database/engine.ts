import * as rds from "@pulumi/aws/rds";
import * as pulumi from "@pulumi/pulumi";

/** The engine a cluster runs, and the parameter group family that goes with it. */
export interface ClusterEngine {
    readonly version: pulumi.Output<string>;
    readonly parameterGroupFamily: pulumi.Output<string>;
}

/**
 * With a pinned `version`, the cluster runs exactly that version and its major's parameter group
 * family: the lookup only checks that AWS offers it, and a version it does not know fails the run
 * with one error naming `engineVersion`.
 * The provider's data source fails with "no RDS engine versions found" when DescribeDBEngineVersions
 * returns nothing (hashicorp/terraform-provider-aws internal/service/rds/engine_version_data_source.go).
 * Without a pin, the newest minor of `major` is resolved on every run (not allowed in production).
 */
export function clusterEngine(
    componentName: string,
    major: string,
    version: string | undefined,
    parent: pulumi.Resource,
): ClusterEngine {
    const family = `aurora-postgresql${major}`;
    if (version === undefined) {
        const latest = rds.getEngineVersionOutput(
            { engine: "aurora-postgresql", version: major, latest: true },
            { parent },
        );
        return { version: latest.version, parameterGroupFamily: latest.parameterGroupFamily };
    }
    // A failed check rejects this promise and nothing else: Pulumi reports an unhandled
    // ResourceError once, as one `error:` line, and fails the run. Nothing consumes the lookup,
    // so no resource input carries (and repeats) the failure.
    void rds.getEngineVersion({ engine: "aurora-postgresql", version }, { parent }).catch((error: unknown) => {
        throw new pulumi.ResourceError(
            `invalid arguments for Database ${componentName}:\n  - \`engineVersion\` must be an Aurora PostgreSQL version AWS offers in this region; got ${JSON.stringify(version)} (${firstLine(error)}).`,
            parent,
        );
    });
    return { version: pulumi.output(version), parameterGroupFamily: pulumi.output(family) };
}

function firstLine(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error);
    return text.split("\n")[0];
}
