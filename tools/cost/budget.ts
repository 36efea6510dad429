import type { StackRun } from "../sim/runStack";
import { readStackConfig, REPO_ROOT } from "../sim/stackFiles";
import { estimate } from "./estimate";
import { loadPrices } from "./prices";
import { usd } from "./render";
import { loadUsage } from "./usage";

/**
 * The offline preview's budget check: the stack's estimate with its usage file (cost/usage/<stack>.json,
 * defaults where it has none) against the budget the program declares (`limitAmount` of its
 * aws:budgets/budget, i.e. `monthlyBudgetUsd`). Returns the warning line, or undefined when within.
 */
export function budgetWarning(run: StackRun, root = REPO_ROOT): string | undefined {
    const budget = run.resources.find((r) => r.type === "aws:budgets/budget:Budget");
    const limit = Number(budget?.inputs.limitAmount);
    if (!budget || !Number.isFinite(limit)) return undefined;
    const loaded = loadUsage(run.stack);
    const e = estimate(run, loadPrices(), loaded, readStackConfig(run.stack, root).values["aws:region"] ?? "us-east-1");
    if (e.totalUsd <= limit) return undefined;
    const usage = loaded.file ? `cost/usage/${run.stack}.json` : "default usage";
    return `warning: the estimated monthly cost of ${run.stack}, ${usd(e.totalUsd)} (${usage}; npm run cost -- --stack ${run.stack}), is over its monthlyBudgetUsd of ${usd(limit)}.`;
}
