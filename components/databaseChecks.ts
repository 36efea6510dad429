import { Check, matches } from "./validation";

/**
 * Pure rules of the Database component, exported so `config.ts` (and tests) can reuse them.
 * Each returns `undefined` when the value is fine, or the phrase completing "`name` must ...".
 */

export const AURORA_POSTGRES_MAJOR_VERSIONS = ["14", "15", "16", "17"] as const;

/**
 * Instance class families Aurora PostgreSQL offers, and the major versions each supports
 * (from AWS's "Supported DB engines for DB instance classes" table; the burstable db.t3 class
 * is not offered for the newest major). The exact minor/class pairing is AWS's final word at
 * deploy time; this catches what is knowable before it.
 */
export const AURORA_POSTGRES_INSTANCE_CLASSES: readonly {
    readonly family: string;
    readonly pattern: RegExp;
    readonly majors: readonly string[];
}[] = [
    { family: "db.serverless", pattern: /^db\.serverless$/, majors: ["14", "15", "16", "17"] },
    { family: "db.t3.medium", pattern: /^db\.t3\.medium$/, majors: ["14", "15", "16"] },
    { family: "db.t4g.medium/large", pattern: /^db\.t4g\.(medium|large)$/, majors: ["14", "15", "16", "17"] },
    ...["r5", "r6g", "r6i", "r6gd", "r7g", "r7i", "r8g", "x2g"].map((family) => ({
        family: `db.${family}`,
        pattern: new RegExp(`^db\\.${family}\\.(large|xlarge|\\d{1,2}xlarge)$`),
        majors: ["14", "15", "16", "17"],
    })),
];

/** Checks that `instanceClass` is a class Aurora PostgreSQL `major` runs on. */
export function auroraInstanceClass(major: string): Check<string> {
    return (value) => {
        const entry = AURORA_POSTGRES_INSTANCE_CLASSES.find((c) => c.pattern.test(value));
        if (entry?.majors.includes(major)) return undefined;
        const offered = AURORA_POSTGRES_INSTANCE_CLASSES.filter((c) => c.majors.includes(major)).map((c) => c.family);
        return `be an instance class Aurora PostgreSQL ${major} supports (${offered.join(", ")}; sizes large to 48xlarge)`;
    };
}

/** Serverless v2 capacity: a multiple of 0.5 ACU in `[min, 256]`. */
export function acu(min: number): Check<number> {
    return (value) =>
        Number.isFinite(value) && value >= min && value <= 256 && Number.isInteger(value * 2)
            ? undefined
            : `be from ${min} to 256 ACUs in steps of 0.5`;
}

/** A pinned engine version of the configured major, e.g. "16.4". */
export function engineVersionOf(major: string): Check<string> {
    return matches(
        new RegExp(`^${major}\\.\\d{1,2}$`),
        `a ${major}.x version such as "${major}.4" (the major is \`engineMajorVersion\` ${major})`,
    );
}

export const dbIdentifier: Check<string> = matches(
    /^[a-z][a-z0-9_]{0,62}$/,
    "a lowercase identifier: a letter, then letters, digits or _",
);
export const dailyWindow: Check<string> = matches(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'a UTC window "hh:mm-hh:mm"');
export const weeklyWindow: Check<string> = matches(
    /^(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}-(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}$/,
    'a UTC window "ddd:hh:mm-ddd:hh:mm"',
);
export const snapshotIdentifier: Check<string> = matches(
    /^(arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:cluster-snapshot:)?[A-Za-z][A-Za-z0-9-:]{0,254}$/,
    "a DB cluster snapshot identifier or ARN",
);
export const clusterIdentifier: Check<string> = matches(
    /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/,
    "a DB cluster identifier: a lowercase letter, then letters, digits or single hyphens, at most 63",
);
export const restoreTime: Check<string> = matches(
    /^(latest|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)$/,
    '"latest" or a UTC time such as "2026-11-20T08:30:00Z"',
);
/** Keys of `allowedSecurityGroupIds` and names given to `allowFrom`: they end up in resource names. */
export const ruleName: Check<string> = matches(/^[a-z][a-z0-9-]{0,30}$/, 'a short lowercase name such as "api"');

export const CLOUDWATCH_LOG_EXPORTS = ["postgresql", "iam-db-auth-error"] as const;
export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;
