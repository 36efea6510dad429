import { auroraInstanceClass, engineVersionOf, fargateSizeProblem, problem } from "../components";
import type { AppConfig, StackConfig } from "./configSchema";
import { PROJECT } from "./project";

/**
 * Stack config rules that span several keys, each listed with the keys it reads, so that
 * config.ts runs a rule only when those keys are individually valid. Each message names every
 * key involved.
 */
type Key = keyof AppConfig;
export type CrossRule = readonly [readonly (Key | "region")[], (c: StackConfig) => string | undefined];

const k = (key: Key) => `${PROJECT}:${key}`;

/** Rules that span several keys, each with the keys it reads. Each message names every key involved. */
export const CROSS_KEY_RULES: readonly CrossRule[] = [
    [
        ["apiCpu", "apiMemoryMiB"],
        (c) => fargateSizeProblem(c.apiCpu, c.apiMemoryMiB, { cpu: k("apiCpu"), memoryMiB: k("apiMemoryMiB") }),
    ],
    [
        ["apiMinCount", "apiMaxCount"],
        (c) =>
            c.apiMinCount > c.apiMaxCount
                ? `\`${k("apiMinCount")}\` (${c.apiMinCount}) must not exceed \`${k("apiMaxCount")}\` (${c.apiMaxCount}).`
                : undefined,
    ],
    [
        ["apiDesiredCount", "apiMinCount", "apiMaxCount"],
        (c) =>
            c.apiMinCount <= c.apiMaxCount && (c.apiDesiredCount < c.apiMinCount || c.apiDesiredCount > c.apiMaxCount)
                ? `\`${k("apiDesiredCount")}\` must be from \`${k("apiMinCount")}\` (${c.apiMinCount}) to \`${k("apiMaxCount")}\` (${c.apiMaxCount}); got ${c.apiDesiredCount}.`
                : undefined,
    ],
    // The Database component's own pairing rules, run here so they fail before anything is declared.
    [
        ["dbEngineMajorVersion", "dbInstanceClass"],
        (c) => {
            const rule = auroraInstanceClass(c.dbEngineMajorVersion)(c.dbInstanceClass);
            return rule && problem(k("dbInstanceClass"), rule, c.dbInstanceClass);
        },
    ],
    [
        ["dbEngineMajorVersion", "dbEngineVersion"],
        (c) => {
            const rule =
                c.dbEngineVersion === undefined
                    ? undefined
                    : engineVersionOf(c.dbEngineMajorVersion, k("dbEngineMajorVersion"))(c.dbEngineVersion);
            return rule && problem(k("dbEngineVersion"), rule, c.dbEngineVersion);
        },
    ],
    [
        ["apiRequestTimeoutSeconds", "apiIdleTimeoutSeconds"],
        // The API may compute a response without sending a byte; the load balancer cuts it at the idle timeout.
        (c) =>
            c.apiRequestTimeoutSeconds !== undefined && c.apiRequestTimeoutSeconds > c.apiIdleTimeoutSeconds
                ? `\`${k("apiRequestTimeoutSeconds")}\` must not exceed \`${k("apiIdleTimeoutSeconds")}\` (${c.apiIdleTimeoutSeconds}); got ${c.apiRequestTimeoutSeconds}.`
                : undefined,
    ],
    [
        ["dbServerlessMinAcu", "dbServerlessMaxAcu"],
        (c) =>
            c.dbServerlessMinAcu > c.dbServerlessMaxAcu
                ? `\`${k("dbServerlessMinAcu")}\` (${c.dbServerlessMinAcu}) must not exceed \`${k("dbServerlessMaxAcu")}\` (${c.dbServerlessMaxAcu}).`
                : undefined,
    ],
    [
        ["dbRestoreFromSnapshot", "dbRestoreSourceCluster"],
        (c) =>
            c.dbRestoreFromSnapshot !== undefined && c.dbRestoreSourceCluster !== undefined
                ? `\`${k("dbRestoreFromSnapshot")}\` and \`${k("dbRestoreSourceCluster")}\` are two restore modes; set one, not both.`
                : undefined,
    ],
    [
        ["dbRestoreToTime", "dbRestoreSourceCluster"],
        (c) =>
            c.dbRestoreToTime !== undefined && c.dbRestoreSourceCluster === undefined
                ? `\`${k("dbRestoreToTime")}\` needs \`${k("dbRestoreSourceCluster")}\`, the cluster to restore from.`
                : undefined,
    ],
    [
        ["drRegion", "region"],
        (c) =>
            c.drRegion !== undefined && c.drRegion === c.region
                ? `\`${k("drRegion")}\` must differ from \`aws:region\`; both are ${JSON.stringify(c.region)}.`
                : undefined,
    ],
    [
        ["uploadsReplicationEnabled", "drRegion"],
        (c) =>
            c.uploadsReplicationEnabled && c.drRegion === undefined
                ? `\`${k("uploadsReplicationEnabled")}\` needs \`${k("drRegion")}\`, the region to replicate to.`
                : undefined,
    ],
    [
        ["uploadsTransitionToIaDays", "uploadsTransitionToGlacierDays"],
        (c) =>
            c.uploadsTransitionToGlacierDays <= c.uploadsTransitionToIaDays
                ? `\`${k("uploadsTransitionToGlacierDays")}\` (${c.uploadsTransitionToGlacierDays}) must be later than \`${k("uploadsTransitionToIaDays")}\` (${c.uploadsTransitionToIaDays}).`
                : undefined,
    ],
    [
        ["uploadsTransitionToIaDays", "uploadsTransitionToGlacierDays"],
        // S3 rejects a Glacier transition less than 30 days after the Standard-IA one.
        (c) =>
            c.uploadsTransitionToGlacierDays > c.uploadsTransitionToIaDays &&
            c.uploadsTransitionToGlacierDays < c.uploadsTransitionToIaDays + 30
                ? `\`${k("uploadsTransitionToGlacierDays")}\` (${c.uploadsTransitionToGlacierDays}) must be at least 30 days after \`${k("uploadsTransitionToIaDays")}\` (${c.uploadsTransitionToIaDays}); S3 keeps objects in Standard-IA for 30 days.`
                : undefined,
    ],
    [
        ["domainName", "hostedZoneId"],
        (c) =>
            (c.domainName === undefined) !== (c.hostedZoneId === undefined)
                ? `\`${k("domainName")}\` and \`${k("hostedZoneId")}\` go together; got ${c.domainName === undefined ? "only the hosted zone" : "only the domain"}.`
                : undefined,
    ],
    [
        ["certificateArn", "domainName"],
        (c) =>
            c.certificateArn !== undefined && c.domainName === undefined
                ? `\`${k("certificateArn")}\` needs \`${k("domainName")}\`, the name the certificate covers.`
                : undefined,
    ],
    [
        ["alarmLatencyP95Ms", "alarmLatencyP99Ms"],
        (c) =>
            c.alarmLatencyP99Ms < c.alarmLatencyP95Ms
                ? `\`${k("alarmLatencyP99Ms")}\` (${c.alarmLatencyP99Ms}) must be at least \`${k("alarmLatencyP95Ms")}\` (${c.alarmLatencyP95Ms}).`
                : undefined,
    ],
    // Production safeguards: opt-outs that are allowed in staging only.
    [
        ["environment", "domainName"],
        (c) =>
            c.environment === "production" && c.domainName === undefined
                ? `\`${k("domainName")}\` is required in production: the API is served only over HTTPS there; got nothing.`
                : undefined,
    ],
    [
        ["environment", "alarmEmails"],
        (c) =>
            c.environment === "production" && c.alarmEmails.length === 0
                ? `\`${k("alarmEmails")}\` must list at least one address in production; got [].`
                : undefined,
    ],
    ...(["dbSkipFinalSnapshot", "uploadsForceDestroy", "apiEcsExec"] as const).map((key): CrossRule => [
        ["environment", key],
        (c) =>
            c.environment === "production" && c[key]
                ? `\`${k(key)}\` must be false in production; got true.`
                : undefined,
    ]),
];
