import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import {
    existsSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    symlinkSync,
    utimesSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../tools/sim";
import { bundle, cacheDir, dependencies, loadBundle, TOOLS, toolEntry } from "../tools/launch";
import { main as previewMain } from "../tools/preview-offline";

/** A small project of its own, with esbuild reachable from it, to bundle and edit. */
function scratchProject(files: Record<string, string>): { root: string; write(file: string, text: string): void } {
    const root = mkdtempSync(path.join(tmpdir(), "launch-"));
    // Saved a while before the run, as an edit is: a file written during a build is never trusted.
    const saved = new Date(Date.now() - 10_000);
    const write = (file: string, text: string) => {
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), text);
        for (const written of [file, path.dirname(file), "."]) utimesSync(path.join(root, written), saved, saved);
    };
    write("package.json", '{ "name": "scratch", "private": true }\n');
    write("tsconfig.json", '{ "compilerOptions": { "strict": true } }\n');
    mkdirSync(path.join(root, "node_modules"));
    symlinkSync(path.join(REPO_ROOT, "node_modules", "esbuild"), path.join(root, "node_modules", "esbuild"), "dir");
    for (const [file, text] of Object.entries(files)) write(file, text);
    utimesSync(root, saved, saved);
    return { root, write };
}

const ENTRY = 'export { value } from "./src/value";\n';

const toolBundles = new Map<string, ReturnType<typeof bundle>>();
/** The bundle `npm run <tool>` runs, built once for the tests that read it. */
function toolBundle(tool: string): ReturnType<typeof bundle> {
    if (!toolBundles.has(tool)) toolBundles.set(tool, bundle(REPO_ROOT, tool, toolEntry(tool)));
    return toolBundles.get(tool)!;
}

describe("tools/launch: prebuilt bundles of the tools", () => {
    const roots: string[] = [];
    after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

    function project(files: Record<string, string>) {
        const made = scratchProject(files);
        roots.push(made.root);
        return { ...made, load: () => loadBundle(made.root, "scratch", ENTRY) };
    }

    it("builds a bundle once, then loads it without building while nothing changed", () => {
        const { root, load } = project({ "src/value.ts": "export const value: number = 1;\n" });
        assert.deepEqual([load()?.built, load()?.built], [true, false]);
        assert.equal(load()?.exports.value, 1);
        assert.match(
            readFileSync(path.join(cacheDir(root), "scratch.cjs"), "utf8"),
            /launch-manifest .*src\/value\.ts/,
        );
    });

    it("never runs a stale bundle: an edited source is bundled again", () => {
        const { write, load } = project({ "src/value.ts": "export const value = 1;\n" });
        assert.equal(load()?.exports.value, 1);
        write("src/value.ts", "export const value = 2;\n");
        const after = load();
        assert.deepEqual([after?.built, after?.exports.value], [true, 2]);
    });

    it("bundles again when an added file changes what an import resolves to", () => {
        const { write, load } = project({ "src/value/index.ts": "export const value = 'folder';\n" });
        assert.equal(load()?.exports.value, "folder");
        write("src/value.ts", "export const value = 'file';\n"); // `./src/value` is now this file
        const after = load();
        assert.deepEqual([after?.built, after?.exports.value], [true, "file"]);
    });

    it("bundles again when a source was written while the bundle was being built", () => {
        const { root, load } = project({ "src/value.ts": "export const value = 1;\n" });
        // A modification time after the build started: what esbuild read may not be what is hashed.
        const later = new Date(Date.now() + 60_000);
        utimesSync(path.join(root, "src", "value.ts"), later, later);
        assert.equal(load()?.built, true);
        assert.match(
            readFileSync(path.join(cacheDir(root), "scratch.cjs"), "utf8"),
            /"src\/value\.ts":"changed during the build"/,
        );
        assert.equal(load()?.built, true, "never trusted: built again");
        utimesSync(path.join(root, "src", "value.ts"), new Date(0), new Date(0));
        assert.deepEqual([load()?.built, load()?.built], [true, false]);
    });

    it("bundles again when tsconfig.json changes, or when the cached bundle has no manifest", () => {
        const { root, write, load } = project({ "src/value.ts": "export const value = 1;\n" });
        load();
        write("tsconfig.json", '{ "compilerOptions": { "strict": false } }\n');
        assert.equal(load()?.built, true);
        writeFileSync(path.join(cacheDir(root), "scratch.cjs"), "exports.value = 'tampered';\n");
        assert.deepEqual([load()?.built, load()?.exports.value], [true, 1]);
    });

    it("gives up (the caller runs the TypeScript instead) when the sources do not compile", () => {
        const { load } = project({ "src/value.ts": "export const value = ;\n" });
        assert.equal(load(), undefined);
    });

    it("depends on each file bundled, tsconfig.json and package.json, and the folders project imports resolve in", () => {
        assert.deepEqual(dependencies(["tools/sim/index.ts", "node_modules/yaml/dist/index.js", "stack.ts"]), {
            files: [
                "node_modules/yaml/dist/index.js",
                "package.json",
                "stack.ts",
                "tools/sim/index.ts",
                "tsconfig.json",
            ],
            folders: [".", "tools", "tools/sim"],
        });
    });

    it("bundles yaml (72 small modules) and loads every other package from node_modules", () => {
        const { sources, code } = toolBundle("preview-offline");
        const packages = new Set(
            sources.filter((f) => f.startsWith("node_modules/")).map((f) => f.split("/").slice(1, 2).join("/")),
        );
        assert.deepEqual([...packages], ["yaml"]);
        assert.match(code, /require\("@pulumi\/pulumi"\)/);
    });

    it("bundles no tool module that locates files from __dirname (wrong inside a bundle), but the repository root's finder", () => {
        for (const tool of TOOLS) {
            const { sources } = toolBundle(tool);
            assert.ok(sources.includes("stack.ts"), `${tool} bundles the program`);
            const located = sources
                .filter((file) => !file.startsWith("node_modules/"))
                .filter((file) => /\b__(dirname|filename)\b/.test(readFileSync(path.join(REPO_ROOT, file), "utf8")));
            assert.deepEqual(located, ["tools/sim/stackFiles.ts"], tool);
        }
    });

    it("runs a tool as its TypeScript does: same output, same exit status", async function () {
        this.timeout(120_000);
        const args = ["--stack", "staging", "--quiet"];
        const bundled = spawnSync(
            process.execPath,
            [path.join("tools", "launch", "cli.js"), "preview-offline", ...args],
            {
                cwd: REPO_ROOT,
                encoding: "utf8",
            },
        );
        // The TypeScript, in this process (mocha runs it under tsx), printing as processIo does.
        const out: string[] = [];
        const err: string[] = [];
        const status = await previewMain(args, {
            out: (...lines) => out.push(`${lines.join("\n")}\n`),
            err: (text) => err.push(`${text}\n`),
        });
        assert.equal(bundled.status, 0, bundled.stderr);
        assert.deepEqual(
            { status: bundled.status, stdout: bundled.stdout, stderr: bundled.stderr },
            { status, stdout: out.join(""), stderr: err.join("") },
        );
        assert.match(bundled.stdout, /offline preview of migration-api\/staging/);
    });

    it("runs the TypeScript when the bundle cannot be built, so a syntax error is reported as tsx reports it", function () {
        this.timeout(120_000);
        const root = mkdtempSync(path.join(tmpdir(), "launch-broken-"));
        roots.push(root);
        execFileSync("sh", ["-c", `git archive --format=tar HEAD | tar -x -C '${root}'`], { cwd: REPO_ROOT });
        mkdirSync(path.join(root, "node_modules"));
        for (const entry of readdirSync(path.join(REPO_ROOT, "node_modules")).filter((e) => e !== ".cache"))
            symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(root, "node_modules", entry));
        const broken = path.join(root, "tools", "previewArgs.ts");
        writeFileSync(broken, `${readFileSync(broken, "utf8")}\nexport const broken = ;\n`);
        const result = spawnSync(
            process.execPath,
            [path.join(root, "tools", "launch", "cli.js"), "preview-offline", "--help"],
            {
                cwd: root,
                encoding: "utf8",
            },
        );
        assert.notEqual(result.status, 0);
        assert.equal(result.stdout, "");
        assert.match(result.stderr, /previewArgs\.ts:\d+:\d+: ERROR: Unexpected ";"/);
        assert.equal(existsSync(path.join(cacheDir(root), "preview-offline.cjs")), false, "no bundle was written");
    });

    it("refuses an unknown tool with one error line and exit status 2", () => {
        const result = spawnSync(process.execPath, [path.join("tools", "launch", "cli.js"), "deploy"], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });
        assert.deepEqual(
            { status: result.status, stderr: result.stderr, stdout: result.stdout },
            {
                status: 2,
                stderr: 'error: unknown tool "deploy"; one of: preview-offline, cost, diff.\n',
                stdout: "",
            },
        );
    });
});
