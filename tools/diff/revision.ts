import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadBundle } from "../launch";
import { programOutputs, runProgramModule, simulate, StackRun } from "../sim/runStack";
import { applyOverrides, bootstrapRepositories, readProjectFile, readStackConfig, REPO_ROOT } from "../sim/stackFiles";

export class DiffInputError extends Error {}

/** A commit of the repository checked out into a temporary folder that shares this tree's node_modules. */
export interface Revision {
    ref: string;
    sha: string;
    root: string;
    dispose(): void;
}

/** Resolves `ref` to a commit and extracts that commit's files (git archive) into a temporary folder. */
export function checkoutRevision(ref: string, repo = REPO_ROOT): Revision {
    let sha: string;
    try {
        sha = execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
            cwd: repo,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "ignore"],
        }).trim();
    } catch {
        throw new DiffInputError(`unknown git ref ${JSON.stringify(ref)}: not a commit of ${repo}.`);
    }
    const root = mkdtempSync(path.join(tmpdir(), "migration-api-base-"));
    try {
        // `sha` is 40 hex characters (rev-parse --verify) and `root` comes from mkdtemp: safe in the pipe.
        execFileSync("sh", ["-c", `git archive --format=tar ${sha} | tar -x -C '${root}'`], {
            cwd: repo,
            stdio: "ignore",
        });
        // One node_modules for both revisions: one @pulumi/pulumi runtime in the process.
        symlinkSync(path.join(repo, "node_modules"), path.join(root, "node_modules"), "dir");
    } catch (error) {
        rmSync(root, { recursive: true, force: true });
        throw error;
    }
    return { ref, sha, root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Runs the program of the tree at `root` for `stack` with that tree's own Pulumi.yaml and stack file,
 * under the simulation of this tree. A stack the tree does not have yet runs as an empty stack.
 */
export async function runTree(root: string, stack: string, overrides: readonly string[] = []): Promise<StackRun> {
    const project = readProjectFile(root).name;
    if (!existsSync(path.join(root, `Pulumi.${stack}.yaml`)))
        return { project, stack, resources: [], outputs: {}, warnings: [] };
    const raw = applyOverrides(readStackConfig(stack, root), overrides, project);
    const settings = { project, stack, config: raw.values, secretKeys: raw.secretKeys };
    return simulate({ ...settings, repositories: bootstrapRepositories(root) }, () => runBaseProgram(root));
}

/**
 * Runs that tree's program from a bundle (tools/launch), cached while the tree's sources are the same:
 * faster than compiling the tree module by module. A tree that does not bundle (a syntax error, say)
 * runs under tsx, which reports what is wrong.
 */
function runBaseProgram(root: string): unknown {
    const bundled = loadBundle(root, "diff-base", 'module.exports = require("./index");\n');
    if (bundled) return programOutputs(bundled.exports);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (!(".ts" in require.extensions)) require("tsx/cjs"); // the tools run from a bundle, without tsx
    return runProgramModule(require.resolve(path.join(root, "index.ts")));
}
