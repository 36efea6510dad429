import { StackValidationPolicy } from "@pulumi/policy";
import { asList, show, whenKnown } from "../common";
import { label } from "../labels";
import { databasesWithParameterGroups } from "../rdsParameterGroups";

/** Logging flags a PostgreSQL parameter group must turn on (Checkov CKV2_AWS_27 and PostgreSQL's own names). */
const FLAGS = ["log_connections", "log_disconnections", "log_lock_waits"] as const;
const ON = ["1", "on", "true"];

/**
 * Follows each PostgreSQL cluster's `dbClusterParameterGroupName` (and each non-Aurora PostgreSQL
 * instance's `parameterGroupName`) to its parameter group in the stack, which must log
 * connections, disconnections and lock waits, and statements slower than
 * `maxMinDurationStatementMs` (`log_min_duration_statement` from 0 to that value; -1, off, fails).
 * Other engines are not judged; unknown names (preview) cannot be.
 */
export const rdsDatabaseConfigureQueryLogging: StackValidationPolicy = {
    name: "rds-database-configure-query-logging",
    description:
        "PostgreSQL databases must use a parameter group from the stack that logs slow statements, connections, disconnections and lock waits.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxMinDurationStatementMs: {
                type: "integer",
                minimum: 0,
                default: 5000,
                description:
                    "Highest log_min_duration_statement (ms) allowed; statements slower than it must be logged.",
            },
        },
    },
    validateStack: (args, report) => {
        const { maxMinDurationStatementMs } = args.getConfig<{ maxMinDurationStatementMs: number }>();
        const databases = databasesWithParameterGroups(args.resources);
        for (const { db, kind, field, groupName, engine, groups } of databases) {
            whenKnown(() => {
                if (!engine()?.includes("postgres")) return;
                const what = label(kind, db.resource.name);
                const name = groupName();
                const group = name ? groups.get(name) : undefined;
                if (!group) {
                    report(
                        `${what} has ${field} ${show(name)}; it must be a parameter group from this stack that logs slow statements, connections, disconnections and lock waits.`,
                        db.resource.urn,
                    );
                    return;
                }
                const value = (parameter: string) =>
                    asList(group.props.parameters).find((p) => p.name === parameter)?.value;
                const problems: string[] = [];
                const duration = value("log_min_duration_statement");
                const ms = Number(duration);
                if (duration === undefined || !Number.isInteger(ms) || ms < 0 || ms > maxMinDurationStatementMs) {
                    problems.push(
                        `log_min_duration_statement ${show(duration)} (it must be from 0 to ${maxMinDurationStatementMs})`,
                    );
                }
                for (const flag of FLAGS) {
                    const v = value(flag);
                    if (v === undefined || !ON.includes(String(v).toLowerCase()))
                        problems.push(`${flag} ${show(v)} (it must be "1")`);
                }
                if (problems.length > 0) {
                    report(`${what} uses parameter group ${show(name)} with ${problems.join(", ")}.`, db.resource.urn);
                }
            });
        }
    },
};
