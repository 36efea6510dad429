import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { renderReadme } from "../tools/config-reference";
import { REPO_ROOT } from "../tools/sim";

const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

describe("README", () => {
    it("has an up-to-date configuration table (run `npm run docs:config`)", () => {
        assert.equal(readme, renderReadme(readme));
    });

    it("gives the set-up, main-job and test commands that CI and package.json use", () => {
        assert.match(readme, /^npm ci {2,}/m);
        assert.match(readme, /^npm run preview:offline -- --stack staging {2,}/m);
        assert.match(readme, /^npm test {2,}/m);
        const ci = readFileSync(path.join(REPO_ROOT, ".ci", "run"), "utf8");
        assert.match(ci, /^set -euo pipefail$/m);
        assert.match(ci, /^npm ci\b/m);
        assert.match(ci, /^npm test$/m);
    });
});
