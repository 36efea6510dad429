import { knownStacks, readStackConfig, runStack } from "./sim";
import { estimate } from "./cost/estimate";
import type { Estimate } from "./cost/model";
import { CostInputError, loadPrices } from "./cost/prices";
import { renderEstimate } from "./cost/render";
import { loadUsage } from "./cost/usage";
import { finish, Io, parseCli, processIo, runAsProcess } from "./cliIo";

/**
 * The offline cost estimate: runs the real program for a stack against simulated AWS and prices
 * what it declares (cost/prices.json) with the stack's usage assumptions (cost/usage/<stack>.json).
 * Exit status: 0 ok, 2 bad input (stack, config, usage file, arguments).
 */
const USAGE = `usage: npm run cost -- --stack <${knownStacks().join("|")}> [--json FILE] [--usage FILE] [--set key=value]...`;

export interface EstimateOptions {
    overrides?: readonly string[];
    usage?: string;
}

/** Runs the stack and prices it; throws CostInputError / config errors on bad input. */
export async function estimateStack(stack: string, options: EstimateOptions = {}): Promise<Estimate> {
    const loaded = loadUsage(stack, options.usage);
    const table = loadPrices();
    const run = await runStack(stack, { overrides: options.overrides ?? [] });
    return estimate(run, table, loaded, readStackConfig(stack).values["aws:region"] ?? "us-east-1");
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
    const args = parseCli(
        argv,
        {
            stack: { type: "string" },
            json: { type: "string" },
            usage: { type: "string" },
            set: { type: "string", multiple: true },
        },
        USAGE,
        io,
    );
    if (typeof args === "number") return args;
    if (!args.stack) {
        io.err("error: --stack is required.");
        io.err(USAGE);
        return 2;
    }
    return finish(
        io,
        () => estimateStack(args.stack!, { overrides: args.set ?? [], usage: args.usage }),
        [CostInputError],
        renderEstimate,
        args.json,
    );
}

if (require.main === module) runAsProcess(main);
