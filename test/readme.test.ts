import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { DIAGRAM_FILE, productionDiagram, renderReadme } from "../tools/docs";
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
