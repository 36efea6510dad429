import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * The repository root: the nearest folder above this module that holds Pulumi.yaml. Searched for,
 * not fixed: the tools also run from a bundle under node_modules/.cache (tools/launch).
 */
export const REPO_ROOT = projectRootAbove(__dirname);

function projectRootAbove(start: string): string {
    for (let dir = start; ; dir = path.dirname(dir)) {
        if (existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml in ${start} or any folder above it`);
    }
}

interface ProjectConfigEntry {
    type?: string;
    default?: unknown;
    description?: string;
    items?: { type: string };
}

export interface ProjectFile {
    name: string;
    config: Readonly<Record<string, ProjectConfigEntry>>;
}

export class StackFileError extends Error {}

// Parsed files by path, with the text they were parsed from: Pulumi.yaml is read for every stack and
// parsing it costs far more than reading it; an edited file is parsed again.
const parsed = new Map<string, { text: string; doc: unknown }>();

/** Parses a YAML file (a fresh copy each call); a syntax error is bad input, reported in one line naming the file. */
function readYaml(file: string): unknown {
    const text = readFileSync(file, "utf8");
    const cached = parsed.get(file);
    if (cached?.text === text) return structuredClone(cached.doc);
    try {
        const doc: unknown = parse(text);
        parsed.set(file, { text, doc });
        return structuredClone(doc);
    } catch (error) {
        if ((error as Error).name !== "YAMLParseError") throw error;
        const reason = (error as Error).message.split("\n")[0].replace(/:$/, "");
        throw new StackFileError(`${path.basename(file)} is not valid YAML: ${reason}.`);
    }
}

export function readProjectFile(root = REPO_ROOT): ProjectFile {
    const doc = readYaml(path.join(root, "Pulumi.yaml")) as ProjectFile;
    return { name: doc.name, config: doc.config ?? {} };
}

/** Stacks that have a `Pulumi.<stack>.yaml` beside `Pulumi.yaml`. */
export function knownStacks(root = REPO_ROOT): string[] {
    return readdirSync(root)
        .map((file) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/** Pulumi hands config to programs as strings; objects and arrays as JSON. */
function toConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

export interface RawStackConfig {
    /** `namespace:key` -> string, exactly what `pulumi.runtime.allConfig()` returns in a real run. */
    values: Record<string, string>;
    /** Keys whose stack-file value is `secure:`; they get a placeholder, never decrypted. */
    secretKeys: string[];
}

/**
 * Builds the config a real `pulumi up` would hand the program: `Pulumi.yaml` defaults,
 * overlaid by `Pulumi.<stack>.yaml`. Secure values are replaced by a placeholder.
 */
export function readStackConfig(stack: string, root = REPO_ROOT): RawStackConfig {
    const stacks = knownStacks(root);
    if (!stacks.includes(stack)) {
        throw new StackFileError(
            `unknown stack ${JSON.stringify(stack)}: expected one of ${stacks.join(", ")} (a Pulumi.<stack>.yaml file).`,
        );
    }
    const project = readProjectFile(root);
    const values: Record<string, string> = {};
    for (const [key, entry] of Object.entries(project.config)) {
        const fullKey = key.includes(":") ? key : `${project.name}:${key}`;
        if (entry && typeof entry === "object" && "default" in entry) values[fullKey] = toConfigString(entry.default);
    }
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    const doc = (existsSync(file) ? readYaml(file) : {}) as { config?: Record<string, unknown> } | null;
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(doc?.config ?? {})) {
        const fullKey = key.includes(":") ? key : `${project.name}:${key}`;
        if (value && typeof value === "object" && "secure" in (value as object)) {
            values[fullKey] = "[secret]";
            secretKeys.push(fullKey);
        } else {
            values[fullKey] = toConfigString(value);
        }
    }
    return { values, secretKeys };
}

/** Applies `key=value` what-if overrides; a bare key belongs to the project namespace. */
export function applyOverrides(
    config: RawStackConfig,
    overrides: readonly string[],
    projectName: string,
): RawStackConfig {
    const values = { ...config.values };
    for (const override of overrides) {
        const eq = override.indexOf("=");
        if (eq <= 0) throw new StackFileError(`--set expects key=value; got ${JSON.stringify(override)}.`);
        const key = override.slice(0, eq);
        values[key.includes(":") ? key : `${projectName}:${key}`] = override.slice(eq + 1);
    }
    return { ...config, values };
}

/**
 * The ECR repositories the simulated account holds: the bootstrap project's (`bootstrap/` of `root`,
 * else of this repository), its `imageRepositoryName` in each of its stacks. An app stack that names
 * another repository fails as it would against AWS.
 */
export function bootstrapRepositories(root = REPO_ROOT): string[] {
    let bootstrap = path.join(root, "bootstrap");
    if (!existsSync(path.join(bootstrap, "Pulumi.yaml"))) bootstrap = path.join(REPO_ROOT, "bootstrap");
    const key = `${readProjectFile(bootstrap).name}:imageRepositoryName`;
    const names = knownStacks(bootstrap).map((stack) => readStackConfig(stack, bootstrap).values[key]);
    return [...new Set(names.filter((name): name is string => name !== undefined))];
}
