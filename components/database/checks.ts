import { Check, matches, Range } from "../shared/validation";

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

/** Serverless v2 capacity: a multiple of 0.5 ACU in `range`. */
export function acu(range: Range): Check<number> {
    const rule = `be a multiple of 0.5 from ${range.min} to ${range.max} (ACUs)`;
    return Object.assign(
        (value: number) =>
            Number.isFinite(value) && value >= range.min && value <= range.max && Number.isInteger(value * 2)
                ? undefined
                : rule,
        { rule },
    );
}

/** Any instance class Aurora PostgreSQL offers, whatever the major (the major's own check is `auroraInstanceClass`). */
export const anyAuroraInstanceClass: Check<string> = matches(
    new RegExp(AURORA_POSTGRES_INSTANCE_CLASSES.map((c) => c.pattern.source).join("|")),
    `an instance class Aurora PostgreSQL supports: ${AURORA_POSTGRES_INSTANCE_CLASSES.map((c) => c.family).join(", ")} (sizes large to 48xlarge)`,
);

/** A pinned engine version of the configured major, e.g. "16.4". */
export function engineVersionOf(major: string, majorField = "engineMajorVersion"): Check<string> {
    return matches(
        new RegExp(`^${major}\\.\\d{1,2}$`),
        `a ${major}.x version such as "${major}.4" (the major is \`${majorField}\` ${major})`,
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

/**
 * The first minor of each major that runs Serverless v2 (`db.serverless`), and the first that
 * scales to 0 ACUs (auto-pause), from AWS's Aurora PostgreSQL release notes. Only a pinned
 * `engineVersion` can be older than these: the newest minor of a supported major never is.
 */
export const SERVERLESS_V2_FIRST_MINOR: Readonly<Record<string, number>> = { "14": 3, "15": 2, "16": 1, "17": 0 };
export const ZERO_ACU_FIRST_MINOR: Readonly<Record<string, number>> = { "14": 12, "15": 7, "16": 3, "17": 0 };

/**
 * Problems with a pinned `engineVersion` that `db.serverless` (and a minimum of 0 ACUs) cannot
 * run on; none without a pin, for a provisioned class, or for a version `engineVersionOf`
 * already rejects.
 */
export function serverlessPairProblems(
    engineMajorVersion: string,
    engineVersion: string | undefined,
    instanceClass: string,
    minAcu: number,
): string[] {
    const match = /^(\d+)\.(\d+)$/.exec(engineVersion ?? "");
    if (!match || match[1] !== engineMajorVersion || instanceClass !== "db.serverless") return [];
    const [, major, minorText] = match;
    const minor = Number(minorText);
    const firstServerless = SERVERLESS_V2_FIRST_MINOR[major];
    const firstZero = ZERO_ACU_FIRST_MINOR[major];
    if (firstServerless === undefined || firstZero === undefined) return [];
    if (minor < firstServerless) {
        return [
            `\`engineVersion\` must be ${major}.${firstServerless} or later for \`instanceClass\` db.serverless (Serverless v2); got ${JSON.stringify(engineVersion)}.`,
        ];
    }
    if (minAcu === 0 && minor < firstZero) {
        return [
            `\`serverlessMinAcu\` must be at least 0.5 with \`engineVersion\` ${JSON.stringify(engineVersion)} (0 ACUs needs ${major}.${firstZero} or later); got 0.`,
        ];
    }
    return [];
}
