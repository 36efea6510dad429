import * as assert from "node:assert/strict";
import * as path from "node:path";
import { ofType, readStackConfig, REPO_ROOT, simulate, StackRun } from "../../tools/sim";
import { COST_ALLOCATION_TAG } from "../../config";
import { parseBootstrapConfig } from "../config";

const PROJECT = "migration-api-bootstrap";
const PROGRAM = require.resolve("../index");
const TAG = "aws:costexplorer/costAllocationTag:CostAllocationTag";

function sharedConfig(overrides: Record<string, string> = {}): Record<string, string> {
    return { ...readStackConfig("shared", path.join(REPO_ROOT, "bootstrap")).values, ...overrides };
}

async function runBootstrap(config: Record<string, string>): Promise<StackRun> {
    return simulate({ project: PROJECT, stack: "shared", config }, () => {
        delete require.cache[PROGRAM];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(PROGRAM) as Record<string, unknown>;
    });
}

describe("bootstrap: the budgets' cost-allocation tag", () => {
    it("is the tag every stack's budget filters on", () => {
        assert.equal(COST_ALLOCATION_TAG, "Stack");
    });

    it("is not activated by the first bootstrap of an account (AWS lists a new tag key only up to 24 h later)", async () => {
        const run = await runBootstrap(sharedConfig());
        assert.equal(parseBootstrapConfig(sharedConfig(), "shared").activateCostAllocationTag, false);
        assert.deepEqual(ofType(run, TAG), []);
        assert.deepEqual(run.outputs.activeCostAllocationTags, []);
    });

    it("activates Stack once, account-wide, and keeps it active if the bootstrap is destroyed", async () => {
        const run = await runBootstrap(sharedConfig({ [`${PROJECT}:activateCostAllocationTag`]: "true" }));
        const tags = ofType(run, TAG);
        assert.equal(tags.length, 1);
        assert.deepEqual(tags[0].inputs, { tagKey: "Stack", status: "Active" });
        assert.equal(tags[0].retainOnDelete, true);
        assert.deepEqual(run.outputs.activeCostAllocationTags, ["Stack"]);
    });

    it("refuses a value that is not a boolean, naming the key", () => {
        assert.throws(
            () => parseBootstrapConfig(sharedConfig({ [`${PROJECT}:activateCostAllocationTag`]: "yes" }), "shared"),
            {
                message: [
                    'invalid config for stack "shared":',
                    '  - `migration-api-bootstrap:activateCostAllocationTag` must be true or false; got "yes".',
                ].join("\n"),
            },
        );
    });
});
