// @ts-check
"use strict";
/**
 * Prebuilt bundles of the project's TypeScript, for the tools a fresh process runs often (the offline
 * preview, cost, diff). Loading one bundle instead of compiling ~130 modules through tsx saves about
 * half a second per run.
 *
 * A bundle is never stale: it carries a manifest of what it was built from (a content hash of every
 * source file in it, plus tsconfig.json and package.json, and the names in each folder an import
 * could have resolved into), and is used only when all of them are unchanged; otherwise it is built
 * again first. Packages load from node_modules as usual, but a few small ones that are bundled
 * (BUNDLED_PACKAGES).
 *
 * Plain JavaScript on purpose: it runs before anything can compile TypeScript.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

/** Changes whenever the way bundles are built changes, so older bundles are rebuilt. */
const BUNDLE_FORMAT = 1;
const MANIFEST_MARK = "\n//# launch-manifest ";

/** Where bundles are kept: node_modules/.cache, as other build tools do (ignored by git, removed with node_modules). */
function cacheDir(/** @type {string} */ root) {
    return path.join(root, "node_modules", ".cache", "migration-api");
}

/**
 * @typedef {object} Manifest
 * @property {number} format
 * @property {string} esbuild esbuild's version
 * @property {string} entry the entry module's source
 * @property {Record<string, string>} files repository-relative path -> content hash
 * @property {Record<string, string>} folders repository-relative folder -> hash of its entry names
 */

function hash(/** @type {string | Buffer} */ data) {
    return crypto.createHash("sha1").update(data).digest("hex");
}

const MISSING = "missing";
/** Never a hash: a file or folder recorded with it is always out of date. */
const CHANGED_DURING_BUILD = "changed during the build";

function fileHash(/** @type {string} */ file) {
    try {
        return hash(fs.readFileSync(file));
    } catch {
        return MISSING;
    }
}

function folderHash(/** @type {string} */ folder) {
    try {
        return hash(fs.readdirSync(folder).sort().join("\n"));
    } catch {
        return MISSING;
    }
}

function esbuildVersion(/** @type {string} */ root) {
    const file = require.resolve("esbuild/package.json", { paths: [root] });
    return /** @type {{ version: string }} */ (JSON.parse(fs.readFileSync(file, "utf8"))).version;
}

/**
 * The files a bundle depends on: every file in it, and the two files that change how they compile.
 * Folders: each project source's own folder and its parent, the places where an added or removed file
 * could change what an import resolves to (`./a` is `a.ts` or `a/index.ts`). A bundled package's
 * files are hashed like the sources: they change with its version.
 * @param {readonly string[]} sources repository-relative
 * @returns {{ files: string[], folders: string[] }}
 */
function dependencies(sources) {
    const project = sources.filter((file) => !file.split(/[\\/]/).includes("node_modules"));
    const folders = new Set(project.flatMap((file) => [path.dirname(file), path.dirname(path.dirname(file))]));
    const files = [...sources, "tsconfig.json", "package.json"];
    return { files: [...new Set(files)].sort(), folders: [...folders].sort() };
}

/**
 * Whether a bundle built with `manifest` is what building now would give.
 * @param {Manifest} manifest
 * @param {string} root
 * @param {string} entry
 * @returns {boolean}
 */
function isFresh(manifest, root, entry) {
    if (manifest.format !== BUNDLE_FORMAT || manifest.entry !== entry) return false;
    if (manifest.esbuild !== esbuildVersion(root)) return false;
    for (const [file, expected] of Object.entries(manifest.files)) {
        if (fileHash(path.join(root, file)) !== expected) return false;
    }
    for (const [folder, expected] of Object.entries(manifest.folders)) {
        if (folderHash(path.join(root, folder)) !== expected) return false;
    }
    return true;
}

/** @returns {Manifest | undefined} */
function readManifest(/** @type {string} */ code) {
    const at = code.lastIndexOf(MANIFEST_MARK);
    if (at < 0) return undefined;
    try {
        return JSON.parse(code.slice(at + MANIFEST_MARK.length));
    } catch {
        return undefined;
    }
}

/**
 * Packages bundled with the sources rather than loaded from node_modules: pure JavaScript in many small
 * modules (yaml: 72), which cost more to load one by one than to bundle. Their files are in the
 * manifest like the sources. Every other package loads from node_modules.
 */
const BUNDLED_PACKAGES = ["yaml"];

/** esbuild `external` patterns: every installed package but the bundled ones. */
function externalPackages(/** @type {string} */ root) {
    const modules = path.join(root, "node_modules");
    const names = fs
        .readdirSync(modules)
        .flatMap((entry) =>
            entry.startsWith("@")
                ? fs.readdirSync(path.join(modules, entry)).map((name) => `${entry}/${name}`)
                : [entry],
        );
    return names
        .filter((name) => !name.startsWith(".") && !BUNDLED_PACKAGES.includes(name))
        .flatMap((name) => [name, `${name}/*`]);
}

/**
 * Bundles `entry` (TypeScript source, resolved from the repository root) with esbuild.
 * @returns {{ code: string, sources: string[] }} the bundle, and the repository-relative files in it
 */
function bundle(/** @type {string} */ root, /** @type {string} */ name, /** @type {string} */ entry) {
    const esbuild = require(require.resolve("esbuild", { paths: [root] }));
    const sourcefile = `<${name} entry>`;
    const result = esbuild.buildSync({
        stdin: { contents: entry, resolveDir: root, sourcefile, loader: "ts" },
        absWorkingDir: root,
        bundle: true,
        external: externalPackages(root),
        platform: "node",
        format: "cjs",
        target: "node20",
        metafile: true,
        write: false,
        logLevel: "silent",
    });
    /** @type {string[]} */
    const sources = Object.keys(result.metafile.inputs).filter((input) => input !== sourcefile);
    return { code: result.outputFiles[0].text, sources };
}

/**
 * Bundles `entry` and writes it with its manifest, atomically: a process reading it sees the old or
 * the new bundle, whole.
 * @returns {string} the bundle's code, manifest included
 */
function build(/** @type {string} */ root, /** @type {string} */ name, /** @type {string} */ entry) {
    const started = Date.now();
    const built = bundle(root, name, entry);
    const { files, folders } = dependencies(built.sources);
    // The hashes are taken after esbuild read the files: a file (or a folder's entries) written
    // meanwhile may differ from what was bundled. It is recorded as changed: the next run builds again.
    const settled = (/** @type {string} */ relative) => {
        try {
            return fs.statSync(path.join(root, relative)).mtimeMs < started;
        } catch {
            return true;
        }
    };
    /** @type {Manifest} */
    const manifest = {
        format: BUNDLE_FORMAT,
        esbuild: esbuildVersion(root),
        entry,
        files: Object.fromEntries(
            files.map((file) => [file, settled(file) ? fileHash(path.join(root, file)) : CHANGED_DURING_BUILD]),
        ),
        folders: Object.fromEntries(
            folders.map((folder) => [
                folder,
                settled(folder) ? folderHash(path.join(root, folder)) : CHANGED_DURING_BUILD,
            ]),
        ),
    };
    const code = `${built.code}${MANIFEST_MARK}${JSON.stringify(manifest)}\n`;
    const target = path.join(cacheDir(root), `${name}.cjs`);
    const temporary = `${target}.${process.pid}.tmp`;
    try {
        fs.mkdirSync(cacheDir(root), { recursive: true });
        fs.writeFileSync(temporary, code);
        fs.renameSync(temporary, target);
    } catch {
        // A read-only node_modules: this run uses the new bundle all the same, the next builds again.
        fs.rmSync(temporary, { force: true });
    }
    return code;
}

/**
 * Loads the bundle `name` of `entry`: the cached one when fresh, else a new build. Undefined when it
 * cannot be built (esbuild reports a syntax error, say); an error the bundle throws as it loads is
 * the program's, and is thrown.
 * @param {string} root the repository root
 * @param {string} name the bundle's file name (without extension)
 * @param {string} entry TypeScript source of the entry module, resolved from `root`
 * @returns {{ exports: any, built: boolean } | undefined} the entry's exports, and whether it was built now
 */
function loadBundle(root, name, entry) {
    const file = path.join(cacheDir(root), `${name}.cjs`);
    let code;
    try {
        code = fs.readFileSync(file, "utf8");
    } catch {
        code = undefined;
    }
    const manifest = code === undefined ? undefined : readManifest(code);
    const built = !(manifest && isFresh(manifest, root, entry));
    if (built) {
        try {
            code = build(root, name, entry);
        } catch {
            return undefined;
        }
    }
    // Compiled from the text just checked (not require(file)): a bundle written by another process
    // in between is not what was checked. Packages resolve from the repository's node_modules.
    const bundle = new Module(file);
    bundle.filename = file;
    bundle.paths = /** @type {any} */ (Module)._nodeModulePaths(root);
    /** @type {any} */ (bundle)._compile(/** @type {string} */ (code), file);
    return { exports: bundle.exports, built };
}

/** The tools started from a bundle (tools/launch/cli.js): each exports `main(argv)`, its exit status. */
const TOOLS = ["preview-offline", "cost", "diff"];

/** The entry module of a tool's bundle. */
function toolEntry(/** @type {string} */ tool) {
    // sdkHooks first: it must run before anything loads the Pulumi SDK.
    return [
        'import "./tools/sim/sdkHooks";',
        `export { main } from "./tools/${tool}";`,
        'export { runAsProcess } from "./tools/cliIo";',
        "",
    ].join("\n");
}

module.exports = { BUNDLE_FORMAT, TOOLS, bundle, cacheDir, dependencies, isFresh, loadBundle, readManifest, toolEntry };
