import { StackValidationPolicy } from "@pulumi/policy";
import { asList, show, whenKnown } from "../common";
import { label } from "../labels";
import { databasesWithParameterGroups } from "../rdsParameterGroups";

/** The parameter that forces TLS, and the values that turn it on, per engine family. */
function tlsParameter(engine: string | undefined): { name: string; values: string[] } | undefined {
    if (engine === undefined) return undefined;
    if (engine.includes("postgres")) return { name: "rds.force_ssl", values: ["1"] };
    if (engine.includes("mysql") || engine.includes("mariadb"))
        return { name: "require_secure_transport", values: ["1", "ON", "on"] };
    return undefined;
}

/**
 * Follows each cluster's `dbClusterParameterGroupName` (and each non-Aurora instance's
 * `parameterGroupName`) to the parameter group in the stack, which must set the engine's
 * force-TLS parameter (`rds.force_ssl` = 1 for PostgreSQL). A default or outside group cannot
 * be shown to force TLS. Unknown names (preview) cannot be judged.
 */
export const rdsDatabaseRequireTls: StackValidationPolicy = {
    name: "rds-database-require-tls",
    description: "RDS and Aurora databases must use a parameter group from the stack that forces TLS connections.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateStack: (args, report) => {
        const databases = databasesWithParameterGroups(args.resources);
        for (const { db, kind, field, groupName, engine, groups } of databases) {
            whenKnown(() => {
                const tls = tlsParameter(engine());
                if (!tls) return;
                const what = label(kind, db.resource.name);
                const required = `a parameter group from this stack that sets ${tls.name} to ${show(tls.values[0])}`;
                const name = groupName();
                const group = name ? groups.get(name) : undefined;
                if (!group) {
                    report(`${what} has ${field} ${show(name)}; it must be ${required}.`, db.resource.urn);
                    return;
                }
                const value = asList(group.props.parameters).find((p) => p.name === tls.name)?.value;
                if (value === undefined || !tls.values.includes(String(value))) {
                    report(
                        `${what} uses parameter group ${show(name)} with ${tls.name} ${show(value)}; it must be ${show(tls.values[0])}.`,
                        db.resource.urn,
                    );
                }
            });
        }
    },
};
