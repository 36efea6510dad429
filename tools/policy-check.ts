/**
 * `npm run policy:check -- --resources FILE (--stack NAME | --config FILE) [--first-preview]`
 *
 * Evaluates the CrossGuard pack over a saved resource list: the offline preview's `--json`
 * file or the output of `pulumi stack export`, so a deployed stack can be audited offline with
 * the same pack. The policy config is required (`--stack` picks `policy/config/<stack>.json`):
 * the pack's own defaults are nobody's config, and judging a stack by them passes it silently
 * or fails it wrongly. `--first-preview` judges the list as the first `pulumi preview` of a new
 * stack sees it (ids, ARNs and what derives from them unknown). Prints the violations grouped
 * by policy. Exit codes: 0 clean (advisory violations allowed), 1 on a mandatory violation,
 * 2 on bad arguments or unreadable input, one `error:` line per problem.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import {
    evaluatePolicies,
    formatReport,
    hasMandatoryViolation,
    loadPolicyConfig,
    PolicyConfigError,
    PolicyPackConfigFile,
} from "../policy/evaluator";
import { asFirstPreview } from "../policy/firstPreview";
import { EvaluatorResource, readResourceFile, ResourceFileError } from "../policy/resources";

const CONFIG_DIR = path.join(__dirname, "..", "policy", "config");

export const USAGE =
    "usage: npm run policy:check -- --resources FILE (--stack NAME | --config POLICY_CONFIG.json) [--first-preview]";

export interface CheckArgs {
    resources: string;
    /** The policy config file (from `--config`, or `--stack`'s). */
    config: string;
    firstPreview: boolean;
    help: boolean;
}

/** Bad arguments: one message per problem. */
export class UsageError extends Error {
    constructor(readonly problems: string[]) {
        super(problems.join("\n"));
    }
}

const stacksWithConfig = () =>
    readdirSync(CONFIG_DIR)
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.slice(0, -".json".length))
        .sort();

export function parseArgs(argv: readonly string[]): CheckArgs {
    const values: Partial<Record<"resources" | "config" | "stack", string>> = {};
    const problems: string[] = [];
    let firstPreview = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--help" || arg === "-h") return { resources: "", config: "", firstPreview, help: true };
        if (arg === "--first-preview") {
            firstPreview = true;
            continue;
        }
        const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
        if (flag !== "--resources" && flag !== "--config" && flag !== "--stack") {
            problems.push(`unknown argument ${JSON.stringify(arg)}`);
            continue;
        }
        const value = inline ?? argv[++i];
        if (value === undefined || value === "" || value.startsWith("--")) {
            problems.push(`${flag} needs a ${flag === "--stack" ? "stack name" : "file path"}`);
            if (value?.startsWith("--")) i--;
            continue;
        }
        const key = flag.slice(2) as "resources" | "config" | "stack";
        if (values[key] !== undefined) problems.push(`${flag} given twice`);
        values[key] = value;
    }
    if (values.resources === undefined && !problems.some((p) => p.startsWith("--resources")))
        problems.push("--resources FILE is required");
    let config = values.config;
    if (values.config !== undefined && values.stack !== undefined) {
        problems.push("give --stack or --config, not both");
    } else if (values.stack !== undefined) {
        const known = stacksWithConfig();
        if (!known.includes(values.stack))
            problems.push(
                `--stack ${JSON.stringify(values.stack)} has no policy config; stacks with one: ${known.join(", ")}`,
            );
        config = path.join(CONFIG_DIR, `${values.stack}.json`);
    } else if (config === undefined && !problems.some((p) => p.startsWith("--config") || p.startsWith("--stack"))) {
        problems.push("--stack NAME or --config FILE is required: the pack's defaults are no stack's policy config");
    }
    if (problems.length > 0) throw new UsageError(problems);
    return { resources: values.resources as string, config: config as string, firstPreview, help: false };
}

export interface Io {
    out(line: string): void;
    err(line: string): void;
}

const consoleIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Runs the check; returns the exit code. */
export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
    let args: CheckArgs;
    try {
        args = parseArgs(argv);
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        for (const problem of e.problems) io.err(`error: ${problem}.`);
        io.err(USAGE);
        return 2;
    }
    if (args.help) {
        io.out(USAGE);
        return 0;
    }
    let config: PolicyPackConfigFile = {};
    let resources: EvaluatorResource[] = [];
    const problems: string[] = [];
    try {
        config = loadPolicyConfig(args.config);
    } catch (e) {
        if (!(e instanceof PolicyConfigError)) throw e;
        problems.push(e.message);
    }
    try {
        resources = readResourceFile(args.resources);
    } catch (e) {
        if (!(e instanceof ResourceFileError)) throw e;
        problems.push(e.message);
    }
    if (problems.length > 0) {
        for (const problem of problems) io.err(`error: ${problem}`);
        return 2;
    }
    try {
        const report = await evaluatePolicies(args.firstPreview ? asFirstPreview(resources) : resources, { config });
        io.out(formatReport(report));
        return hasMandatoryViolation(report) ? 1 : 0;
    } catch (e) {
        if (e instanceof PolicyConfigError) {
            io.err(`error: ${e.message}`);
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
            console.error(`error: internal: ${e instanceof Error ? e.message : String(e)}`);
            process.exitCode = 2;
        },
    );
}
