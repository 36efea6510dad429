import { withoutPromiseStacks } from "./sdkHooks"; // first: before the SDK loads
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { createAwsMocks } from "./awsMocks";
import { AWSX_VPC, AwsxVpcArgs, planAwsxVpc, registerAwsxVpcChildren } from "./awsxVpc";
import { applyOverrides, readProjectFile, readStackConfig, REPO_ROOT } from "./stackFiles";

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
}

export interface RunOptions {
    /** `key=value` config overrides; a bare key is in the project's namespace. */
    overrides?: readonly string[];
    /** Replaces the stack file's config entirely (tests of bad config). */
    rawConfig?: Record<string, string>;
    /** Run as a preview (outputs the mocks omit stay unknown). Default false. */
    preview?: boolean;
    /** The program to run. Default: the repository's index.ts. */
    program?: string;
    /** Receives every registration as it happens (see `SimulationSettings.record`). */
    record?: RecordedResource[];
    /** Where Pulumi.yaml and the stack files are read. Default: the repository root. */
    root?: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the monitor request is protobuf-generated and untyped here */
function recordingMonitor(monitor: any, resources: Map<string, RecordedResource>, region: string): void {
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
        if (recorded && req.getOutputs())
            recorded.componentOutputs = pulumi.runtime.deserializeProperties(req.getOutputs());
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

export interface SimulationSettings {
    project: string;
    stack: string;
    /** `namespace:key` -> string config, as Pulumi hands it to programs. */
    config: Record<string, string>;
    secretKeys?: string[];
    preview?: boolean;
    /** Receives every registration as it happens, so a caller can inspect a run that failed. */
    record?: RecordedResource[];
}

/**
 * Runs `body` under simulated AWS with Pulumi's mock runtime and a recorder of every
 * registration; returns what was registered and `body`'s resolved exports. Runs are
 * serialised: the Pulumi runtime is process-global. Component tests call this directly.
 */
export async function simulate(
    settingsIn: SimulationSettings,
    body: () => Record<string, unknown> | void | Promise<Record<string, unknown> | void>,
): Promise<StackRun> {
    if (running) throw new Error("simulate: a simulation is already running in this process; await it first");
    running = true;
    const restorePromiseStacks = withoutPromiseStacks();
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    // Without an engine the SDK writes errors it logs to console.error; a real run fails on them.
    const runtimeErrors: string[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => {
        const text = args.map(String).join(" ");
        if (text.startsWith("error: [runtime] ")) runtimeErrors.push(text.slice("error: [runtime] ".length));
        else consoleError(...args);
    };
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
        await pulumi.runtime.setMocks(
            createAwsMocks({ region, defaultTags }),
            project,
            stack,
            settingsIn.preview ?? false,
        );
        const resources = new Map<string, RecordedResource>();
        recordingMonitor(settings.getMonitor(), resources, region);

        if (settingsIn.record) {
            const sink = settingsIn.record;
            const set = resources.set.bind(resources);
            resources.set = (urn, resource) => {
                sink.push(resource);
                return set(urn, resource);
            };
        }
        const exported = (await body()) ?? {};
        const outputs = (await resolveExports({ ...exported })) as Record<string, unknown>;
        await settings.waitForRPCs();
        // Let rejected registrations surface through the rejection handler before we judge.
        await new Promise((resolve) => setImmediate(resolve));
        if (failures.length > 0) throw failures[0];
        if (runtimeErrors.length > 0) throw new Error(runtimeErrors.join("\n"));
        return { project, stack, resources: [...resources.values()], outputs };
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
        console.error = consoleError;
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
    const program = require.resolve(options.program ?? path.join(REPO_ROOT, "index.ts"));
    return simulate(
        { project, stack, config: raw.values, secretKeys: raw.secretKeys, preview: options.preview },
        () => {
            delete require.cache[program];
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(program) as Record<string, unknown>;
        },
    );
}

/** Convenience for tests: resources of one type token. */
export function ofType(run: StackRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}
