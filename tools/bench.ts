import "./sim/sdkHooks"; // first: before anything loads the Pulumi SDK
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { knownStacks, REPO_ROOT, runStack } from "./sim";
import { checkPolicies } from "./preview-offline";
import { benchCostAndDiff, npmScriptNodeArgs } from "./diff/bench";
import { bundle, toolEntry } from "./launch";

/**
 * Benchmarks the offline preview, policy pack included. Not a test: figures depend on the machine.
 * - fresh process: the command `npm run preview:offline` and `npm test` run (package.json), for staging + production and for every stack (wall and CPU time, peak RSS), and
 *   the time to bundle the tool again after a source changes;
 * - in-process, after a warm-up: what the test suite pays per stack run, and per resource.
 * Usage: npm run bench [-- --runs N]
 */
const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;

// Preloaded into the child (--require; --import would load the entry point as ESM): reports its peak RSS
// (KiB) and CPU time (µs) on fd 3 at exit. CPU time is the steadier figure on a shared machine.
const USAGE_PROBE = path.join(mkdtempSync(path.join(tmpdir(), "bench-")), "usage-probe.cjs");
writeFileSync(
    USAGE_PROBE,
    'process.on("exit", () => { const u = process.resourceUsage(); require("node:fs").writeSync(3, ' +
        "JSON.stringify({ rssKiB: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime })); });\n",
);

interface Figures {
    ms: number;
    cpuMs: number;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One fresh process of what `npm run preview:offline` runs, without npm's own start-up. */
function freshProcess(previewArgs: readonly string[]): Figures & { peakMiB: number } {
    const start = performance.now();
    const result = spawnSync(
        process.execPath,
        ["--require", USAGE_PROBE, ...npmScriptNodeArgs("preview:offline"), ...previewArgs],
        {
            cwd: REPO_ROOT,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe", "pipe"],
        },
    );
    const ms = performance.now() - start;
    if (result.status !== 0) throw new Error(`the offline preview exited ${result.status}: ${result.stderr}`);
    const usage = JSON.parse(result.output[3] ?? "") as { rssKiB: number; cpuUs: number };
    return { ms, cpuMs: usage.cpuUs / 1000, peakMiB: usage.rssKiB / 1024 };
}

async function inProcess(stack: string): Promise<Figures & { resources: number }> {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const run = await runStack(stack);
    await checkPolicies(run);
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, resources: run.resources.length };
}

const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;

async function main(): Promise<void> {
    if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer; got ${RUNS}`);
    const stacks = knownStacks();
    process.stdout.write(`offline preview, policy pack included, median of ${RUNS} runs:\n`);
    freshProcess(["--all", "--quiet"]); // builds the bundle if a source changed since the last run
    const runs: [string, string[]][] = [
        ["staging + production", ["--stack", "staging", "--stack", "production", "--quiet"]],
        [`all stacks (${stacks.length})`, ["--all", "--quiet"]],
    ];
    for (const [label, previewArgs] of runs) {
        const fresh = Array.from({ length: RUNS }, () => freshProcess(previewArgs));
        process.stdout.write(
            `  fresh process, ${label.padEnd(22)} ${fmt(median(fresh.map((f) => f.ms)))} (CPU ${fmt(median(fresh.map((f) => f.cpuMs)))})` +
                `   peak RSS ${Math.max(...fresh.map((f) => f.peakMiB)).toFixed(0)} MiB\n`,
        );
    }
    const builds = Array.from({ length: RUNS }, () => {
        const start = performance.now();
        bundle(REPO_ROOT, "preview-offline", toolEntry("preview-offline"));
        return performance.now() - start;
    });
    process.stdout.write(`  bundle build after a source change ${fmt(median(builds))} (added to the next run)\n`);
    for (const stack of stacks) {
        await inProcess(stack); // warm-up: module loading
        const warm: (Figures & { resources: number })[] = [];
        for (let i = 0; i < RUNS; i++) warm.push(await inProcess(stack));
        const ms = median(warm.map((w) => w.ms));
        const cpuMs = median(warm.map((w) => w.cpuMs));
        process.stdout.write(
            `  in-process, ${stack.padEnd(14)} ${fmt(ms)} (CPU ${fmt(cpuMs)})` +
                `   ${warm[0].resources} resources, ${(cpuMs / warm[0].resources).toFixed(1)} ms CPU per resource\n`,
        );
    }
    await benchCostAndDiff(RUNS, (line) => process.stdout.write(`${line}\n`));
}

main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
});
