import * as assert from "node:assert/strict";
import { ConfigError, parseStackConfig } from "../config";
import { observabilityArgProblems } from "../components";
import { ofType, readStackConfig, RecordedResource, runStack } from "../tools/sim";

/** Both stacks share one account (bootstrap): each budget must count its own stack's costs only. */
const BUDGET = "aws:budgets/budget:Budget";

function budgetOf(resources: RecordedResource[]): RecordedResource {
    const budgets = resources.filter((r) => r.type === BUDGET);
    assert.equal(budgets.length, 1);
    return budgets[0];
}

/** A budget's inputs with the stack's own name written as <stack>, so two stacks' budgets compare. */
function normalised(budget: RecordedResource, stack: string): unknown {
    return JSON.parse(JSON.stringify(budget.inputs).replaceAll(stack, "<stack>"));
}

describe("one budget per stack, both in one account", () => {
    let staging: RecordedResource;
    let production: RecordedResource;
    before(async () => {
        staging = budgetOf(ofType(await runStack("staging"), BUDGET));
        production = budgetOf(ofType(await runStack("production"), BUDGET));
    });

    it("filters each stack's budget on its own Stack cost-allocation tag", () => {
        assert.deepEqual(staging.inputs.costFilters, [{ name: "TagKeyValue", values: ["user:Stack$staging"] }]);
        assert.deepEqual(production.inputs.costFilters, [{ name: "TagKeyValue", values: ["user:Stack$production"] }]);
        assert.equal(staging.inputs.name, "migration-api-staging-monthly");
        assert.equal(production.inputs.name, "migration-api-production-monthly");
    });

    it("differs between the stacks only by the tag value, the names derived from the stack and the amount", () => {
        const { limitAmount: stagingLimit, ...stagingRest } = normalised(staging, "staging") as Record<string, unknown>;
        const { limitAmount: productionLimit, ...productionRest } = normalised(production, "production") as Record<
            string,
            unknown
        >;
        assert.deepEqual(stagingRest, productionRest);
        assert.deepEqual([stagingLimit, productionLimit], ["300", "2500"]);
        assert.deepEqual((stagingRest.costFilters as { values: string[] }[])[0].values, ["user:Stack$<stack>"]);
    });

    describe("bad input", () => {
        it("refuses a Stack tag other than the stack's name, so two stacks never share a budget", () => {
            const raw = { ...readStackConfig("production").values };
            raw["aws:defaultTags"] = JSON.stringify({
                tags: { ...JSON.parse(raw["aws:defaultTags"]).tags, Stack: "staging" },
            });
            assert.throws(
                () => parseStackConfig(raw, "production"),
                (error: unknown) => {
                    assert.ok(error instanceof ConfigError);
                    assert.deepEqual(error.problems, [
                        '`aws:defaultTags` tag Stack must be the stack\'s name, "production": the stack\'s budget counts only costs tagged with it; got "staging".',
                    ]);
                    return true;
                },
            );
        });

        it("refuses budget tags a TagKeyValue filter cannot express", () => {
            const problems = (tags: Record<string, string>) =>
                observabilityArgProblems(
                    {
                        loadBalancerArnSuffix: "app/lb/0123abcd",
                        targetGroupArnSuffix: "targetgroup/tg/0123abcd",
                        ecsClusterName: "c",
                        ecsServiceName: "s",
                        apiLogGroupName: "g",
                        dbClusterIdentifier: "db",
                        dbMaxConnections: 100,
                        minHealthyHosts: 2,
                        monthlyBudgetUsd: 10,
                        budgetCostAllocationTags: tags,
                    },
                    "migration-api-staging",
                );
            assert.deepEqual(problems({ Stack: "staging", "cost center": "a/b=c+d@e.f:g_h-i" }), []);
            assert.deepEqual(problems({ Stack: "stag$ing" }), [
                '`budgetCostAllocationTags` must have tag keys (at most 128 characters) and values (at most 256) of letters, digits, spaces and _.:/=+-@; got {"Stack":"stag$ing"}.',
            ]);
            assert.deepEqual(problems({ [`K${"k".repeat(128)}`]: "v" }).length, 1);
        });
    });
});
