import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config";
import * as path from "node:path";
import { knownStacks, REPO_ROOT, runStack, StackRun } from "./sim";
import { StackFileError } from "./sim/stackFiles";
import { renderReport, toDocument } from "./previewReport";
import { architectureDiagram } from "./diagram";
import {
    evaluatePolicies,
    formatReport,
    hasMandatoryViolation,
    loadPolicyConfig,
    PolicyReport,
} from "../policy/evaluator";
import { fromRecorded } from "../policy/resources";
import { budgetWarning } from "./cost/budget";

/**
 * The offline preview: runs the real program for a stack against simulated AWS and prints
 * what it declares, then evaluates the CrossGuard pack with `policy/config/<stack>.json`.
 * Exit status: 0 ok, 1 a mandatory policy violation, 2 bad input (stack, config, arguments).
 */
const USAGE = `usage: npm run preview:offline -- --stack <${knownStacks().join("|")}> [--json FILE] [--diagram FILE] [--set key=value]... [--quiet]`;

export interface Io {
    out: (...lines: string[]) => void;
    err: (text: string) => void;
}

const processIo: Io = {
    out: (...lines) => process.stdout.write(`${lines.join("\n")}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
};

/** Problems caused by the input (not by this tool): one line each, exit 2. */
function inputProblems(error: unknown): string[] | undefined {
    if (error instanceof ConfigError) return [...error.problems];
    if (error instanceof StackFileError) return [error.message];
    if (error instanceof pulumi.ResourceError || (error as Error)?.name === "ResourceError") {
        return (error as Error).message.split("\n").map((line) => line.replace(/^\s*-\s*/, ""));
    }
    return undefined;
}

export function policyConfigPath(stack: string): string {
    return path.join(REPO_ROOT, "policy", "config", `${stack}.json`);
}

/** Evaluates the CrossGuard pack over the simulated resources, as `pulumi preview --policy-pack` would. */
export async function checkPolicies(run: StackRun): Promise<PolicyReport> {
    return evaluatePolicies(run.resources.map(fromRecorded), {
        config: loadPolicyConfig(policyConfigPath(run.stack)),
    });
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
    let args;
    try {
        args = parseArgs({
            args: [...argv],
            options: {
                stack: { type: "string" },
                json: { type: "string" },
                diagram: { type: "string" },
                set: { type: "string", multiple: true },
                quiet: { type: "boolean" },
                help: { type: "boolean" },
            },
            strict: true,
            allowPositionals: false,
        }).values;
    } catch (error) {
        io.err(`error: ${(error as Error).message}`);
        io.err(USAGE);
        return 2;
    }
    if (args.help) {
        io.out(USAGE);
        return 0;
    }
    if (!args.stack) {
        io.err("error: --stack is required.");
        io.err(USAGE);
        return 2;
    }

    let run: StackRun;
    try {
        run = await runStack(args.stack, { overrides: args.set ?? [] });
    } catch (error) {
        const problems = inputProblems(error);
        if (!problems) throw error;
        for (const line of problems) io.err(`error: ${line}`);
        return 2;
    }

    const report = await checkPolicies(run);
    if (args.json)
        writeFileSync(args.json, `${JSON.stringify({ ...toDocument(run), violations: report.violations }, null, 2)}\n`);
    if (args.diagram) writeFileSync(args.diagram, architectureDiagram(run.resources));
    const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    if (args.quiet) {
        io.out(
            `offline preview of ${run.project}/${run.stack} (simulated AWS): ${run.resources.length} resources, ` +
                `${mandatory} mandatory and ${report.violations.length - mandatory} advisory policy violations`,
        );
        if (report.violations.length > 0) io.out(formatReport(report));
    } else {
        io.out(renderReport(run));
        io.out("", `Policy pack (policy/config/${run.stack}.json):`, formatReport(report));
    }
    const overBudget = budgetWarning(run);
    if (overBudget) io.out(overBudget);
    if (args.json) io.out(`wrote ${args.json}`);
    if (args.diagram) io.out(`wrote ${args.diagram}`);
    return hasMandatoryViolation(report) ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: unknown) => {
            process.stderr.write(`internal error: ${(error as Error)?.stack ?? String(error)}\n`);
            process.exit(1);
        },
    );
}
