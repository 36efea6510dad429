// @ts-check
"use strict";
/**
 * Runs a tool from its prebuilt bundle (./index.js): `node tools/launch/cli.js <tool> [args...]`,
 * which the npm scripts call. The tool gets its own arguments and behaves as when run from its
 * TypeScript; with --enable-source-maps (for an internal error's trace), or when its bundle cannot
 * be built, it runs from its TypeScript under tsx, just slower to start.
 *
 * The npm scripts start node with --min-semi-space-size=16: a stack run keeps most of what it
 * allocates, and a young generation that starts at 16 MiB, instead of growing from 1 MiB through many
 * costly scavenges, takes about a tenth off a run (`npm run bench`). V8 reads it only at start-up.
 */
const path = require("node:path");
const { loadBundle, TOOLS, toolEntry } = require("./index");
const ROOT = path.resolve(__dirname, "..", "..");

/** @typedef {{ main: (argv: readonly string[]) => Promise<number>, runAsProcess: (main: (argv: readonly string[]) => Promise<number>) => void }} Tool */

/** @returns {Tool | undefined} */
function fromBundle(/** @type {string} */ tool) {
    return loadBundle(ROOT, tool, toolEntry(tool))?.exports;
}

/** @returns {Tool} */
function fromTypeScript(/** @type {string} */ tool) {
    const loader = "tsx/cjs"; // a name, not a path: TypeScript need not find its types
    require(loader);
    require("../sim/sdkHooks");
    return { main: require(`../${tool}`).main, runAsProcess: require("../cliIo").runAsProcess };
}

const tool = process.argv[2];
if (!TOOLS.includes(tool)) {
    process.stderr.write(`error: unknown tool ${JSON.stringify(tool ?? "")}; one of: ${TOOLS.join(", ")}.\n`);
    process.exitCode = 2;
} else {
    process.argv.splice(2, 1);
    // A bundle that cannot be built (a syntax error, say) falls through to tsx, which reports it.
    const withSourceMaps = process.execArgv.includes("--enable-source-maps");
    const started = (withSourceMaps ? undefined : fromBundle(tool)) ?? fromTypeScript(tool);
    started.runAsProcess(started.main);
}
