/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports -- the protos shipped in @pulumi/pulumi are untyped CommonJS */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import type { PolicyPackConfigFile, PolicyReport } from "../../policy/evaluator";
import type { EvaluatorResource } from "../../policy/resources";

/**
 * The real policy server: `policy/` started as Pulumi CLI 3.248 starts a pack, driven over gRPC
 * as the engine drives it. pulumi/pulumi v3.248.0:
 * - `sdk/nodejs/cmd/pulumi-language-nodejs/main.go` (`RunPlugin`): `node <run-policy-pack,
 *   resolved from the pack dir> <engine address> <pack dir>`, cwd the pack dir,
 *   `PULUMI_NODEJS_TYPESCRIPT=true` and the stack's PULUMI_NODEJS_{ORGANIZATION,PROJECT,STACK,DRY_RUN};
 *   the pack prints its port (@pulumi/policy `server.js`);
 * - `pkg/resource/analyzer/config.go` (`ReconcilePolicyPackConfig`): the config sent by
 *   Configure is each policy's level and schema defaults from GetAnalyzerInfo, then `all`, then
 *   the file's entries applied over them (unknown names and properties included, unchecked);
 * - `pkg/resource/deploy/step_generator.go`: Analyze per resource with its checked inputs, a
 *   diagnostic reported against that resource; AnalyzeStack with every resource's outputs, a
 *   diagnostic's URN kept when it names a resource of the stack, else the stack's.
 */

const PULUMI_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (module: string) => require(require.resolve(module, { paths: [PULUMI_DIR] }));
const grpc = fromPulumi("@grpc/grpc-js");
const analyzerRpc = require(path.join(PULUMI_DIR, "proto", "analyzer_grpc_pb.js"));
const analyzer = require(path.join(PULUMI_DIR, "proto", "analyzer_pb.js"));
const engineRpc = require(path.join(PULUMI_DIR, "proto", "engine_grpc_pb.js"));
const engine = require(path.join(PULUMI_DIR, "proto", "engine_pb.js"));
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb.js");
const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb.js");

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;
type Level = (typeof LEVELS)[number];

/** One diagnostic as the engine would show it. */
export interface Diagnostic {
    policy: string;
    enforcementLevel: "advisory" | "mandatory";
    urn: string;
    message: string;
}

export interface PolicyServer {
    /** The diagnostics the real server returns for the stack under `config`, sorted. */
    diagnostics(resources: readonly EvaluatorResource[], config: PolicyPackConfigFile): Promise<Diagnostic[]>;
    /** What the pack logged to the engine. */
    logs: string[];
    stop(): Promise<void>;
}

/** The evaluator's report as the engine would show it: violations, and "can't run" as advisory. */
export function reportDiagnostics(report: PolicyReport): Diagnostic[] {
    return sortDiagnostics([
        ...report.violations,
        ...report.undetermined.map((u) => ({ ...u, enforcementLevel: "advisory" as const })),
    ]);
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
    const key = (d: Diagnostic) => `${d.policy}\n${d.urn}\n${d.message}`;
    return list
        .map(({ policy, enforcementLevel, urn, message }) => ({ policy, enforcementLevel, urn, message }))
        .sort((a, b) => key(a).localeCompare(key(b)));
}

const call = (client: any, method: string, request: unknown): Promise<any> =>
    new Promise((resolve, reject) =>
        client[method](request, (err: unknown, response: unknown) => (err ? reject(err) : resolve(response))),
    );

/** A stub of the engine's gRPC service: the pack only logs to it. */
async function startEngineStub(logs: string[]): Promise<{ server: any; address: string }> {
    const server = new grpc.Server();
    const empty = (_call: unknown, callback: (e: null, r: unknown) => void) => callback(null, new Empty());
    server.addService(engineRpc.EngineService, {
        log: (c: any, callback: (e: null, r: unknown) => void) => {
            logs.push(c.request.getMessage());
            callback(null, new Empty());
        },
        getRootResource: (_c: unknown, callback: (e: null, r: unknown) => void) =>
            callback(null, new engine.GetRootResourceResponse()),
        setRootResource: (_c: unknown, callback: (e: null, r: unknown) => void) =>
            callback(null, new engine.SetRootResourceResponse()),
        startDebugging: empty,
        requirePulumiVersion: empty,
    });
    const port: number = await new Promise((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e: Error | null, p: number) =>
            e ? reject(e) : resolve(p),
        ),
    );
    return { server, address: `127.0.0.1:${port}` };
}

/** Starts the pack in `packDir` as the CLI does and resolves once it printed its port. */
export async function startPolicyServer(packDir: string, stack = "production"): Promise<PolicyServer> {
    const logs: string[] = [];
    const stub = await startEngineStub(logs);
    const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    const child: ChildProcess = spawn(process.execPath, [runPolicyPack, stub.address, path.resolve(packDir)], {
        cwd: packDir,
        env: {
            ...process.env,
            PULUMI_NODEJS_TYPESCRIPT: "true",
            PULUMI_NODEJS_ORGANIZATION: "organization",
            PULUMI_NODEJS_PROJECT: "migration-api",
            PULUMI_NODEJS_STACK: stack,
            PULUMI_NODEJS_DRY_RUN: "true",
        },
        stdio: ["ignore", "pipe", "pipe"],
    });
    const port: string = await new Promise((resolve, reject) => {
        let out = "";
        let err = "";
        child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            const line = out.split("\n")[0].trim();
            if (out.includes("\n") && /^\d+$/.test(line)) resolve(line);
        });
        child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
        child.on("exit", (code) => reject(new Error(`the policy pack exited (${code}) before serving:\n${out}${err}`)));
    });
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const info = await call(client, "getAnalyzerInfo", new Empty());

    const reconcile = (file: PolicyPackConfigFile) => {
        const result = new Map<string, { level: Level; props?: Record<string, unknown> }>();
        for (const policy of info.getPoliciesList()) {
            const schema = policy.getConfigschema()?.getProperties()?.toJavaScript() ?? {};
            const defaults = Object.entries(schema as Record<string, { default?: unknown }>).filter(
                ([, p]) => p.default !== undefined,
            );
            result.set(policy.getName(), {
                level: LEVELS[policy.getEnforcementlevel()],
                props: defaults.length ? Object.fromEntries(defaults.map(([k, p]) => [k, p.default])) : undefined,
            });
        }
        const entries = Object.entries(file).map(([name, entry]) => {
            if (typeof entry === "string") return [name, { level: entry as Level, props: {} }] as const;
            const { enforcementLevel, ...props } = entry;
            return [name, { level: enforcementLevel as Level | undefined, props }] as const;
        });
        const all = entries.find(([name]) => name === "all")?.[1].level;
        if (all) for (const [name, value] of result) result.set(name, { ...value, level: all });
        for (const [name, given] of entries) {
            const current = result.get(name);
            const props = Object.keys(given.props).length > 0 ? { ...current?.props, ...given.props } : current?.props;
            result.set(name, { level: given.level ?? current?.level ?? "advisory", props });
        }
        return result;
    };

    const options = (r: EvaluatorResource) => {
        const o = new analyzer.AnalyzerResourceOptions();
        o.setProtect(r.protect === true);
        if (r.parent) o.setParent(r.parent);
        return o;
    };
    const struct = (props: Record<string, unknown>) => Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));
    // The SDK sends a violation as "<policy description>\n<message>" (@pulumi/policy server.js).
    const messageOf = (d: any): string => {
        const description: string = d.getDescription();
        const message: string = d.getMessage();
        return description && message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message;
    };
    const levelOf = (d: any): Diagnostic["enforcementLevel"] =>
        LEVELS[d.getEnforcementlevel()] === "advisory" ? "advisory" : "mandatory";

    // The pack's answer to an Analyze call depends only on the request and the configuration, so the
    // answers to requests already sent under the same configuration are reused: a case that breaks one
    // resource sends that one again, not the whole stack.
    let configured = "";
    let answers = new Map<string, Diagnostic[]>();

    return {
        logs,
        async diagnostics(resources, config) {
            const reconciled = [...reconcile(config)];
            if (JSON.stringify(reconciled) !== configured) {
                const request = new analyzer.ConfigureAnalyzerRequest();
                const map = request.getPolicyconfigMap();
                for (const [name, { level, props }] of reconciled) {
                    const entry = new analyzer.PolicyConfig();
                    entry.setEnforcementlevel(LEVELS.indexOf(level));
                    entry.setProperties(Struct.fromJavaScript(props ?? {}));
                    map.set(name, entry);
                }
                await call(client, "configure", request);
                configured = JSON.stringify(reconciled);
                answers = new Map();
            }
            const found: Diagnostic[] = [];
            await Promise.all(
                resources.map(async (r) => {
                    const req = new analyzer.AnalyzeRequest();
                    req.setType(r.type);
                    req.setUrn(r.urn);
                    req.setName(r.name);
                    req.setProperties(struct(r.props));
                    req.setOptions(options(r));
                    const key = Buffer.from(req.serializeBinary()).toString("base64");
                    const known = answers.get(key);
                    if (known) return void found.push(...known);
                    const response = await call(client, "analyze", req);
                    const answer: Diagnostic[] = response.getDiagnosticsList().map((d: any) => ({
                        policy: d.getPolicyname(),
                        enforcementLevel: levelOf(d),
                        urn: r.urn,
                        message: messageOf(d),
                    }));
                    answers.set(key, answer);
                    found.push(...answer);
                }),
            );
            const stackRequest = new analyzer.AnalyzeStackRequest();
            stackRequest.setResourcesList(
                resources.map((r) => {
                    const a = new analyzer.AnalyzerResource();
                    a.setType(r.type);
                    a.setUrn(r.urn);
                    a.setName(r.name);
                    a.setProperties(struct(r.outputs ?? r.props));
                    a.setOptions(options(r));
                    if (r.parent) a.setParent(r.parent);
                    a.setDependenciesList(r.dependencies ?? []);
                    return a;
                }),
            );
            const urns = new Set(resources.map((r) => r.urn));
            const stackResponse = await call(client, "analyzeStack", stackRequest);
            for (const d of stackResponse.getDiagnosticsList()) {
                const urn = urns.has(d.getUrn()) ? d.getUrn() : "";
                found.push({ policy: d.getPolicyname(), enforcementLevel: levelOf(d), urn, message: messageOf(d) });
            }
            return sortDiagnostics(found);
        },
        async stop() {
            client.close();
            child.kill();
            await new Promise((resolve) => stub.server.tryShutdown(resolve));
        },
    };
}
