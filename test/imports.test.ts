import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { awsImportProblems } from "../tools/awsImports";
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

    describe("@pulumi/aws per service (tools/awsImports.ts)", () => {
        it("rejects the root, a single resource file and a local that shadows a service", () => {
            const wrong = [
                'import * as aws from "@pulumi/aws";',
                'import type * as awsTypes from "@pulumi/aws";',
                'const root = require("@pulumi/aws/index");',
                'import { Vpc } from "@pulumi/aws/ec2/vpc";',
                'export * from "@pulumi/aws/types/enums/ec2";',
                'import * as lb from "@pulumi/aws/lb";',
                'export const build = () => { const lb = new lb.LoadBalancer("alb", {}); return lb; };',
                'export const s3Module = () => import("@pulumi/aws/s3/bucket");',
            ].join("\n");
            const single = (spec: string, service: string) =>
                `bad.ts: imports the single file "${spec}"; import its service index "@pulumi/aws/${service}", which registers the service's resource modules`;
            const root =
                'bad.ts: imports the @pulumi/aws root, which loads every service; import each service instead (e.g. "@pulumi/aws/ec2")';
            assert.deepStrictEqual(awsImportProblems("bad.ts", wrong), [
                root,
                root,
                root,
                single("@pulumi/aws/ec2/vpc", "ec2"),
                single("@pulumi/aws/types/enums/ec2", "types"),
                single("@pulumi/aws/s3/bucket", "s3"),
                "bad.ts: a local `lb` shadows the @pulumi/aws import `lb`; rename the local",
            ]);
        });

        it("accepts service indexes, root-level modules and the type modules", () => {
            const right = [
                'import * as ec2 from "@pulumi/aws/ec2";',
                'import * as lb from "@pulumi/aws/lb";',
                'import { Provider } from "@pulumi/aws/provider";',
                'import { getRegionOutput } from "@pulumi/aws/getRegion";',
                'import type * as input from "@pulumi/aws/types/input";',
                'import type * as output from "@pulumi/aws/types/output";',
                'import type { Region } from "@pulumi/aws/types/enums";',
                'import * as awsxEc2 from "@pulumi/awsx/ec2";',
                "export const loadBalancer = new lb.LoadBalancer('alb', { tags: { lb: 'x' } });",
            ].join("\n");
            assert.deepStrictEqual(awsImportProblems("good.ts", right), []);
        });

        it("is followed by every TypeScript file of the project, tests included", () => {
            const problems = trackedTypeScript().flatMap((file) =>
                awsImportProblems(file, fs.readFileSync(path.join(REPO_ROOT, file), "utf8")),
            );
            assert.deepStrictEqual(problems, []);
        });

        it("registers a service's resource modules from its index, not from a resource file", () => {
            // glacier: a service the project never imports, so no other test in this worker loaded it.
            // The specifiers go through a variable so the project-wide check above does not see them.
            const load = createRequire(__filename);
            load("@pulumi/aws/glacier/vault");
            assert.strictEqual(pulumi.runtime.getResourceModule("aws", "glacier/vault", undefined), undefined);
            load("@pulumi/aws/glacier");
            assert.ok(pulumi.runtime.getResourceModule("aws", "glacier/vault", undefined));
        });
    });
});
