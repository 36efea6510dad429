import { withoutPromiseStacks } from "./sdkHooks"; // first: before the SDK loads
import * as pulumi from "@pulumi/pulumi";
import { checkedInputs, createAwsMocks } from "./awsMocks";
import type { SimulationOptions } from "./options";
import { AWSX_VPC, AwsxVpcArgs, planAwsxVpc, registerAwsxVpcChildren } from "./awsxVpc";
import { applyOverrides, bootstrapRepositories, readProjectFile, readStackConfig } from "./stackFiles";
import { declareStack } from "../../stack";

/** One resource as the program registered it with the (simulated) engine. */
export interface RecordedResource {
    urn: string;
    /** The simulated provider id ("" for components). */
    id: string;
    type: string;
    name: string;
    /** URN of the parent, or undefined for a top-level resource. */
    parent: string | undefined;
    custom: boolean;
    remote: boolean;
    /** Provider reference (`urn::id`), when one was given explicitly. */
    provider: string | undefined;
    inputs: Record<string, unknown>;
    /** A custom resource's inputs after the provider's Check (auto-name, `tagsAll`): what the engine stores. */
    checked?: Record<string, unknown>;
    /** The simulated provider's answer: inputs plus computed ids, ARNs, names. */
    state: Record<string, unknown>;
    /** Outputs a component registered with `registerOutputs`. */
    componentOutputs?: Record<string, unknown>;
    /**
     * A remote component's Construct call: the args the program passed and the outputs the
     * provider answered. The engine itself holds `{}` for it (`inputs` and `state` are empty).
     */
    construct?: { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    deleteBeforeReplace: boolean;
    dependencies: string[];
}

export interface StackRun {
    project: string;
    stack: string;
    resources: RecordedResource[];
    outputs: Record<string, unknown>;
    /** Warnings the program logged (`pulumi.log.warn`), e.g. placeholders in the stack file. */
    warnings: string[];
}

export interface RunOptions {
    /** `key=value` config overrides; a bare key is in the project's namespace. */
    overrides?: readonly string[];
    /** Replaces the stack file's config entirely (tests of bad config). */
    rawConfig?: Record<string, string>;
    /** Run as a preview (outputs the mocks omit stay unknown). Default false. */
    preview?: boolean;
    /** A program module to run instead of the repository's (`declareStack`, what index.ts exports). */
    program?: string;
    /** Receives every registration as it happens (see `SimulationSettings.record`). */
    record?: RecordedResource[];
    /** Image tags or digests the simulated ECR lacks (see `SimulationOptions.missingImages`). */
    missingImages?: readonly string[];
    /** Run as the first `pulumi preview` of a new stack (implies `preview`). Default false. */
    firstPreview?: boolean;
    /** Where Pulumi.yaml and the stack files are read. Default: the repository root. */
    root?: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the monitor request is protobuf-generated and untyped here */
function recordingMonitor(monitor: any, resources: Map<string, RecordedResource>, options: SimulationOptions): void {
    const { region } = options;
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, resp?: any) => void) =>
        registerResource(req, (err: unknown, resp?: any) => {
            if (err || !resp) return callback(err, resp);
            const urn: string = resp.getUrn();
            const remote: boolean = req.getRemote();
            const inputs = pulumi.runtime.deserializeProperties(req.getObject());
            const state = resp.getObject() ? pulumi.runtime.deserializeProperties(resp.getObject()) : {};
            resources.set(urn, {
                urn,
                id: resp.getId() ?? "",
                type: req.getType(),
                name: req.getName(),
                parent: req.getParent() || undefined,
                custom: req.getCustom(),
                remote,
                provider: req.getProvider() || undefined,
                inputs: remote ? {} : inputs,
                ...(req.getCustom()
                    ? { checked: checkedInputs(req.getType(), req.getName(), inputs, options.defaultTags) }
                    : {}),
                state: remote ? {} : state,
                ...(remote ? { construct: { inputs, outputs: state } } : {}),
                protect: req.getProtect() === true,
                retainOnDelete: req.getRetainondelete() === true,
                ignoreChanges: req.getIgnorechangesList(),
                deleteBeforeReplace: req.getDeletebeforereplace() === true,
                dependencies: req.getDependenciesList(),
            });
            if (!remote || req.getType() !== AWSX_VPC) return callback(err, resp);
            // Construct answers once the provider has registered the component's children.
            let plan;
            try {
                plan = planAwsxVpc(req.getName(), inputs as AwsxVpcArgs, region);
            } catch (e) {
                return callback(e);
            }
            registerAwsxVpcChildren(urn, plan).then(
                () => callback(err, resp),
                (e: unknown) => callback(e),
            );
        });
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp?: any) => void) => {
        const recorded = resources.get(req.getUrn());
        // A component's outputs in the engine's state are the ones it registers.
        if (recorded && req.getOutputs())
            recorded.state = recorded.componentOutputs = pulumi.runtime.deserializeProperties(req.getOutputs());
        registerResourceOutputs(req, callback);
    };
}

/** Resolves every Output inside a program's exports into plain values (unknowns as undefined). */
async function resolveExports(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) return resolveExports(await (value as any).promise());
    if (value instanceof Promise) return resolveExports(await value);
    if (Array.isArray(value)) return Promise.all(value.map(resolveExports));
    if (value && typeof value === "object" && !pulumi.Resource.isInstance(value)) {
        const entries = await Promise.all(
            Object.entries(value).map(async ([k, v]) => [k, await resolveExports(v)] as const),
        );
        return Object.fromEntries(entries);
    }
    return value;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

// Internal SDK helper: resolves once every RPC (registration, invoke) has finished.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void>; getMonitor(): unknown };

let running = false;

/** Sends console lines starting with `prefix` to `sink` (prefix removed); returns the restorer. */
function collectConsole(method: "error" | "warn", prefix: string, sink: string[]): () => void {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
        const text = args.map(String).join(" ");
        if (text.startsWith(prefix)) sink.push(text.slice(prefix.length));
        else original(...args);
    };
    return () => {
        console[method] = original;
    };
}

export interface SimulationSettings {
    project: string;
    stack: string;
    /** `namespace:key` -> string config, as Pulumi hands it to programs. */
    config: Record<string, string>;
    secretKeys?: string[];
    preview?: boolean;
    /** See `RunOptions.firstPreview`. */
    firstPreview?: boolean;
    /** Receives every registration as it happens, so a caller can inspect a run that failed. */
    record?: RecordedResource[];
    /** Image tags or digests the simulated ECR lacks; every other image is present. */
    missingImages?: readonly string[];
    /** The ECR repositories the account holds. Default: the bootstrap project's (`bootstrapRepositories`). */
    repositories?: readonly string[];
}

/**
 * Runs `body` under simulated AWS with Pulumi's mock runtime and a recorder of every
 * registration; returns what was registered and `body`'s resolved exports. Runs are
 * serialised: the Pulumi runtime is process-global. Component tests call this directly.
 */
export async function simulate(settingsIn: SimulationSettings, body: () => unknown): Promise<StackRun> {
    if (running) throw new Error("simulate: a simulation is already running in this process; await it first");
    running = true;
    const restorePromiseStacks = withoutPromiseStacks();
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    // Without an engine the SDK writes what it logs to the console: errors (a real run fails on
    // them) and warnings (reported by the caller), collected here rather than printed mid-run.
    const runtimeErrors: string[] = [];
    const warnings: string[] = [];
    const restoreError = collectConsole("error", "error: [runtime] ", runtimeErrors);
    const restoreWarn = collectConsole("warn", "warning: [runtime] ", warnings);
    try {
        const { project, stack, config } = settingsIn;
        pulumi.runtime.setAllConfig(config, settingsIn.secretKeys ?? []);
        const region = config["aws:region"] ?? "us-east-1";
        let defaultTags: Record<string, string> = {};
        try {
            defaultTags =
                (JSON.parse(config["aws:defaultTags"] ?? "{}") as { tags?: Record<string, string> }).tags ?? {};
        } catch {
            // config.ts reports malformed defaultTags; the simulation just goes without.
        }
        const simulation: SimulationOptions = {
            region,
            defaultTags,
            firstPreview: settingsIn.firstPreview === true,
            missingImages: settingsIn.missingImages,
            repositories: settingsIn.repositories ?? bootstrapRepositories(),
        };
        await pulumi.runtime.setMocks(
            createAwsMocks(simulation),
            project,
            stack,
            (settingsIn.preview ?? false) || simulation.firstPreview === true,
        );
        const resources = new Map<string, RecordedResource>();
        recordingMonitor(settings.getMonitor(), resources, simulation);

        if (settingsIn.record) {
            const sink = settingsIn.record;
            const set = resources.set.bind(resources);
            resources.set = (urn, resource) => {
                sink.push(resource);
                return set(urn, resource);
            };
        }
        const exported = ((await body()) ?? {}) as Record<string, unknown>;
        const outputs = (await resolveExports({ ...exported })) as Record<string, unknown>;
        await settings.waitForRPCs();
        // Let rejected registrations surface through the rejection handler before we judge.
        await new Promise((resolve) => setImmediate(resolve));
        if (failures.length > 0) throw failures[0];
        if (runtimeErrors.length > 0) throw new Error(runtimeErrors.join("\n"));
        return { project, stack, resources: [...resources.values()], outputs, warnings };
    } catch (error) {
        // A failed run still has work in flight (invokes whose inputs failed log their errors a turn
        // later; waitForRPCs would wait for registrations that never complete). Keep capturing the SDK's
        // error log until a turn passes quietly, so nothing leaks past the run; the first failure is reported.
        let seen = -1;
        while (seen !== runtimeErrors.length) {
            seen = runtimeErrors.length;
            await new Promise((resolve) => setImmediate(resolve));
        }
        throw error;
    } finally {
        restorePromiseStacks();
        restoreError();
        restoreWarn();
        process.off("unhandledRejection", onRejection);
        running = false;
    }
}

/**
 * Runs the real program for `stack`: the stack's real config (Pulumi.yaml defaults +
 * Pulumi.<stack>.yaml, plus overrides) under simulated AWS.
 */
export async function runStack(stack: string, options: RunOptions = {}): Promise<StackRun> {
    const project = readProjectFile(options.root).name;
    const raw = options.rawConfig
        ? { values: options.rawConfig, secretKeys: [] }
        : applyOverrides(readStackConfig(stack, options.root), options.overrides ?? [], project);
    const program = options.program && require.resolve(options.program);
    return simulate(
        {
            project,
            stack,
            config: raw.values,
            secretKeys: raw.secretKeys,
            preview: options.preview,
            firstPreview: options.firstPreview,
            missingImages: options.missingImages,
            repositories: bootstrapRepositories(options.root),
        },
        program ? () => runProgramModule(program) : declareStack,
    );
}

/**
 * Runs a program module as Pulumi's Node.js language host does (pulumi/pulumi
 * sdk/nodejs/cmd/run/run.ts): requires it, and when its export is a function, calls it; the result
 * is the stack outputs. Loaded afresh, so a second stack runs the program again.
 */
export function runProgramModule(program: string): unknown {
    delete require.cache[program];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return programOutputs(require(program));
}

/** A program module's exports as the language host takes them: a function is called for the outputs. */
export function programOutputs(exported: unknown): unknown {
    return exported instanceof Function ? exported() : exported;
}

/** Convenience for tests: resources of one type token. */
export function ofType(run: StackRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}
