import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, settingsFor, simulate } from "../tools/sim";
import { AUTOMATION_EXPORTS, DEFERRED_SDK_MODULES } from "../tools/sim/sdkHooks";

/**
 * tools/sim/sdkHooks.ts leans on @pulumi/pulumi internals. These tests fail when the SDK changes the
 * shape the hooks rely on: then revisit the hooks (or drop them) before upgrading.
 */
const SDK = path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi");

function sdkFiles(dir = SDK): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sdkFiles(full);
        return entry.name.endsWith(".js") ? [full] : [];
    });
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise<T>(p: Promise<T>, ctx?: unknown): Promise<T>;
};

function capturedStack(): string {
    const p = Promise.resolve(1);
    void debuggable.debuggablePromise(p, "sdkHooks test");
    return (p as unknown as { _debugStackTrace: string })._debugStackTrace;
}

describe("SDK hooks of the simulation (tools/sim/sdkHooks.ts)", () => {
    it("SDK callers look debuggablePromise up on its module at each call, so the hook reaches them", () => {
        const callers = sdkFiles().filter((file) => !file.endsWith(path.join("runtime", "debuggable.js")));
        const uses = callers.flatMap((file) =>
            [...readFileSync(file, "utf8").matchAll(/([\w$.]*)\bdebuggablePromise\b/g)].map((m) => m[1]),
        );
        assert.ok(uses.length > 20, `expected the SDK to wrap its RPCs in debuggablePromise; found ${uses.length}`);
        assert.deepEqual([...new Set(uses)], ["debuggable_1."]);
    });

    it("the SDK reads the captured stack only for its leak report", () => {
        const source = readFileSync(path.join(SDK, "runtime", "debuggable.js"), "utf8");
        assert.equal(source.match(/new Error\(\)\.stack/g)?.length, 1);
        assert.equal(source.match(/_debugStackTrace/g)?.length, 2, "set once, read once in promiseDebugString");
        assert.match(source, /if \(exports\.debugPromiseLeaks\) \{\s*for \(const leak of leaked\)/);
        const elsewhere = sdkFiles().filter((f) => /_debugStackTrace|promiseDebugString/.test(readFileSync(f, "utf8")));
        assert.deepEqual(
            elsewhere.map((f) => path.relative(SDK, f)),
            [path.join("runtime", "debuggable.js")],
        );
    });

    it("captures no promise stacks during a simulation, and does again after it", async () => {
        let during = "";
        await simulate(settingsFor("staging"), () => {
            during = capturedStack();
        });
        assert.equal(during, "Error");
        assert.match(capturedStack(), /\n\s+at /);
    });

    it("loads the closure serializer only when it is called, and the stand-ins match the real modules", () => {
        const names = JSON.stringify(DEFERRED_SDK_MODULES);
        const script = `
            require("./tools/sim/sdkHooks");
            const pulumi = require("@pulumi/pulumi");
            const loaded = () => Object.keys(require.cache).filter((f) =>
                /node_modules\\/typescript\\/lib\\/typescript\\.js$|@npmcli\\/arborist\\/lib\\/index\\.js$/.test(f)).length;
            const before = loaded();
            pulumi.runtime.serializeFunction(() => 42).then(async (fn) => {
                await pulumi.runtime.computeCodePaths({ extraIncludePackages: [] }).catch(() => undefined);
                const real = Object.entries(${names}).map(([request, names]) => {
                    const mod = require(request);
                    return [request, Object.keys(mod).sort(), Object.values(mod).map((f) => f.constructor.name)];
                });
                process.stdout.write(JSON.stringify({ before, after: loaded(), text: fn.text.includes("42"), real }));
            });
        `;
        const result = spawnSync(process.execPath, ["--no-warnings", "--require", "tsx/cjs", "-e", script], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });
        assert.equal(result.stderr, "");
        const report = JSON.parse(result.stdout) as {
            before: number;
            after: number;
            text: boolean;
            real: [string, string[], string[]][];
        };
        assert.equal(report.before, 0, "typescript and arborist must not load with the SDK");
        assert.equal(report.after, 2, "calling the serializer loads the real modules");
        assert.equal(report.text, true);
        for (const [request, keys, kinds] of report.real) {
            assert.deepEqual(keys, [...DEFERRED_SDK_MODULES[request]].sort(), `exports of ${request}`);
            assert.deepEqual(new Set(kinds), new Set(["AsyncFunction"]), `${request} exports only async functions`);
        }
    });

    it("loads the Automation API only when it is used, and the stand-in has exactly the real module's exports", () => {
        const script = `
            require("./tools/sim/sdkHooks");
            const pulumi = require("@pulumi/pulumi");
            const loaded = () => Object.keys(require.cache).filter((f) => /automation[\\/]localWorkspace\\.js$/.test(f)).length;
            const before = loaded();
            const standInKeys = Object.keys(pulumi.automation);
            const workspace = pulumi.automation.LocalWorkspace;
            const real = require("@pulumi/pulumi/automation"); // the stand-in left the cache on first use
            process.stdout.write(JSON.stringify({
                before, after: loaded(), realKeys: Object.keys(real), standInKeys,
                same: workspace === real.LocalWorkspace && pulumi.automation.DiffKind === real.DiffKind,
                isClass: typeof workspace === "function" && /^class /.test(workspace.toString()),
            }));
        `;
        const result = spawnSync(process.execPath, ["--no-warnings", "--require", "tsx/cjs", "-e", script], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });
        assert.equal(result.stderr, "");
        const report = JSON.parse(result.stdout) as Record<string, unknown>;
        assert.equal(report.before, 0, "the Automation API must not load with the SDK");
        assert.equal(report.after, 1, "using it loads the real module");
        assert.deepEqual(report.realKeys, AUTOMATION_EXPORTS, "the stand-in's exports are the real module's");
        assert.deepEqual(report.standInKeys, AUTOMATION_EXPORTS);
        assert.equal(report.same, true, "the stand-in hands out the real module's values");
        assert.equal(report.isClass, true);
    });
});
