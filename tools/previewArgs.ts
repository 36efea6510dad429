import { existsSync, statSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, parseStackConfig } from "../config";
import {
    applyOverrides,
    knownStacks,
    readProjectFile,
    readStackConfig,
    REPO_ROOT,
    StackFileError,
} from "./sim/stackFiles";

/** What the offline preview does for one stack. */
export interface StackPlan {
    stack: string;
    /** `key=value` config overrides (`--set`). */
    overrides: readonly string[];
    /** Where to write this stack's `--json` document and `--diagram`, if asked. */
    json?: string;
    diagram?: string;
}

export interface PreviewPlan {
    stacks: StackPlan[];
    quiet: boolean;
}

/** Either a plan, or the problems with the input (one `error:` line each, exit 2). */
export type PlanResult = { plan: PreviewPlan } | { problems: string[]; usage?: boolean } | { help: true };

export const usage = (root = REPO_ROOT) =>
    `usage: npm run preview:offline -- (--stack <${knownStacks(root).join("|")}>... | --all) ` +
    "[--json FILE|DIR|PATTERN] [--diagram FILE|DIR|PATTERN] [--set key=value]... [--quiet]";

/** The flags (each documented in the README's offline-preview table; a test checks). */
export const PREVIEW_FLAGS = {
    stack: { type: "string", multiple: true },
    all: { type: "boolean" },
    json: { type: "string" },
    diagram: { type: "string" },
    set: { type: "string", multiple: true },
    quiet: { type: "boolean" },
} as const;

const STACK_PLACEHOLDER = "{stack}";

/**
 * Where one stack's file goes. One stack: the path as given (a `{stack}` in it is filled in). Several
 * stacks: a `{stack}` pattern, or a directory that gets `<stack>.<ext>`.
 */
function outputPath(given: string, stack: string, several: boolean, ext: string): string {
    if (given.includes(STACK_PLACEHOLDER)) return given.split(STACK_PLACEHOLDER).join(stack);
    return several ? path.join(given, `${stack}.${ext}`) : given;
}

function outputProblem(flag: string, given: string | undefined, several: boolean, ext: string): string | undefined {
    if (!given || !several || given.includes(STACK_PLACEHOLDER)) return undefined;
    const isFile = existsSync(given) ? !statSync(given).isDirectory() : given.endsWith(`.${ext}`);
    return isFile
        ? `--${flag} with several stacks takes a directory or a pattern with ${STACK_PLACEHOLDER} (one file per stack); got ${JSON.stringify(given)}.`
        : undefined;
}

/** Problems with one stack's files and config (with the overrides), found before anything runs. */
function stackProblems(stack: string, overrides: readonly string[], root: string): string[] {
    try {
        const project = readProjectFile(root).name;
        parseStackConfig(applyOverrides(readStackConfig(stack, root), overrides, project).values, stack);
        return [];
    } catch (error) {
        if (error instanceof ConfigError) return [...error.problems];
        if (error instanceof StackFileError) return [error.message];
        throw error;
    }
}

/**
 * Reads the command line and checks everything that can be checked before a stack runs: the flags,
 * every stack name, the `--set`s, every stack file and its config. Any problem stops the whole run.
 */
export function planPreview(argv: readonly string[], root = REPO_ROOT): PlanResult {
    let args;
    try {
        args = parseArgs({
            args: [...argv],
            options: { ...PREVIEW_FLAGS, help: { type: "boolean" } },
            strict: true,
            allowPositionals: false,
        }).values;
    } catch (error) {
        return { problems: [(error as Error).message], usage: true };
    }
    if (args.help) return { help: true };
    const named = [...new Set(args.stack ?? [])];
    if (args.all && named.length > 0) return { problems: ["use --stack or --all, not both."], usage: true };
    if (!args.all && named.length === 0) return { problems: ["--stack or --all is required."], usage: true };

    const known = knownStacks(root);
    const stacks = args.all ? known : named;
    const unknown = stacks.filter((stack) => !known.includes(stack));
    if (unknown.length > 0) {
        return {
            problems: unknown.map(
                (stack) =>
                    `unknown stack ${JSON.stringify(stack)}: expected one of ${known.join(", ")} (a Pulumi.<stack>.yaml file).`,
            ),
        };
    }
    const overrides = args.set ?? [];
    const several = stacks.length > 1;
    const problems = overrides.flatMap((override) => {
        try {
            applyOverrides({ values: {}, secretKeys: [] }, [override], "");
            return [];
        } catch (error) {
            return [(error as Error).message];
        }
    });
    for (const [flag, ext] of [
        ["json", "json"],
        ["diagram", "mmd"],
    ] as const) {
        const problem = outputProblem(flag, args[flag], several, ext);
        if (problem) problems.push(problem);
    }
    if (problems.length === 0) {
        for (const stack of stacks) {
            const found = stackProblems(stack, overrides, root);
            problems.push(...found.map((problem) => (several ? `${stack}: ${problem}` : problem)));
        }
    }
    if (problems.length > 0) return { problems };
    return {
        plan: {
            quiet: args.quiet === true,
            stacks: stacks.map((stack) => ({
                stack,
                overrides,
                json: args.json && outputPath(args.json, stack, several, "json"),
                diagram: args.diagram && outputPath(args.diagram, stack, several, "mmd"),
            })),
        },
    };
}
