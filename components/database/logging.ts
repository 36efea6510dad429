import type * as input from "@pulumi/aws/types/input";

/** The PostgreSQL logging settings the cluster parameter group carries. */
export interface LoggingSettings {
    readonly logMinDurationStatementMs: number;
    readonly logConnections: boolean;
    readonly logDisconnections: boolean;
    readonly logLockWaits: boolean;
}

/**
 * The names of the logging parameters, in the order the parameter group lists them. These are
 * dynamic parameters in Aurora PostgreSQL, applied without a reboot; their lines go to the
 * `postgresql` log that the cluster exports to CloudWatch (Checkov CKV2_AWS_27 asks for them).
 */
export const LOGGING_PARAMETERS = [
    "log_min_duration_statement",
    "log_connections",
    "log_disconnections",
    "log_lock_waits",
] as const;

const flag = (on: boolean) => (on ? "1" : "0");

/** The parameter group entries for `settings`. */
export function loggingParameters(settings: LoggingSettings): input.rds.ClusterParameterGroupParameter[] {
    return [
        {
            name: "log_min_duration_statement",
            value: String(settings.logMinDurationStatementMs),
            applyMethod: "immediate",
        },
        { name: "log_connections", value: flag(settings.logConnections), applyMethod: "immediate" },
        { name: "log_disconnections", value: flag(settings.logDisconnections), applyMethod: "immediate" },
        { name: "log_lock_waits", value: flag(settings.logLockWaits), applyMethod: "immediate" },
    ];
}
