import "./sim/sdkHooks"; // first: before anything loads the Pulumi SDK
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, runStack, StackRun } from "./sim";
import { inputProblems as sharedInputProblems, Io, processIo, runAsProcess } from "./cliIo";
import { renderReport, toDocument } from "./previewReport";
import { planPreview, StackPlan, usage } from "./previewArgs";
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
 * The offline preview: runs the real program for one or more stacks against simulated AWS, prints
 * what each declares, and evaluates the CrossGuard pack with `policy/config/<stack>.json`.
 * Exit status, the worst over the stacks: 0 ok, 1 a mandatory policy violation, 2 bad input.
 * Bad input anywhere stops everything: nothing is printed or written as if it worked.
 */
/** Thrown for problems caused by the input (not by this tool): one line each, exit 2. */
class InputProblems extends Error {
    constructor(readonly problems: readonly string[]) {
        super(problems.join("\n"));
    }
}

function inputProblems(error: unknown): string[] | undefined {
    return error instanceof InputProblems ? [...error.problems] : sharedInputProblems(error);
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

/** One stack's result: its section of the output, the files to write and its exit status. */
export interface StackPreview {
    stack: string;
    code: 0 | 1;
    lines: string[];
    /** What the program warned about (placeholders in the stack file), for stderr. */
    warnings: string[];
    files: { path: string; content: string }[];
}

/** Everything done for one stack. Prints and writes nothing itself: the caller does, once all stacks ran. */
export async function previewStack(plan: StackPlan, quiet: boolean, root = REPO_ROOT): Promise<StackPreview> {
    const run = await runStack(plan.stack, {
        overrides: plan.overrides,
        missingImages: plan.missingImages,
        root,
        firstPreview: plan.firstPreview,
    });
    const report = await checkPolicies(run);
    const files: StackPreview["files"] = [];
    if (plan.json) {
        const doc = { ...toDocument(run), violations: report.violations };
        files.push({ path: plan.json, content: `${JSON.stringify(doc, null, 2)}\n` });
    }
    if (plan.diagram) files.push({ path: plan.diagram, content: architectureDiagram(run.resources) });
    const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const lines: string[] = [];
    if (quiet) {
        lines.push(
            `offline preview of ${run.project}/${run.stack} (simulated AWS): ${run.resources.length} resources, ` +
                `${mandatory} mandatory and ${report.violations.length - mandatory} advisory policy violations`,
        );
        if (report.violations.length > 0) lines.push(formatReport(report));
    } else {
        lines.push(renderReport(run), "", `Policy pack (policy/config/${run.stack}.json):`, formatReport(report));
    }
    const overBudget = budgetWarning(run, root);
    if (overBudget) lines.push(overBudget);
    lines.push(...files.map((file) => `wrote ${file.path}`));
    return { stack: plan.stack, code: hasMandatoryViolation(report) ? 1 : 0, lines, warnings: run.warnings, files };
}

function writeAll(files: StackPreview["files"]): void {
    const problems: string[] = [];
    for (const file of files) {
        try {
            mkdirSync(path.dirname(file.path), { recursive: true });
            writeFileSync(file.path, file.content);
        } catch (error) {
            const reason = (error as Error).message.replace(/, \w+ '.*'$/, "");
            problems.push(`cannot write ${JSON.stringify(file.path)}: ${reason}.`);
        }
    }
    if (problems.length > 0) throw new InputProblems(problems);
}

export interface MainOptions {
    /** Where Pulumi.yaml and the stack files are read (tests). Default: the repository root. */
    root?: string;
}

export async function main(argv: readonly string[], io: Io = processIo, options: MainOptions = {}): Promise<number> {
    const root = options.root ?? REPO_ROOT;
    const planned = planPreview(argv, root);
    if ("help" in planned) {
        io.out(usage(root));
        return 0;
    }
    if ("problems" in planned) {
        for (const line of planned.problems) io.err(`error: ${line}`);
        if (planned.usage) io.err(usage(root));
        return 2;
    }
    const { stacks, quiet } = planned.plan;
    const several = stacks.length > 1;
    const previews: StackPreview[] = [];
    try {
        for (const stack of stacks) {
            try {
                previews.push(await previewStack(stack, quiet, root));
            } catch (error) {
                const problems = inputProblems(error);
                if (!problems) throw error;
                throw new InputProblems(problems.map((line) => (several ? `${stack.stack}: ${line}` : line)));
            }
        }
        writeAll(previews.flatMap((p) => p.files));
    } catch (error) {
        const problems = inputProblems(error);
        if (!problems) throw error;
        for (const line of problems) io.err(`error: ${line}`);
        return 2;
    }
    for (const preview of previews) {
        for (const warning of preview.warnings) io.err(`warning: ${several ? `${preview.stack}: ` : ""}${warning}`);
    }
    previews.forEach((preview, index) => {
        if (index > 0 && !quiet) io.out("");
        for (const line of preview.lines) io.out(line);
    });
    return Math.max(0, ...previews.map((p) => p.code));
}

if (require.main === module) runAsProcess(main);
