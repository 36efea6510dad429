import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { REPO_ROOT, runStack } from "./sim";
import { checkPolicies } from "./preview-offline";
import { benchCostAndDiff } from "./diff/bench";

/**
 * Prints the median time of the offline preview per stack, policy evaluation included: as a
 * fresh process (what a developer waits for; budget 5 s) and in-process after a warm-up
 * (what the test suite pays per run). Usage: npm run bench [-- --runs N]
 */
const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;
const STACKS = ["staging", "production"];

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeProcess(stack: string): number {
    const start = performance.now();
    const result = spawnSync(
        process.execPath,
        ["--import", "tsx", path.join(REPO_ROOT, "tools", "preview-offline.ts"), "--stack", stack, "--quiet"],
        { cwd: REPO_ROOT, encoding: "utf8" },
    );
    const elapsed = performance.now() - start;
    if (result.status !== 0) throw new Error(`preview of ${stack} exited ${result.status}: ${result.stderr}`);
    return elapsed;
}

async function timeInProcess(stack: string): Promise<number> {
    const start = performance.now();
    await checkPolicies(await runStack(stack));
    return performance.now() - start;
}

async function main(): Promise<void> {
    if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer; got ${RUNS}`);
    process.stdout.write(`offline preview + policy pack, median of ${RUNS} runs:\n`);
    for (const stack of STACKS) {
        const cold = Array.from({ length: RUNS }, () => timeProcess(stack));
        await timeInProcess(stack); // warm-up: module loading
        const warm: number[] = [];
        for (let i = 0; i < RUNS; i++) warm.push(await timeInProcess(stack));
        process.stdout.write(
            `  ${stack.padEnd(10)}  fresh process ${median(cold).toFixed(0).padStart(6)} ms` +
                `   in-process ${median(warm).toFixed(0).padStart(5)} ms\n`,
        );
    }
    await benchCostAndDiff(RUNS, (line) => process.stdout.write(`${line}\n`));
}

main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
});
