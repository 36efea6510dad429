import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config";
import { StackFileError } from "./sim/stackFiles";

/** Where a CLI tool writes: stdout lines and stderr text (tests pass their own). */
export interface Io {
    out: (...lines: string[]) => void;
    err: (text: string) => void;
}

export const processIo: Io = {
    out: (...lines) => process.stdout.write(`${lines.join("\n")}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
};

/** Problems caused by the input (stack, config, component args), one line each; undefined for a bug. */
export function inputProblems(error: unknown): string[] | undefined {
    if (error instanceof ConfigError) return [...error.problems];
    if (error instanceof StackFileError) return [error.message];
    if (error instanceof pulumi.ResourceError || (error as Error)?.name === "ResourceError") {
        // A failed input (e.g. the image lookup) can reach us wrapped by the SDK's serialization of a
        // resource that needed it: the wrapping names SDK internals, not the problem.
        return (error as Error).message
            .replace(/^(error serializing property "[^"]*": )+/, "")
            .split("\n")
            .map((line) => line.replace(/^\s*-\s*/, ""));
    }
    return undefined;
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/**
 * Parses `argv` strictly; on a bad flag prints one `error:` line and the usage and returns 2, on
 * `--help` prints the usage and returns 0. A tool's flags plus `help`.
 */
export function parseCli<T extends NonNullable<Options>>(
    argv: readonly string[],
    options: T,
    usage: string,
    io: Io,
): ReturnType<typeof parseArgs<{ options: T & { help: { type: "boolean" } }; strict: true }>>["values"] | number {
    let values;
    try {
        values = parseArgs({
            args: [...argv],
            options: { ...options, help: { type: "boolean" as const } },
            strict: true,
            allowPositionals: false,
        }).values;
    } catch (error) {
        io.err(`error: ${(error as Error).message}`);
        io.err(usage);
        return 2;
    }
    if ((values as { help?: boolean }).help) {
        io.out(usage);
        return 0;
    }
    return values as never;
}

/** Runs a tool's main as the process: its exit status, or 1 with the stack on an internal error. */
export function runAsProcess(main: (argv: readonly string[]) => Promise<number>): void {
    // The SDK formats a stack trace for every resource it registers (its source position, which no
    // engine reads here); mapping each through source maps costs about 0.5 s of CPU per stack run.
    // Only an internal error's trace needs them: run with --enable-source-maps for that.
    if (!process.execArgv.includes("--enable-source-maps")) process.setSourceMapsEnabled(false);
    // exitCode, not process.exit(): pending writes (stdout to a pipe, tsx's compile cache) finish first.
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`internal error: ${(error as Error)?.stack ?? String(error)}\n`);
            process.exitCode = 1;
        },
    );
}

/**
 * A tool's ending: on bad input (`inputErrors` are the tool's own input error classes, or what
 * `inputProblems` knows) one `error:` line per problem and 2; anything else is a bug and is thrown.
 * Otherwise prints the text, writes `--json` and returns 0.
 */
export async function finish<T>(
    io: Io,
    work: () => Promise<T>,
    inputErrors: readonly (abstract new (...args: never[]) => Error)[],
    render: (result: T) => string,
    json: string | undefined,
): Promise<number> {
    let result: T;
    try {
        result = await work();
    } catch (error) {
        const problems = inputErrors.some((kind) => error instanceof kind)
            ? [(error as Error).message]
            : inputProblems(error);
        if (!problems) throw error;
        for (const line of problems) io.err(`error: ${line}`);
        return 2;
    }
    io.out(render(result));
    if (json) {
        writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
        io.out(`wrote ${json}`);
    }
    return 0;
}
