/**
 * `npm run policy:check -- --resources FILE [--config policy/config/<stack>.json]`
 *
 * Evaluates the CrossGuard pack over a saved resource list: the offline preview's `--json`
 * file or the output of `pulumi stack export`, so a deployed stack can be audited offline with
 * the same pack. Prints the violations grouped by policy. Exit codes: 0 clean (advisory
 * violations allowed), 1 on a mandatory violation, 2 on bad arguments or unreadable input.
 */
import {
    evaluatePolicies,
    formatReport,
    hasMandatoryViolation,
    loadPolicyConfig,
    PolicyConfigError,
    PolicyPackConfigFile,
} from "../policy/evaluator";
import { readResourceFile, ResourceFileError } from "../policy/resources";

const USAGE = "usage: npm run policy:check -- --resources FILE [--config POLICY_CONFIG.json]";

export interface CheckArgs {
    resources: string;
    config?: string;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): CheckArgs {
    const values: Partial<Record<"resources" | "config", string>> = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
        if (flag !== "--resources" && flag !== "--config")
            throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
        const value = inline ?? argv[++i];
        if (value === undefined || value === "" || value.startsWith("--"))
            throw new UsageError(`${flag} needs a file path`);
        const key = flag.slice(2) as "resources" | "config";
        if (values[key] !== undefined) throw new UsageError(`${flag} given twice`);
        values[key] = value;
    }
    if (values.resources === undefined) throw new UsageError("--resources FILE is required");
    return { resources: values.resources, config: values.config };
}

export interface Io {
    out(line: string): void;
    err(line: string): void;
}

const consoleIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Runs the check; returns the exit code. */
export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
    let config: PolicyPackConfigFile = {};
    let resources;
    try {
        const args = parseArgs(argv);
        if (args.config !== undefined) config = loadPolicyConfig(args.config);
        resources = readResourceFile(args.resources);
    } catch (e) {
        if (e instanceof UsageError) {
            io.err(`policy:check: ${e.message}.`);
            io.err(USAGE);
            return 2;
        }
        if (e instanceof ResourceFileError || e instanceof PolicyConfigError) {
            io.err(`policy:check: ${e.message}`);
            return 2;
        }
        throw e;
    }
    try {
        const report = await evaluatePolicies(resources, { config });
        io.out(formatReport(report));
        return hasMandatoryViolation(report) ? 1 : 0;
    } catch (e) {
        if (e instanceof PolicyConfigError) {
            io.err(`policy:check: ${e.message}`);
            return 2;
        }
        throw e;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (e: unknown) => {
            console.error(`policy:check: ${e instanceof Error ? e.message : String(e)}`);
            process.exitCode = 2;
        },
    );
}
