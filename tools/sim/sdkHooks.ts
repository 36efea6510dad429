import Module from "node:module";
import * as path from "node:path";

/**
 * The three places where the simulation reaches into @pulumi/pulumi (3.248.0) internals, for speed only.
 * Import this module before anything that loads the SDK. Never loaded by a real `pulumi up`: the CLI
 * runs index.ts, which imports nothing from tools/. test/sdkHooks.test.ts fails when the SDK changes
 * the shape these hooks rely on.
 *
 * 1. Lazy closure serializer. `runtime/index.js` requires `runtime/closure/serializeClosure.js` and
 *    `codePaths.js` at load; they pull in the TypeScript compiler and @npmcli/arborist (~1,000 modules)
 *    for function serialization (lambda callbacks, dynamic providers), which this program never uses.
 *    Their exports are all async functions, so stand-ins that load the real module on first call
 *    behave the same.
 * 2. Lazy Automation API, OpenTelemetry and gRPC. The SDK requires `automation/` (execa, js-yaml,
 *    the CLI wrappers), `@opentelemetry/api` and `@grpc/grpc-js` with its generated stubs at load;
 *    the simulation uses none of them (about 0.2 s of loading). See LAZY_SDK_MODULES.
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

type ModuleExports = Record<string, unknown>;

const standIns = new WeakSet<NodeModule>();

/**
 * Puts a stand-in for the module `filename` in the require cache, unless the module is already loaded.
 * `define` fills the stand-in's exports; its `real()` loads the real module (which then replaces the
 * stand-in in the cache) and returns its exports.
 */
function putStandIn(filename: string, define: (exports: ModuleExports, real: () => ModuleExports) => void): void {
    if (require.cache[filename]) return;
    const standIn = new Module(filename, module);
    standIn.filename = filename;
    standIn.loaded = true;
    let loaded: ModuleExports | undefined;
    const real = (): ModuleExports => {
        if (require.cache[filename] === standIn) delete require.cache[filename];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        loaded ??= require(filename) as ModuleExports;
        return loaded;
    };
    define(standIn.exports as ModuleExports, real);
    require.cache[filename] = standIn;
    standIns.add(standIn);
}

/** Stand-ins for the closure serializer: async functions that call the real ones. */
function deferClosureSerializer(): void {
    for (const [request, names] of Object.entries(DEFERRED_SDK_MODULES)) {
        putStandIn(require.resolve(request), (exports, real) => {
            for (const name of names) {
                exports[name] = async (...args: unknown[]) => (real()[name] as (...a: unknown[]) => unknown)(...args);
            }
        });
    }
}

deferClosureSerializer();

/**
 * Modules loaded only on first use: path -> whether the real module is an ES module compiled to
 * CommonJS (`__esModule`), and its exports. The SDK takes each with a plain `require` or with
 * `__importStar`, which returns an `__esModule` module as it is and copies every export of any other
 * (reading them all at import). So each stand-in is marked `__esModule`, and its exports are getters
 * that load the real module on first use. For a module that is not an ES module, the one difference
 * is the `default` that `__importStar` would have added, which no SDK code reads (the test checks).
 */
export const LAZY_SDK_MODULES: Readonly<Record<string, { esModule: boolean; exports: readonly string[] }>> = {
    "@pulumi/pulumi/automation": {
        esModule: true,
        exports: [
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
        ],
    },
    // As runtime/settings.js resolves it. Used only to trace a real run (cmd/run/tracing.js).
    "@opentelemetry/api": {
        esModule: true,
        exports: [
            "baggageEntryMetadataFromString",
            "createContextKey",
            "ROOT_CONTEXT",
            "DiagConsoleLogger",
            "DiagLogLevel",
            "createNoopMeter",
            "ValueType",
            "defaultTextMapGetter",
            "defaultTextMapSetter",
            "ProxyTracer",
            "ProxyTracerProvider",
            "SamplingDecision",
            "SpanKind",
            "SpanStatusCode",
            "TraceFlags",
            "createTraceState",
            "isSpanContextValid",
            "isValidTraceId",
            "isValidSpanId",
            "INVALID_SPANID",
            "INVALID_TRACEID",
            "INVALID_SPAN_CONTEXT",
            "context",
            "diag",
            "metrics",
            "propagation",
            "trace",
            "default",
        ],
    },
    // gRPC: the simulation's monitor is in process (runtime/mocks.js); nothing connects to an engine.
    "@grpc/grpc-js": {
        esModule: true,
        exports: [
            "credentials",
            "Metadata",
            "logVerbosity",
            "status",
            "connectivityState",
            "propagate",
            "compressionAlgorithms",
            "Client",
            "loadPackageDefinition",
            "makeClientConstructor",
            "makeGenericClientConstructor",
            "Channel",
            "closeClient",
            "waitForClientReady",
            "ChannelCredentials",
            "CallCredentials",
            "loadObject",
            "load",
            "setLogger",
            "setLogVerbosity",
            "Server",
            "ServerCredentials",
            "getClientChannel",
            "StatusBuilder",
            "ListenerBuilder",
            "RequesterBuilder",
            "InterceptingCall",
            "InterceptorConfigurationError",
            "getChannelzServiceDefinition",
            "getChannelzHandlers",
            "addAdminServicesToServer",
            "ServerListenerBuilder",
            "ResponderBuilder",
            "ServerInterceptingCall",
            "ServerMetricRecorder",
            "experimental",
        ],
    },
    // Generated gRPC stubs, which build their clients from @grpc/grpc-js at load.
    "@pulumi/pulumi/proto/analyzer_grpc_pb": { esModule: false, exports: ["AnalyzerService", "AnalyzerClient"] },
    "@pulumi/pulumi/proto/callback_grpc_pb": { esModule: false, exports: ["CallbacksService", "CallbacksClient"] },
    "@pulumi/pulumi/proto/engine_grpc_pb": { esModule: false, exports: ["EngineService", "EngineClient"] },
    "@pulumi/pulumi/proto/provider_grpc_pb": {
        esModule: false,
        exports: ["ResourceProviderService", "ResourceProviderClient"],
    },
    "@pulumi/pulumi/proto/resource_grpc_pb": {
        esModule: false,
        exports: ["ResourceMonitorService", "ResourceMonitorClient"],
    },
};

/** Where the SDK finds `request`: its own modules by path, packages from its runtime folder. */
export function sdkModuleFile(request: string): string {
    return require.resolve(request, { paths: [path.dirname(require.resolve("@pulumi/pulumi/runtime/settings"))] });
}

/** Whether the real module behind a LAZY_SDK_MODULES entry has not been loaded (its stand-in is in place). */
export function isDeferred(request: string): boolean {
    const cached = require.cache[sdkModuleFile(request)];
    return cached !== undefined && standIns.has(cached);
}

/** Stand-ins for the lazy modules: marked `__esModule`, each export a getter of the real one. */
function deferLazyModules(): void {
    for (const [request, { exports: names }] of Object.entries(LAZY_SDK_MODULES)) {
        putStandIn(sdkModuleFile(request), (exports, real) => {
            Object.defineProperty(exports, "__esModule", { value: true });
            for (const name of names)
                Object.defineProperty(exports, name, { enumerable: true, get: () => real()[name] });
        });
    }
}

deferLazyModules();

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
