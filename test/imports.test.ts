import * as assert from "assert";
import { execFileSync } from "child_process";
import { importCycles, importGraph } from "../tools/importGraph";
import { REPO_ROOT } from "../tools/sim";

const trackedTypeScript = (): string[] =>
    execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
    })
        .split("\n")
        .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"));

describe("imports", () => {
    it("finds a cycle through a type-only import and a re-export", () => {
        const graph = new Map([
            ["a.ts", ["b.ts"]],
            ["b.ts", ["c/index.ts"]],
            ["c/index.ts", ["a.ts"]],
            ["d.ts", ["a.ts"]],
        ]);
        assert.deepStrictEqual(importCycles(graph), [["a.ts", "b.ts", "c/index.ts"]]);
    });

    it("has no import cycle anywhere in the project", () => {
        const files = trackedTypeScript();
        const graph = importGraph(REPO_ROOT, files);
        assert.ok(
            graph.get("components/index.ts")?.includes("components/network/index.ts"),
            "the graph resolves folder imports",
        );
        assert.deepStrictEqual(
            importCycles(graph).map((cycle) => cycle.join(" -> ")),
            [],
        );
    });

    it("reaches every component through components/index.ts, its one public entry", () => {
        const graph = importGraph(REPO_ROOT, trackedTypeScript());
        const outsideImports = [...graph.entries()]
            .filter(([file]) => !file.startsWith("components/") && !file.startsWith("test/components/"))
            .flatMap(([file, targets]) =>
                targets.filter((t) => t.startsWith("components/")).map((t) => `${file} -> ${t}`),
            );
        const deepImports = outsideImports.filter((edge) => !/-> components\/([a-z]+\/)?index\.ts$/.test(edge));
        assert.deepStrictEqual(deepImports, []);
    });
});
