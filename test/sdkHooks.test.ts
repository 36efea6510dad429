import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, settingsFor, simulate } from "../tools/sim";
import { DEFERRED_SDK_MODULES, LAZY_SDK_MODULES } from "../tools/sim/sdkHooks";

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

    it("loads the Automation API, OpenTelemetry and gRPC only when used; each stand-in has exactly the real exports", () => {
        const script = `
            const { LAZY_SDK_MODULES, isDeferred, sdkModuleFile } = require("./tools/sim/sdkHooks");
            require("@pulumi/pulumi");
            require("@pulumi/policy");
            const grpcIndex = sdkModuleFile("@grpc/grpc-js"); // its stand-in
            const grpcLoaded = Object.keys(require.cache).filter((f) => /@grpc[\\/]grpc-js[\\/]build/.test(f) && f !== grpcIndex).length;
            const requests = Object.keys(LAZY_SDK_MODULES);
            const before = requests.map(isDeferred);
            const report = requests.map((request, i) => {
                const filename = sdkModuleFile(request);
                const standIn = require(filename);
                const standInKeys = Object.keys(standIn);
                const first = standIn[standInKeys[0]];
                const real = require(filename); // the stand-in left the cache on first use
                return {
                    request, deferred: before[i], loaded: !isDeferred(request), standInKeys, realKeys: Object.keys(real),
                    esModule: real.__esModule === true,
                    same: first === real[standInKeys[0]] && standInKeys.every((k) => standIn[k] === real[k]),
                };
            });
            process.stdout.write(JSON.stringify({ grpcLoaded, report }));
        `;
        const result = spawnSync(process.execPath, ["--no-warnings", "--require", "tsx/cjs", "-e", script], {
            cwd: REPO_ROOT,
            encoding: "utf8",
        });
        assert.equal(result.stderr, "");
        const { grpcLoaded, report } = JSON.parse(result.stdout) as {
            grpcLoaded: number;
            report: Record<string, unknown>[];
        };
        assert.equal(grpcLoaded, 0, "no gRPC module loads with the SDK and the policy SDK");
        assert.deepEqual(
            report.map((r) => r.request),
            Object.keys(LAZY_SDK_MODULES),
        );
        for (const r of report) {
            const request = r.request as string;
            assert.equal(r.deferred, true, `${request} must not load with the SDK`);
            assert.equal(r.loaded, true, `using ${request} loads the real module`);
            const { esModule, exports } = LAZY_SDK_MODULES[request];
            assert.deepEqual(r.realKeys, exports, `the stand-in's exports are ${request}'s`);
            assert.deepEqual(r.standInKeys, exports);
            assert.equal(r.esModule, esModule, `${request} is${esModule ? "" : " not"} an ES module`);
            assert.equal(r.same, true, `the stand-in hands out ${request}'s own values`);
        }
    });

    it("no SDK code reads the `default` of a stand-in that is not an ES module", () => {
        const plain = Object.entries(LAZY_SDK_MODULES)
            .filter(([, m]) => !m.esModule)
            .map(([request]) => request.split("/").pop() as string);
        assert.deepEqual(plain, [
            "analyzer_grpc_pb",
            "callback_grpc_pb",
            "engine_grpc_pb",
            "provider_grpc_pb",
            "resource_grpc_pb",
        ]);
        const policySdk = path.join(REPO_ROOT, "node_modules", "@pulumi", "policy");
        const readers = [...sdkFiles(), ...sdkFiles(policySdk)].flatMap((file) => {
            const source = readFileSync(file, "utf8");
            return [...source.matchAll(/const (\w+) = (?:__importStar\()?require\("[^"]*\/(\w+_grpc_pb)"\)/g)]
                .filter((m) => plain.includes(m[2]))
                .map((m) => ({ file, binding: m[1], source }));
        });
        assert.ok(readers.length >= 5, `found the SDK's imports of the gRPC stubs: ${readers.length}`);
        for (const { file, binding, source } of readers) {
            assert.doesNotMatch(source, new RegExp(`\\b${binding}(\\.default\\b|\\["default"\\])`), file);
        }
    });
});
