import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { estimate } from "../cost/estimate";
import { loadPrices } from "../cost/prices";
import { loadUsage } from "../cost/usage";
import { REPO_ROOT, runStack } from "../sim";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The node arguments of an npm script that starts node (package.json), to run it without npm's own start-up. */
export function npmScriptNodeArgs(script: string): string[] {
    const scripts = (
        JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
    ).scripts;
    const [node, ...args] = (scripts[script] ?? "").split(" ");
    if (node !== "node") throw new Error(`bench: expected the ${script} script to start node; got ${scripts[script]}`);
    return args;
}

/** Wall time of one fresh process of `npm run <script> -- <args>`. */
function timeProcess(script: string, args: string[]): number {
    const start = performance.now();
    const result = spawnSync(process.execPath, [...npmScriptNodeArgs(script), ...args], {
        cwd: REPO_ROOT,
        encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`${script} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    return performance.now() - start;
}

/**
 * What the cost estimate adds to an offline preview (in-process, budget 1 s) and what a diff of one
 * stack against HEAD takes next to one offline preview, both as fresh processes (budget 2x).
 */
export async function benchCostAndDiff(runs: number, write: (line: string) => void): Promise<void> {
    write(`cost estimate and diff, median of ${runs} runs:`);
    for (const stack of ["staging", "production"]) {
        const run = await runStack(stack);
        const times = Array.from({ length: runs }, () => {
            const start = performance.now();
            estimate(run, loadPrices(), loadUsage(stack), "us-east-1");
            return performance.now() - start;
        });
        const preview = median(
            Array.from({ length: runs }, () => timeProcess("preview:offline", ["--stack", stack, "--quiet"])),
        );
        const diff = median(
            Array.from({ length: runs }, () => timeProcess("diff", ["--stack", stack, "--base", "HEAD"])),
        );
        write(
            `  ${stack.padEnd(10)}  estimate ${median(times).toFixed(0).padStart(4)} ms   preview ${preview.toFixed(0).padStart(6)} ms` +
                `   diff against HEAD ${diff.toFixed(0).padStart(6)} ms (${(diff / preview).toFixed(2)}x)`,
        );
    }
}
