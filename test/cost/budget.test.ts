import * as assert from "node:assert/strict";
import { main } from "../../tools/preview-offline";

function capture() {
    const out: string[] = [];
    return { io: { out: (...l: string[]) => out.push(...l), err: () => undefined }, out };
}

describe("offline preview: estimate against the budget", function () {
    this.timeout(60_000);

    it("warns when the estimate at the stack's usage is over monthlyBudgetUsd", async () => {
        const c = capture();
        assert.equal(await main(["--stack", "staging", "--quiet", "--set", "monthlyBudgetUsd=100"], c.io), 0);
        assert.ok(
            c.out.some((l) =>
                /^warning: the estimated monthly cost of staging, \$[\d,.]+ \(cost\/usage\/staging\.json; npm run cost -- --stack staging\), is over its monthlyBudgetUsd of \$100\.00\.$/.test(
                    l,
                ),
            ),
            c.out.join("\n"),
        );
    });

    it("says nothing when the estimate is within the budget", async () => {
        const c = capture();
        assert.equal(await main(["--stack", "staging", "--quiet"], c.io), 0);
        assert.ok(!c.out.some((l) => l.startsWith("warning: the estimated monthly cost")), c.out.join("\n"));
    });
});
