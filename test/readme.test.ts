import * as assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DIAGRAM_FILE, PROJECT_FILE, productionDiagram, renderReadme, syncDocs } from "../tools/docs";
import { REPO_ROOT } from "../tools/sim";

const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

describe("README and generated docs", () => {
    let diagram: string;
    before(async () => {
        diagram = await productionDiagram();
    });

    it("commits the architecture diagram the production stack declares (run `npm run docs`)", () => {
        assert.equal(readFileSync(DIAGRAM_FILE, "utf8"), diagram);
    });

    it("has an up-to-date configuration table and diagram (run `npm run docs`)", () => {
        assert.equal(readme, renderReadme(readme, diagram));
    });

    it("`npm run docs` says up to date when nothing changed, and names what it updated otherwise", async () => {
        // A copy of the files under a scratch root laid out like the repository.
        const root = mkdtempSync(path.join(tmpdir(), "docs-"));
        mkdirSync(path.join(root, "docs"));
        const files = {
            project: path.join(root, "Pulumi.yaml"),
            readme: path.join(root, "README.md"),
            diagram: path.join(root, "docs", "architecture.mmd"),
        };
        copyFileSync(PROJECT_FILE, files.project);
        copyFileSync(path.join(REPO_ROOT, "README.md"), files.readme);
        copyFileSync(DIAGRAM_FILE, files.diagram);
        const sameDiagram = async () => diagram;
        assert.equal(
            await syncDocs(files, sameDiagram),
            "Pulumi.yaml, docs/architecture.mmd and README.md are up to date",
        );
        writeFileSync(files.diagram, "flowchart LR\n");
        assert.equal(await syncDocs(files, sameDiagram), "updated docs/architecture.mmd");
        assert.equal(readFileSync(files.diagram, "utf8"), diagram);
    });

    it("gives the set-up, main-job and test commands that CI and package.json use", () => {
        assert.match(readme, /^npm ci {2,}/m);
        assert.match(readme, /^npm run preview:offline -- --stack staging {2,}/m);
        assert.match(readme, /^npm test {2,}/m);
        const ci = readFileSync(path.join(REPO_ROOT, ".ci", "run"), "utf8");
        assert.match(ci, /^set -euo pipefail$/m);
        assert.match(ci, /^npm ci\b/m);
        assert.match(ci, /^npm test$/m);
        const scripts = (
            JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
                scripts: Record<string, string>;
            }
        ).scripts;
        assert.ok(scripts["preview:offline"] && scripts.test && scripts.bench && scripts["policy:check"]);
    });
});
