import { readFileSync } from "node:fs";

/**
 * Turns saved or in-process resource lists into the evaluator's input, in the two views the
 * engine (CLI 3.248) gives a policy pack:
 *
 * - `props`, for resource policies (`Analyze`): the inputs after the provider's Check, so
 *   auto-names and `tagsAll` are filled in, and no outputs, no id
 *   (pulumi/pulumi `pkg/resource/deploy/step_generator.go`: `Properties: inputs` after `prov.Check`);
 * - `outputs`, for stack policies (`AnalyzeStack`): the outputs only, for every resource of the
 *   stack, components and remote components included (same file, `AnalyzeResources`:
 *   `Properties: v.Outputs`).
 *
 * A remote component (`awsx:ec2:Vpc`) is `{}` in both views: its provider registers it with empty
 * props and no outputs (see tools/sim/awsxVpc.ts).
 *
 * Two file formats:
 *
 * - the offline preview's `--json` file: `{ "resources": [{ urn, id, type, name, parent, custom,
 *   protect, inputs, checked?, state, construct? }] }` (the simulation's `RecordedResource`s):
 *   `checked` (else `inputs`) is the resource view, `state` the stack view;
 * - `pulumi stack export`: `{ "deployment": { "resources": [{ urn, type, id, inputs, outputs,
 *   parent, protect, dependencies }] } }`: the engine stores the checked inputs as `inputs`, so
 *   `inputs` is the resource view and `outputs` the stack view, as the engine's own
 *   `pulumi policy analyze` does (`pkg/resource/deploy/analyze_snapshot.go`).
 *
 * Unknown values: Pulumi's wire sentinel (`UNKNOWN`) and the SDK's in-process `Unknown` both
 * become `UNKNOWN`, which the evaluator's proxy turns into "cannot judge" on access. Secrets
 * become their plaintext when a file carries it, and `UNKNOWN` when only ciphertext is present.
 */

/** Pulumi's wire sentinel for a value unknown during preview (also the policy SDK's unknown string). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** One resource as the evaluator takes it. */
export interface EvaluatorResource {
    urn: string;
    type: string;
    name: string;
    /** What resource policies see: the checked inputs. */
    props: Record<string, unknown>;
    /** What stack policies see: the outputs. Defaults to `props` (hand-built lists). */
    outputs?: Record<string, unknown>;
    /** URN of the parent resource. */
    parent?: string;
    protect?: boolean;
    /** URNs of the resources this one depends on. */
    dependencies?: string[];
}

/** The parts of the simulation's `RecordedResource` the evaluator uses. */
export interface RecordedLike {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    inputs?: Record<string, unknown>;
    /** Inputs after the provider's Check (custom resources). */
    checked?: Record<string, unknown>;
    /** The provider's outputs (a component's registered outputs). */
    state?: Record<string, unknown>;
    custom?: boolean;
    /** A remote component (recorded with its Construct call). */
    remote?: boolean;
    protect?: boolean;
    dependencies?: string[];
    /** The provider id: "" for a custom resource not created yet (first preview). */
    id?: string;
}

/** A resource file that cannot be read or is in neither format. */
export class ResourceFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ResourceFileError";
    }
}

/** Normalises a property value: unknowns to `UNKNOWN`, secrets to their plaintext. */
export function normalizeValue(value: unknown): unknown {
    if (value === null || typeof value !== "object") return value;
    if ((value as { __pulumiUnknown?: unknown }).__pulumiUnknown === true) return UNKNOWN;
    if (Array.isArray(value)) return value.map(normalizeValue);
    const record = value as Record<string, unknown>;
    if (record[SIG_KEY] === SECRET_SIG) {
        if ("plaintext" in record && typeof record.plaintext === "string") {
            try {
                return normalizeValue(JSON.parse(record.plaintext));
            } catch {
                return record.plaintext;
            }
        }
        if ("value" in record) return normalizeValue(record.value);
        return UNKNOWN;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = normalizeValue(v);
    return out;
}

function mergeProps(...layers: (Record<string, unknown> | undefined)[]): Record<string, unknown> {
    const merged: Record<string, unknown> = {};
    for (const layer of layers) {
        if (!layer) continue;
        for (const [k, v] of Object.entries(layer)) if (v !== undefined) merged[k] = normalizeValue(v);
    }
    return merged;
}

/** The name part of a URN (`urn:pulumi:stack::project::type::name`). */
export function nameFromUrn(urn: string): string {
    const at = urn.lastIndexOf("::");
    return at >= 0 ? urn.slice(at + 2) : urn;
}

/** A simulation record (or a preview-file entry) as an evaluator resource, in the engine's two views. */
export function fromRecorded(r: RecordedLike): EvaluatorResource {
    const id = r.id === undefined ? undefined : { id: r.id === "" ? UNKNOWN : r.id };
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        props: r.remote ? {} : mergeProps(r.checked ?? r.inputs),
        outputs: r.remote ? {} : r.custom ? mergeProps(r.state, id) : mergeProps(r.state),
        parent: r.parent || undefined,
        protect: r.protect === true,
        dependencies: r.dependencies ?? [],
    };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function entryProblem(entry: unknown, index: number, where: string): string | undefined {
    if (!isRecord(entry)) return `${where}[${index}] is not an object`;
    for (const field of ["urn", "type"]) {
        if (typeof entry[field] !== "string" || entry[field] === "")
            return `${where}[${index}] has no string "${field}"`;
    }
    return undefined;
}

/** Reads the offline preview's `{ resources: [...] }` document. */
export function fromPreviewDocument(doc: unknown, source = "the document"): EvaluatorResource[] {
    const list = isRecord(doc) ? doc.resources : undefined;
    if (!Array.isArray(list)) throw new ResourceFileError(`${source} has no "resources" list.`);
    return list.map((entry, i) => {
        const problem = entryProblem(entry, i, "resources");
        if (problem) throw new ResourceFileError(`${source}: ${problem}.`);
        const r = entry as Record<string, unknown>;
        return fromRecorded({
            urn: r.urn as string,
            type: r.type as string,
            name: typeof r.name === "string" ? r.name : nameFromUrn(r.urn as string),
            parent: typeof r.parent === "string" ? r.parent : undefined,
            inputs: isRecord(r.inputs) ? r.inputs : undefined,
            checked: isRecord(r.checked) ? r.checked : undefined,
            state: isRecord(r.state) ? r.state : undefined,
            custom: r.custom !== false,
            remote: isRecord(r.construct),
            protect: r.protect === true,
            dependencies: Array.isArray(r.dependencies) ? (r.dependencies as string[]) : undefined,
            id: typeof r.id === "string" ? r.id : undefined,
        });
    });
}

/** Reads `pulumi stack export` output (`deployment.resources`, with inputs and outputs). */
export function fromStackExport(doc: unknown, source = "the document"): EvaluatorResource[] {
    const deployment = isRecord(doc) ? doc.deployment : undefined;
    const list = isRecord(deployment) ? deployment.resources : undefined;
    if (!Array.isArray(list)) throw new ResourceFileError(`${source} has no "deployment.resources" list.`);
    return list.map((entry, i) => {
        const problem = entryProblem(entry, i, "deployment.resources");
        if (problem) throw new ResourceFileError(`${source}: ${problem}.`);
        const r = entry as Record<string, unknown>;
        return {
            urn: r.urn as string,
            type: r.type as string,
            name: nameFromUrn(r.urn as string),
            props: mergeProps(isRecord(r.inputs) ? r.inputs : undefined),
            outputs: mergeProps(
                typeof r.id === "string" && r.id !== "" ? { id: r.id } : undefined,
                isRecord(r.outputs) ? r.outputs : undefined,
            ),
            parent: typeof r.parent === "string" && r.parent !== "" ? r.parent : undefined,
            protect: r.protect === true,
            dependencies: Array.isArray(r.dependencies) ? (r.dependencies as string[]) : [],
        };
    });
}

/** Parses a resource file's text in either format. */
export function parseResourceFile(text: string, source: string): EvaluatorResource[] {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new ResourceFileError(`${source} is not valid JSON: ${(e as Error).message}.`);
    }
    if (isRecord(doc) && "deployment" in doc) return fromStackExport(doc, source);
    if (isRecord(doc) && "resources" in doc) return fromPreviewDocument(doc, source);
    throw new ResourceFileError(
        `${source} is neither an offline preview file ({"resources": [...]}) nor a stack export ({"deployment": {"resources": [...]}}).`,
    );
}

/** Reads and parses a resource file; every failure is a `ResourceFileError` with a one-line message. */
export function readResourceFile(path: string): EvaluatorResource[] {
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new ResourceFileError(
            `cannot read ${path}: ${code === "ENOENT" ? "no such file" : (e as Error).message}.`,
        );
    }
    return parseResourceFile(text, path);
}
