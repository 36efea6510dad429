import { finish, Io, parseCli, processIo, runAsProcess } from "./cliIo";
import { estimate } from "./cost/estimate";
import type { Estimate } from "./cost/model";
import { CostInputError, loadPrices } from "./cost/prices";
import { LoadedUsage, loadUsage } from "./cost/usage";
import { compareRuns, keyOf } from "./diff/compare";
import { CostDelta, DiffReport, renderDiff } from "./diff/render";
import { checkoutRevision, DiffInputError, runTree } from "./diff/revision";
import { knownStacks, readStackConfig, REPO_ROOT, runStack, StackRun } from "./sim";

/**
 * The offline resource diff: runs the program of the working tree and of another commit (or of
 * another stack) against simulated AWS in this one process and lists what is created, deleted,
 * updated or replaced, with each changed input, replacements of stateful resources, what `pulumi up`
 * refuses (protected resources) and the monthly cost difference.
 * Exit status: 0 ok, 2 bad input (stack, ref, config, usage file, arguments).
 */
const USAGE = `usage: npm run diff -- --stack <${knownStacks().join("|")}> (--base <git ref> | --against <stack>) [--json FILE] [--usage FILE]`;

function costOf(run: StackRun, usage: LoadedUsage): Estimate {
    return estimate(run, loadPrices(), usage, readStackConfig(run.stack).values["aws:region"] ?? "us-east-1");
}

function costDelta(before: Estimate, after: Estimate): DiffReport["cost"] {
    const monthly = (e: Estimate) => new Map(e.resources.map((r) => [keyOf(r.urn), r]));
    const a = monthly(before);
    const b = monthly(after);
    const perResource: CostDelta[] = [];
    for (const key of new Set([...a.keys(), ...b.keys()])) {
        const x = a.get(key);
        const y = b.get(key);
        const beforeUsd = x ? x.fixedUsd + x.usageUsd : 0;
        const afterUsd = y ? y.fixedUsd + y.usageUsd : 0;
        if (Math.abs(afterUsd - beforeUsd) >= 0.005)
            perResource.push({
                key,
                type: (y ?? x)!.type,
                name: (y ?? x)!.name,
                beforeUsd,
                afterUsd,
                deltaUsd: afterUsd - beforeUsd,
            });
    }
    perResource.sort((p, q) => Math.abs(q.deltaUsd) - Math.abs(p.deltaUsd));
    return {
        beforeUsd: before.totalUsd,
        afterUsd: after.totalUsd,
        deltaUsd: Math.round((after.totalUsd - before.totalUsd) * 100) / 100,
        perResource,
    };
}

export interface DiffOptions {
    base?: string;
    against?: string;
    usage?: string;
    /** Config overrides of the working tree's run (tests of what a change does). */
    overrides?: readonly string[];
}

/** Builds the diff report; throws DiffInputError, CostInputError or config errors on bad input. */
export async function diffStack(stack: string, options: DiffOptions): Promise<DiffReport> {
    // Bad input fails here, before any git work or run: unknown stacks, an unreadable usage file.
    readStackConfig(stack);
    const usage = loadUsage(stack, options.usage);
    loadPrices();
    if (options.against !== undefined) {
        readStackConfig(options.against);
        const other = await runStack(options.against);
        const mine = await runStack(stack, { overrides: options.overrides ?? [] });
        return {
            project: mine.project,
            stack,
            against: { stack: options.against },
            resources: compareRuns(other, mine, { propagate: false, stackNames: true }),
            cost: costDelta(costOf(other, loadUsage(options.against)), costOf(mine, usage)),
        };
    }
    const revision = checkoutRevision(options.base!, REPO_ROOT);
    try {
        const before = await runTree(revision.root, stack);
        const after = await runStack(stack, { overrides: options.overrides ?? [] });
        return {
            project: after.project,
            stack,
            against: { ref: revision.ref, sha: revision.sha },
            resources: compareRuns(before, after),
            // The same usage assumptions on both sides: the difference is the infrastructure's.
            cost: costDelta(costOf(before, usage), costOf(after, usage)),
        };
    } finally {
        revision.dispose();
    }
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
    const args = parseCli(
        argv,
        {
            stack: { type: "string" },
            base: { type: "string" },
            against: { type: "string" },
            json: { type: "string" },
            usage: { type: "string" },
        },
        USAGE,
        io,
    );
    if (typeof args === "number") return args;
    const problem = !args.stack
        ? "--stack is required."
        : (args.base === undefined) === (args.against === undefined)
          ? "give exactly one of --base <git ref> and --against <stack>."
          : undefined;
    if (problem) {
        io.err(`error: ${problem}`);
        io.err(USAGE);
        return 2;
    }
    return finish(
        io,
        () => diffStack(args.stack!, { base: args.base, against: args.against, usage: args.usage }),
        [DiffInputError, CostInputError],
        renderDiff,
        args.json,
    );
}

if (require.main === module) runAsProcess(main);
