import Module from "node:module";

/**
 * The three places where the simulation reaches into @pulumi/pulumi (3.248.0) internals, for speed only.
 * Import this module before anything that loads the SDK. Never loaded by a real `pulumi up`: the CLI
 * runs index.ts, which imports nothing from tools/. test/sim/sdkHooks.test.ts fails when the SDK changes
 * the shape these hooks rely on.
 *
 * 1. Lazy closure serializer. `runtime/index.js` requires `runtime/closure/serializeClosure.js` and
 *    `codePaths.js` at load; they pull in the TypeScript compiler and @npmcli/arborist (~1,000 modules)
 *    for function serialization (lambda callbacks, dynamic providers), which this program never uses.
 *    Their exports are all async functions, so stand-ins that load the real module on first call
 *    behave the same.
 * 2. Lazy Automation API. `index.js` requires `automation/` at load (execa, js-yaml, the CLI
 *    wrappers: ~90 modules), which the program never uses. `index.js` takes it with `__importStar`,
 *    which returns an `__esModule` object as it is, so a stand-in whose exports are getters that
 *    load the real module on first use behaves the same.
 * 3. No promise stack traces. `runtime/debuggable.js` formats `new Error().stack` for every RPC
 *    promise (thousands per run), and reads it only for the leak report under
 *    PULUMI_DEBUG_PROMISE_LEAKS. Under the simulation the capture is made with no frames; the leak
 *    detection itself is untouched.
 */

/** Exports of each deferred SDK module (all async functions). */
export const DEFERRED_SDK_MODULES: Readonly<Record<string, readonly string[]>> = {
    "@pulumi/pulumi/runtime/closure/serializeClosure": ["serializeFunction", "serializeFunctionAsync"],
    "@pulumi/pulumi/runtime/closure/codePaths": ["computeCodePaths", "findWorkspaceRoot"],
};

/** Puts stand-ins for the deferred modules in the require cache; a module already loaded is left alone. */
function deferClosureSerializer(): void {
    for (const [request, names] of Object.entries(DEFERRED_SDK_MODULES)) {
        const filename = require.resolve(request);
        if (require.cache[filename]) continue;
        const standIn = new Module(filename, module);
        standIn.filename = filename;
        standIn.loaded = true;
        const real = (): Record<string, (...args: unknown[]) => unknown> => {
            if (require.cache[filename] === standIn) delete require.cache[filename];
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(filename);
        };
        for (const name of names) standIn.exports[name] = async (...args: unknown[]) => real()[name](...args);
        require.cache[filename] = standIn;
    }
}

deferClosureSerializer();

/** Exports of the SDK's Automation API module (`@pulumi/pulumi/automation/index.js`). */
export const AUTOMATION_EXPORTS: readonly string[] = [
    "CommandResult",
    "PulumiCommand",
    "parseAndValidatePulumiVersion",
    "CommandError",
    "ConcurrentUpdateError",
    "StackNotFoundError",
    "StackAlreadyExistsError",
    "createCommandError",
    "Stack",
    "fullyQualifiedStackName",
    "stackSettingsSerDeKeys",
    "LocalWorkspace",
    "DiffKind",
    "RemoteStack",
    "RemoteWorkspace",
    "isFullyQualifiedStackName",
];

/** Puts a stand-in for the Automation API in the require cache, unless it is already loaded. */
function deferAutomation(): void {
    const filename = require.resolve("@pulumi/pulumi/automation");
    if (require.cache[filename]) return;
    const standIn = new Module(filename, module);
    standIn.filename = filename;
    standIn.loaded = true;
    let real: Record<string, unknown> | undefined;
    const load = (): Record<string, unknown> => {
        if (require.cache[filename] === standIn) delete require.cache[filename];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        real ??= require(filename) as Record<string, unknown>;
        return real;
    };
    Object.defineProperty(standIn.exports, "__esModule", { value: true });
    for (const name of AUTOMATION_EXPORTS) {
        Object.defineProperty(standIn.exports, name, { enumerable: true, get: () => load()[name] });
    }
    require.cache[filename] = standIn;
}

deferAutomation();

interface Debuggable {
    debuggablePromise<T>(p: Promise<T>, ctx?: unknown): Promise<T>;
    debugPromiseLeaks: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Debuggable;
const captureWithStack = debuggable.debuggablePromise;
if (typeof captureWithStack !== "function") {
    throw new Error("tools/sim/sdkHooks: @pulumi/pulumi/runtime/debuggable no longer exports debuggablePromise");
}

/** Same SDK function, with `new Error()` capturing no frames (SDK callers look it up on the module each call). */
function captureWithoutStack<T>(p: Promise<T>, ctx?: unknown): Promise<T> {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return captureWithStack(p, ctx);
    } finally {
        Error.stackTraceLimit = limit;
    }
}

/**
 * Turns the promise stack capture off until the returned function is called (the simulation does it
 * around each run). Kept on when PULUMI_DEBUG_PROMISE_LEAKS asks for the stacks.
 */
export function withoutPromiseStacks(): () => void {
    if (debuggable.debugPromiseLeaks || debuggable.debuggablePromise !== captureWithStack) return () => undefined;
    debuggable.debuggablePromise = captureWithoutStack;
    return () => {
        debuggable.debuggablePromise = captureWithStack;
    };
}
