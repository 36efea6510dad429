import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** Relative imports of each project TypeScript file (type-only and re-exports included), resolved to files. */
export function importGraph(root: string, files: readonly string[]): Map<string, string[]> {
    const known = new Set(files);
    const graph = new Map<string, string[]>();
    for (const file of files) {
        const info = ts.preProcessFile(fs.readFileSync(path.join(root, file), "utf8"), true, true);
        const targets = info.importedFiles
            .map((imported) => imported.fileName)
            .filter((spec) => spec.startsWith("."))
            .map((spec) => {
                const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
                return [`${base}.ts`, `${base}/index.ts`].find((candidate) => known.has(candidate));
            })
            .filter((target): target is string => target !== undefined);
        graph.set(file, [...new Set(targets)]);
    }
    return graph;
}

/** Every import cycle, each as the files around it starting from its smallest path; none means `[]`. */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
    const cycles = new Map<string, string[]>();
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (file: string): void => {
        state.set(file, "open");
        stack.push(file);
        for (const next of graph.get(file) ?? []) {
            if (state.get(next) === "open") {
                const cycle = stack.slice(stack.indexOf(next));
                const start = cycle.indexOf([...cycle].sort()[0]);
                const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
                cycles.set(rotated.join(" -> "), rotated);
            } else if (!state.has(next)) {
                visit(next);
            }
        }
        stack.pop();
        state.set(file, "done");
    };
    for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
    return [...cycles.values()];
}
