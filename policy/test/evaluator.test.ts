import * as assert from "node:assert/strict";
import {
    Policy,
    ResourceValidationPolicy,
    StackValidationPolicy,
    validateResourceOfType,
    validateStackResourcesOfType,
} from "@pulumi/policy";
import {
    copyOf,
    evaluatePolicies,
    formatReport,
    hasMandatoryViolation,
    loadPolicyConfig,
    PolicyConfigError,
    PolicyEvaluationError,
    resolvePolicyConfig,
} from "../evaluator";
import { resourceType } from "../policies/common";
import { allPolicies } from "../policies";
import { UNKNOWN } from "../resources";
import { res } from "./fixtures";

const Thing = resourceType<{ size?: number; name?: string }>("test:index:Thing");

/** A policy that reports every Thing whose size is below its configured minimum. */
const minSize: ResourceValidationPolicy = {
    name: "test-thing-require-size",
    description: "Things must be big enough.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            minimum: { type: "integer", minimum: 1, default: 10 },
            label: { type: "string", default: "size" },
        },
    },
    validateResource: validateResourceOfType(Thing, (thing, args, report) => {
        const { minimum, label } = args.getConfig<{ minimum: number; label: string }>();
        if ((thing.size ?? 0) < minimum) report(`${args.name} ${label} ${thing.size} < ${minimum}`);
    }),
};

const thing = (name: string, size: unknown) => res("test:index:Thing", name, { size });

describe("evaluator", () => {
    describe("types", () => {
        it("runs a typed validation only on resources of its type token", async () => {
            const report = await evaluatePolicies([thing("small", 1), res("test:index:Other", "other", { size: 1 })], {
                policies: [minSize],
            });
            assert.deepEqual(
                report.violations.map((v) => v.urn),
                ["urn:pulumi:production::migration-api::test:index:Thing::small"],
            );
        });

        it("gives isType/asType by type token, to resource and stack policies", async () => {
            const seen: string[] = [];
            const probe: ResourceValidationPolicy & StackValidationPolicy = {
                name: "test-probe-require-types",
                description: "Probes isType and asType.",
                validateResource: (args) => {
                    seen.push(`${args.name}:${args.isType(Thing)}:${args.asType(Thing) !== undefined}`);
                },
                validateStack: validateStackResourcesOfType(Thing, (things) => {
                    seen.push(`stack:${things.length}`);
                }),
            };
            await evaluatePolicies([thing("a", 1), res("test:index:Other", "b", {})], { policies: [probe] });
            assert.deepEqual(seen, ["a:true:true", "b:false:false", "stack:1"]);
        });

        it("links parents and dependencies for stack policies", async () => {
            let parentName: string | undefined;
            let dependencyNames: string[] = [];
            const probe: StackValidationPolicy = {
                name: "test-probe-require-links",
                description: "Probes links.",
                validateStack: (args) => {
                    const child = args.resources.find((r) => r.name === "child");
                    parentName = child?.parent?.name;
                    dependencyNames = child?.dependencies.map((d) => d.name) ?? [];
                },
            };
            const parent = thing("parent", 1);
            const dep = thing("dep", 1);
            const child = { ...thing("child", 1), parent: parent.urn, dependencies: [dep.urn] };
            await evaluatePolicies([parent, dep, child], { policies: [probe] });
            assert.equal(parentName, "parent");
            assert.deepEqual(dependencyNames, ["dep"]);
        });
    });

    describe("notApplicable", () => {
        it("skips the resource and records the reason, with no violation", async () => {
            const policy: ResourceValidationPolicy = {
                name: "test-thing-require-nothing",
                description: "Never applies.",
                validateResource: (args, report) => {
                    args.notApplicable("not today");
                    report("unreachable");
                },
            };
            const report = await evaluatePolicies([thing("a", 1)], { policies: [policy] });
            assert.deepEqual(report.violations, []);
            assert.deepEqual(report.notApplicable, [
                { policy: policy.name, urn: thing("a", 1).urn, reason: "not today" },
            ]);
        });

        it("records a type mismatch in a list of validations as not applicable", async () => {
            const policy: ResourceValidationPolicy = {
                ...minSize,
                validateResource: [minSize.validateResource as never],
            };
            const report = await evaluatePolicies([res("test:index:Other", "o", {})], { policies: [policy] });
            assert.equal(report.notApplicable[0].reason, "Policy only applies to resources of type 'test:index:Thing'");
        });
    });

    describe("config", () => {
        it("merges the schema defaults with the file's values", async () => {
            const defaults = await evaluatePolicies([thing("a", 5)], { policies: [minSize] });
            assert.deepEqual(
                defaults.violations.map((v) => v.message),
                ["a size 5 < 10"],
            );
            const configured = await evaluatePolicies([thing("a", 5)], {
                policies: [minSize],
                config: { [minSize.name]: { minimum: 3 } },
            });
            assert.deepEqual(configured.violations, []);
            const relabelled = await evaluatePolicies([thing("a", 5)], {
                policies: [minSize],
                config: { [minSize.name]: { label: "bulk" } },
            });
            assert.deepEqual(
                relabelled.violations.map((v) => v.message),
                ["a bulk 5 < 10"],
            );
        });

        it("refuses unknown policies, unknown properties and ill-typed values", () => {
            assert.throws(() => resolvePolicyConfig([minSize], { "no-such-policy": "mandatory" }), {
                name: "PolicyConfigError",
                message: '"no-such-policy" is not a policy of this pack.',
            });
            assert.throws(() => resolvePolicyConfig([minSize], { [minSize.name]: { minimun: 3 } }), {
                message: '"test-thing-require-size" has no config property "minimun".',
            });
            assert.throws(() => resolvePolicyConfig([minSize], { [minSize.name]: { minimum: "3" } }), {
                message: '"test-thing-require-size".minimum must be integer; got "3".',
            });
            assert.throws(() => resolvePolicyConfig([minSize], { [minSize.name]: { minimum: 0 } }), {
                message: '"test-thing-require-size".minimum must be at least 1; got 0.',
            });
            assert.throws(() => resolvePolicyConfig([minSize], { all: "strict" as never }), {
                message:
                    '"all": enforcement level must be one of advisory, mandatory, remediate, disabled; got "strict".',
            });
        });

        it("reads config files with clear errors", () => {
            assert.throws(() => loadPolicyConfig("/nonexistent/policy.json"), PolicyConfigError);
            const staging = loadPolicyConfig(`${__dirname}/../config/staging.json`);
            assert.equal(staging.all, "mandatory");
        });
    });

    describe("enforcement levels", () => {
        const level = async (config: object, policy: Policy = minSize) =>
            (await evaluatePolicies([thing("a", 1)], { policies: [policy as never], config: config as never }))
                .violations[0]?.enforcementLevel;

        it("takes the policy's own level, then `all`, then the policy's entry", async () => {
            assert.equal(await level({}), "advisory");
            assert.equal(await level({ all: "mandatory" }), "mandatory");
            assert.equal(await level({ all: "mandatory", [minSize.name]: "advisory" }), "advisory");
            assert.equal(
                await level({ all: "advisory", [minSize.name]: { enforcementLevel: "mandatory" } }),
                "mandatory",
            );
        });

        it("defaults to the pack's level, advisory, when the policy sets none", async () => {
            const { enforcementLevel: _, ...unset } = minSize;
            assert.equal(await level({}, unset), "advisory");
        });

        it("reports remediate as mandatory", async () => {
            assert.equal(await level({ [minSize.name]: "remediate" }), "mandatory");
        });

        it("skips a disabled policy", async () => {
            const report = await evaluatePolicies([thing("a", 1)], {
                policies: [minSize],
                config: { all: "mandatory", [minSize.name]: "disabled" },
            });
            assert.deepEqual(report, { violations: [], undetermined: [], notApplicable: [] });
        });

        it("flags mandatory violations only", () => {
            const v = { policy: "x", urn: "u", message: "m" };
            assert.equal(hasMandatoryViolation({ violations: [{ ...v, enforcementLevel: "advisory" }] }), false);
            assert.equal(hasMandatoryViolation({ violations: [{ ...v, enforcementLevel: "mandatory" }] }), true);
        });
    });

    describe("unknown values", () => {
        it("records a resource policy that reads an unknown value as undetermined, not a violation", async () => {
            const report = await evaluatePolicies([thing("a", UNKNOWN), thing("b", 1)], { policies: [minSize] });
            assert.deepEqual(
                report.violations.map((v) => v.message),
                ["b size 1 < 10"],
            );
            assert.deepEqual(report.undetermined, [
                {
                    policy: minSize.name,
                    urn: thing("a", 1).urn,
                    message: `can't run policy '${minSize.name}' from policy pack 'migration-api-guardrails@v0.1.0' during preview: string value at .size can't be known during preview`,
                },
            ]);
        });

        it("records a stack policy that reads an unknown value as undetermined", async () => {
            const policy: StackValidationPolicy = {
                name: "test-stack-require-sizes",
                description: "Reads every size.",
                validateStack: (args, report) => {
                    for (const r of args.resources) if ((r.props.size as number) < 10) report("small", r.urn);
                },
            };
            const report = await evaluatePolicies([thing("a", 1), thing("b", UNKNOWN)], { policies: [policy] });
            assert.equal(report.violations.length, 1);
            assert.equal(report.undetermined.length, 1);
            assert.equal(report.undetermined[0].urn, "");
        });
    });

    it("reports a policy that throws as a defect naming the policy and resource", async () => {
        const broken: ResourceValidationPolicy = {
            name: "test-thing-require-crash",
            description: "Throws.",
            validateResource: () => {
                throw new Error("boom");
            },
        };
        await assert.rejects(evaluatePolicies([thing("a", 1)], { policies: [broken] }), (e: unknown) => {
            assert.ok(e instanceof PolicyEvaluationError);
            assert.equal(e.message, `policy test-thing-require-crash failed on ${thing("a", 1).urn}: boom`);
            return true;
        });
    });

    it("formats violations grouped by policy", async () => {
        const report = await evaluatePolicies([thing("a", 1), thing("b", 2)], {
            policies: [minSize],
            config: { all: "mandatory" },
        });
        assert.equal(
            formatReport(report),
            [
                "test-thing-require-size (mandatory): 2 violations",
                "  - a size 1 < 10",
                `    ${thing("a", 1).urn}`,
                "  - b size 2 < 10",
                `    ${thing("b", 1).urn}`,
                "Policy check: 2 mandatory, 0 advisory violations.",
            ].join("\n"),
        );
    });

    it("runs the whole pack by default", async () => {
        const report = await evaluatePolicies([res("aws:sns/topic:Topic", "t", {})]);
        assert.deepEqual([...new Set(report.violations.map((v) => v.policy))].sort(), ["sns-topic-require-kms"]);
        assert.equal(allPolicies.length > 0, true);
    });
});

describe("copyOf (each policy's own copy of the properties)", () => {
    const props = {
        name: "uploads",
        tags: { Stack: "production" },
        rules: [{ id: 1, filter: { prefix: UNKNOWN } }, [2, null]],
        absent: undefined,
    };

    it("is equal to the original and shares nothing with it", () => {
        const copy = copyOf(props);
        assert.deepStrictEqual(copy, props);
        assert.ok("absent" in copy);
        copy.tags.Stack = "changed";
        (copy.rules[0] as { filter: { prefix: string } }).filter.prefix = "changed";
        (copy.rules[1] as unknown[]).push(3);
        assert.deepStrictEqual(props.tags, { Stack: "production" });
        assert.deepStrictEqual(props.rules, [{ id: 1, filter: { prefix: UNKNOWN } }, [2, null]]);
    });

    it("copies values that are not plain data as structuredClone does", () => {
        const when = new Date(0);
        const copy = copyOf({ when, seen: new Map([["a", 1]]) });
        assert.ok(copy.when instanceof Date && copy.when !== when);
        assert.equal(copy.when.getTime(), 0);
        assert.deepStrictEqual(copy.seen, new Map([["a", 1]]));
    });

    it("gives a policy that mutates its properties no way to change what the next policy sees", async () => {
        const seen: unknown[] = [];
        const mutate: ResourceValidationPolicy = {
            name: "mutates",
            description: "changes its props",
            validateResource: (args) => {
                seen.push({ ...(args.props.tags as Record<string, string>) });
                (args.props.tags as Record<string, string>).Stack = "mutated";
            },
        };
        await evaluatePolicies([res("aws:s3/bucket:Bucket", "b", { tags: { Stack: "production" } })], {
            policies: [mutate, { ...mutate, name: "mutates-too" }],
        });
        assert.deepStrictEqual(seen, [{ Stack: "production" }, { Stack: "production" }]);
    });

    it("hands a policy args shaped as the SDK's: props and opts are own, enumerable and writable", async () => {
        const seen: unknown[] = [];
        const inspect: ResourceValidationPolicy = {
            name: "inspects",
            description: "looks at its args",
            validateResource: (args) => {
                const keys = Object.keys(args);
                const before = Object.getOwnPropertyDescriptor(args, "props");
                const tags = (args.props.tags as Record<string, string>).Stack;
                const after = Object.getOwnPropertyDescriptor(args, "props");
                args.props = { replaced: true };
                seen.push({
                    keys: ["props", "opts"].every((k) => keys.includes(k)),
                    enumerable: before?.enumerable,
                    tags,
                    data: after !== undefined && "value" in after && after.writable === true,
                    replaced: args.props.replaced,
                    protect: args.opts.protect,
                });
            },
        };
        await evaluatePolicies([res("aws:s3/bucket:Bucket", "b", { tags: { Stack: "production" } })], {
            policies: [inspect],
        });
        assert.deepStrictEqual(seen, [
            { keys: true, enumerable: true, tags: "production", data: true, replaced: true, protect: false },
        ]);
    });
});
