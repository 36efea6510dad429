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
        return (error as Error).message.split("\n").map((line) => line.replace(/^\s*-\s*/, ""));
    }
    return undefined;
}
