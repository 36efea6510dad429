import * as assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { main } from "../../tools/cost";
import { loadUsage, USAGE_DEFAULTS } from "../../tools/cost/usage";

function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (...l: string[]) => out.push(...l), err: (t: string) => err.push(t) }, out, err };
}
const dir = mkdtempSync(path.join(tmpdir(), "cost-test-"));
const file = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
};

describe("npm run cost", function () {
    this.timeout(60_000);

    it("prints the table, the split, the total and the assumptions; --json writes the estimate", async () => {
        const c = capture();
        const json = path.join(dir, "staging.json");
        assert.equal(await main(["--stack", "staging", "--json", json], c.io), 0);
        const text = c.out.join("\n");
        assert.match(text, /^Monthly cost estimate of migration-api\/staging \(us-east-1/);
        assert.match(
            text,
            /fixed \$[\d,.]+ \+ usage-driven \$[\d,.]+ = total \$[\d,.]+ per month \(plus 1 unpriced resource\(s\), not counted\)\n[^]*Unpriced \(not counted\):\n {2}- aws:budgets\/budget:Budget observability-budget: no price model for this type\n/,
        );
        assert.match(text, /database\s+rds\/clusterInstance database-instance-1\s+\$0\.00\s+\$43\.80/);
        assert.match(text, /Usage assumptions \(cost\/usage\/staging\.json\):\n {2}requestsPerMonth = 500000\n/);
        assert.match(text, /averageResponseKb = 20 \(default\)/);
        assert.deepEqual(c.err, []);
        const doc = JSON.parse((await import("node:fs")).readFileSync(json, "utf8")) as {
            totalUsd: number;
            stack: string;
        };
        assert.equal(doc.stack, "staging");
        assert.ok(text.includes(`total $${doc.totalUsd.toLocaleString("en-US", { minimumFractionDigits: 2 })}`));
    });

    const bad: [string, string[], RegExp][] = [
        ["a missing --stack", [], /^error: --stack is required\.$/],
        [
            "an unknown stack",
            ["--stack", "qa"],
            /^error: unknown stack "qa": expected one of production, production-dr, staging/,
        ],
        [
            "an unreadable usage file",
            ["--stack", "staging", "--usage", path.join(dir, "nope.json")],
            /^error: cannot read the usage file .*nope\.json: ENOENT/,
        ],
        [
            "a usage file that is not JSON",
            ["--stack", "staging", "--usage", file("bad.json", "{ requests: ")],
            /^error: cannot read the usage file .*bad\.json: /,
        ],
        [
            "an unknown usage key",
            ["--stack", "staging", "--usage", file("key.json", '{"requestPerMonth": 5}')],
            /^error: the usage file .* has an unknown key `requestPerMonth`; allowed: requestsPerMonth, /,
        ],
        [
            "a negative amount",
            ["--stack", "staging", "--usage", file("neg.json", '{"natGbPerMonth": -1}')],
            /^error: `natGbPerMonth` in .* must be a number >= 0; got -1\.$/,
        ],
        ["a bad config override", ["--stack", "staging", "--set", "dbInstanceCount=1"], /^error: .*dbInstanceCount/],
    ];
    for (const [what, argv, message] of bad) {
        it(`exits 2 with one error line on ${what}`, async () => {
            const c = capture();
            assert.equal(await main(argv, c.io), 2);
            assert.match(c.err[0], message);
            assert.equal(c.err.filter((l) => l.startsWith("error:")).length, 1, c.err.join("\n"));
            assert.deepEqual(c.out, []);
        });
    }

    it("takes defaults for keys a usage file leaves out, and per-resource maps keep the `*` default", () => {
        const loaded = loadUsage("x", file("partial.json", '{"logGbPerDay": {"api-logs": 2}}'));
        assert.equal(loaded.usage.requestsPerMonth, USAGE_DEFAULTS.requestsPerMonth);
        assert.deepEqual(loaded.usage.logGbPerDay, { "*": 0.05, "api-logs": 2 });
        assert.deepEqual(loaded.fromFile, ["logGbPerDay"]);
        assert.equal(loadUsage("no-such-stack").file, undefined);
        assert.deepEqual(loadUsage("no-such-stack").usage, USAGE_DEFAULTS);
    });
});
