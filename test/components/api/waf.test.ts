import * as assert from "node:assert/strict";
import {
    BODY_ATTACK_RULE,
    bodyAttackStatement,
    MANAGED_RULE_GROUPS,
    OVERSIZED_BODY_LABEL,
    OVERSIZED_BODY_RULE,
    WebAcl,
    WebAclArgs,
    webAclArgProblems,
} from "../../../components";
import { RecordedResource, settingsFor, simulate, StackRun } from "../../../tools/sim";
import { LOGS_KEY_ARN, one, problemLines } from "../../support/apiStorage";

const ACL = "aws:wafv2/webAcl:WebAcl";
const LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api-lb/0123456789abcdef";

interface Rule {
    name: string;
    priority: number;
    action?: Record<string, unknown>;
    overrideAction?: Record<string, unknown>;
    statement: Record<string, unknown>;
    visibilityConfig: Record<string, unknown>;
}
const rulesOf = (acl: RecordedResource) => acl.inputs.rules as Rule[];
const byPriority = (acl: RecordedResource) =>
    [...rulesOf(acl)].sort((a, b) => a.priority - b.priority).map((r) => [r.priority, r.name]);

async function build(change: Partial<WebAclArgs> = {}, name = "edge-waf"): Promise<StackRun> {
    return simulate(settingsFor("production"), () => {
        const acl = new WebAcl(name, { resourceArn: LB_ARN, logsKmsKeyArn: LOGS_KEY_ARN, ...change });
        return { name: acl.name, metricName: acl.metricName, arn: acl.arn };
    });
}

/** The exact statement of a STARTS_WITH match on the raw URI path. */
const startsWith = (prefix: string) => ({
    byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: "STARTS_WITH",
        searchString: prefix,
        textTransformations: [{ priority: 0, type: "NONE" }],
    },
});

describe("WebAcl", () => {
    describe("name and metric name", () => {
        it("names the ACL after the component and makes its ACL-level metric name the same", async () => {
            const run = await build();
            const acl = one(run, ACL);
            assert.equal(acl.inputs.name, "edge-waf");
            assert.deepEqual(acl.inputs.visibilityConfig, {
                cloudwatchMetricsEnabled: true,
                sampledRequestsEnabled: true,
                metricName: "edge-waf",
            });
            assert.equal(run.outputs.name, "edge-waf");
            assert.equal(run.outputs.metricName, "edge-waf");
            const component = one(run, "migration-api:api:WebAcl");
            assert.equal(component.componentOutputs?.metricName, "edge-waf");
        });

        it("takes an explicit `aclName` for both the name and the metric name, leaving logical names alone", async () => {
            const run = await build({ aclName: "migration-api-production-waf" });
            const acl = one(run, ACL);
            assert.equal(acl.name, "edge-waf");
            assert.equal(acl.inputs.name, "migration-api-production-waf");
            assert.equal((acl.inputs.visibilityConfig as { metricName: string }).metricName, acl.inputs.name);
            assert.equal(run.outputs.metricName, "migration-api-production-waf");
            assert.deepEqual(
                run.resources
                    .filter((r) => r.custom)
                    .map((r) => `${r.type} ${r.name}`)
                    .sort(),
                [
                    "aws:cloudwatch/logGroup:LogGroup edge-waf-logs",
                    "aws:wafv2/webAcl:WebAcl edge-waf",
                    "aws:wafv2/webAclAssociation:WebAclAssociation edge-waf-association",
                    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration edge-waf-logging",
                ],
            );
        });
    });

    describe("oversized bodies", () => {
        it("only counts oversized bodies without upload paths: no blocking rule, priorities unchanged", async () => {
            for (const run of [await build(), await build({ uploadPathPrefixes: [] })]) {
                const acl = one(run, ACL);
                assert.deepEqual(byPriority(acl), [
                    [0, "AWSManagedRulesAmazonIpReputationList"],
                    [1, "AWSManagedRulesCommonRuleSet"],
                    [2, "AWSManagedRulesKnownBadInputsRuleSet"],
                    [3, "AWSManagedRulesSQLiRuleSet"],
                    [4, "RateLimitPerIp"],
                ]);
                const common = rulesOf(acl).find((r) => r.name === "AWSManagedRulesCommonRuleSet");
                assert.deepEqual(
                    (common?.statement.managedRuleGroupStatement as { ruleActionOverrides: unknown })
                        .ruleActionOverrides,
                    [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
                );
            }
        });

        it("blocks labelled oversized bodies outside one upload path, right after the common rule set", async () => {
            const acl = one(await build({ uploadPathPrefixes: ["/uploads"] }), ACL);
            assert.deepEqual(byPriority(acl), [
                [0, "AWSManagedRulesAmazonIpReputationList"],
                [1, "AWSManagedRulesCommonRuleSet"],
                [2, OVERSIZED_BODY_RULE],
                [3, "AWSManagedRulesKnownBadInputsRuleSet"],
                [4, "AWSManagedRulesSQLiRuleSet"],
                [5, BODY_ATTACK_RULE],
                [6, "RateLimitPerIp"],
            ]);
            const rule = rulesOf(acl).find((r) => r.name === OVERSIZED_BODY_RULE);
            assert.deepEqual(rule, {
                name: "BlockOversizedBodyOutsideUploads",
                priority: 2,
                action: { block: {} },
                statement: {
                    andStatement: {
                        statements: [
                            {
                                labelMatchStatement: {
                                    scope: "LABEL",
                                    key: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body",
                                },
                            },
                            { notStatement: { statement: startsWith("/uploads") } },
                        ],
                    },
                },
                visibilityConfig: {
                    cloudwatchMetricsEnabled: true,
                    sampledRequestsEnabled: true,
                    metricName: "edge-waf-BlockOversizedBodyOutsideUploads",
                },
            });
            assert.equal(OVERSIZED_BODY_LABEL, "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body");
            // The body size rule still only counts (it adds the label); the new rule blocks.
            const common = rulesOf(acl).find((r) => r.name === "AWSManagedRulesCommonRuleSet");
            assert.deepEqual(common?.overrideAction, { none: {} });
        });

        it("ORs two or more upload paths inside the NOT", async () => {
            const acl = one(await build({ uploadPathPrefixes: ["/uploads", "/v2/imports/"] }), ACL);
            const rule = rulesOf(acl).find((r) => r.name === OVERSIZED_BODY_RULE);
            assert.deepEqual(rule?.statement, {
                andStatement: {
                    statements: [
                        { labelMatchStatement: { scope: "LABEL", key: OVERSIZED_BODY_LABEL } },
                        {
                            notStatement: {
                                statement: {
                                    orStatement: { statements: [startsWith("/uploads"), startsWith("/v2/imports/")] },
                                },
                            },
                        },
                    ],
                },
            });
            assert.equal(rule?.priority, 2);
        });

        it("keeps the rate rule last and blocking, with a priority no other rule has", async () => {
            const acl = one(await build({ uploadPathPrefixes: ["/a", "/b", "/c"], rateLimitPer5Minutes: 500 }), ACL);
            const rules = rulesOf(acl);
            const priorities = rules.map((r) => r.priority);
            assert.equal(new Set(priorities).size, rules.length);
            const rate = rules.find((r) => r.name === "RateLimitPerIp");
            assert.equal(rate?.priority, Math.max(...priorities));
            assert.deepEqual(rate?.action, { block: {} });
            assert.deepEqual(rate?.statement, {
                rateBasedStatement: { limit: 500, aggregateKeyType: "IP", evaluationWindowSec: 300 },
            });
            assert.equal(rules.length, MANAGED_RULE_GROUPS.length + 3);
        });
    });

    describe("body-inspecting rules on upload paths", () => {
        const overridesOf = (acl: RecordedResource, group: string) =>
            (
                rulesOf(acl).find((r) => r.name === group)?.statement.managedRuleGroupStatement as {
                    ruleActionOverrides: unknown;
                }
            ).ruleActionOverrides;
        const count = (name: string) => ({ name, actionToUse: { count: {} } });

        it("without upload paths, keeps the body rules blocking everywhere (only the size rule counts)", async () => {
            const acl = one(await build(), ACL);
            assert.deepEqual(overridesOf(acl, "AWSManagedRulesCommonRuleSet"), [count("SizeRestrictions_BODY")]);
            assert.deepEqual(overridesOf(acl, "AWSManagedRulesSQLiRuleSet"), []);
            assert.equal(
                rulesOf(acl).find((r) => r.name === BODY_ATTACK_RULE),
                undefined,
            );
        });

        it("with upload paths, counts the body rules of the common and SQLi sets and blocks their labels elsewhere", async () => {
            const acl = one(await build({ uploadPathPrefixes: ["/uploads", "/v2/imports/"] }), ACL);
            assert.deepEqual(overridesOf(acl, "AWSManagedRulesCommonRuleSet"), [
                count("SizeRestrictions_BODY"),
                count("CrossSiteScripting_BODY"),
                count("GenericLFI_BODY"),
                count("GenericRFI_BODY"),
                count("EC2MetaDataSSRF_BODY"),
            ]);
            assert.deepEqual(overridesOf(acl, "AWSManagedRulesSQLiRuleSet"), [
                count("SQLi_BODY"),
                count("SQLiExtendedPatterns_BODY"),
            ]);
            // The other groups keep their own actions, and every group still applies to every path.
            assert.deepEqual(overridesOf(acl, "AWSManagedRulesKnownBadInputsRuleSet"), []);
            for (const rule of rulesOf(acl).filter((r) => r.statement.managedRuleGroupStatement)) {
                assert.deepEqual(rule.overrideAction, { none: {} });
                assert.equal(
                    (rule.statement.managedRuleGroupStatement as { scopeDownStatement?: unknown }).scopeDownStatement,
                    undefined,
                );
            }
            const label = (key: string) => ({ labelMatchStatement: { scope: "LABEL", key } });
            assert.deepEqual(
                rulesOf(acl).find((r) => r.name === BODY_ATTACK_RULE),
                {
                    name: "BlockBodyAttacksOutsideUploads",
                    // After the SQLi set: a label is visible only to the rules after the one that adds it.
                    priority: 5,
                    action: { block: {} },
                    statement: {
                        andStatement: {
                            statements: [
                                {
                                    orStatement: {
                                        statements: [
                                            label("awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body"),
                                            label("awswaf:managed:aws:core-rule-set:GenericLFI_Body"),
                                            label("awswaf:managed:aws:core-rule-set:GenericRFI_Body"),
                                            label("awswaf:managed:aws:core-rule-set:EC2MetaDataSSRF_Body"),
                                            label("awswaf:managed:aws:sql-database:SQLi_Body"),
                                            label("awswaf:managed:aws:sql-database:SQLiExtendedPatterns_Body"),
                                        ],
                                    },
                                },
                                {
                                    notStatement: {
                                        statement: {
                                            orStatement: {
                                                statements: [startsWith("/uploads"), startsWith("/v2/imports/")],
                                            },
                                        },
                                    },
                                },
                            ],
                        },
                    },
                    visibilityConfig: {
                        cloudwatchMetricsEnabled: true,
                        sampledRequestsEnabled: true,
                        metricName: "edge-waf-BlockBodyAttacksOutsideUploads",
                    },
                },
            );
            assert.deepEqual(
                rulesOf(acl).find((r) => r.name === BODY_ATTACK_RULE)?.statement,
                bodyAttackStatement(["/uploads", "/v2/imports/"]),
            );
        });
    });

    describe("bad input", () => {
        const messages = (args: Parameters<typeof webAclArgProblems>[0]) => webAclArgProblems(args).messages;

        it("accepts good names and prefixes", () => {
            assert.deepEqual(
                messages({ aclName: `A_b-9${"x".repeat(123)}`, uploadPathPrefixes: ["/", "/uploads", "/v2/a.b~c"] }),
                [],
            );
        });

        it("rejects an ACL name WAF refuses", () => {
            const rule = "must be 1 to 128 letters, digits, hyphens or underscores";
            assert.deepEqual(messages({ aclName: "api waf" }), [`\`aclName\` ${rule}; got "api waf".`]);
            assert.deepEqual(messages({ aclName: "" }), [`\`aclName\` ${rule}; got "".`]);
            assert.deepEqual(messages({ aclName: "migration-api-prod.v2-waf" }), [
                `\`aclName\` ${rule}; got "migration-api-prod.v2-waf".`,
            ]);
            assert.deepEqual(messages({ aclName: "a".repeat(129) }), [
                `\`aclName\` ${rule}; got "${"a".repeat(129)}".`,
            ]);
        });

        it("rejects upload path prefixes without a leading /, too long, or with other characters", () => {
            assert.deepEqual(messages({ uploadPathPrefixes: ["/ok", "uploads", `/${"a".repeat(200)}`, "/up loads"] }), [
                '`uploadPathPrefixes[1]` must start with "/"; got "uploads".',
                "`uploadPathPrefixes[2]` must be at most 200 characters (WAF's limit for a search string); got 201.",
                '`uploadPathPrefixes[3]` must contain only URL path characters (letters, digits and -._~!$&\'()*+,;=:@/); got "/up loads".',
            ]);
            assert.deepEqual(messages({ uploadPathPrefixes: [""] }), [
                '`uploadPathPrefixes[0]` must start with "/"; got "".',
            ]);
            assert.deepEqual(messages({ uploadPathPrefixes: [`/${"a".repeat(199)}`] }), []);
        });

        it("names the fields as a caller hands them on", () => {
            assert.deepEqual(
                webAclArgProblems({ rateLimitPer5Minutes: 1, aclName: "a b", uploadPathPrefixes: ["x"] }, undefined, {
                    rateLimitPer5Minutes: "wafRateLimitPer5Minutes",
                    aclName: "webAclName",
                    uploadPathPrefixes: "wafUploadPathPrefixes",
                }).messages,
                [
                    "`wafRateLimitPer5Minutes` must be an integer from 100 to 2000000000; got 1.",
                    '`webAclName` must be 1 to 128 letters, digits, hyphens or underscores; got "a b".',
                    '`wafUploadPathPrefixes[0]` must start with "/"; got "x".',
                ],
            );
        });

        it("throws before creating any child, checking the default name too", async () => {
            const record: RecordedResource[] = [];
            await assert.rejects(
                simulate({ ...settingsFor("production"), record }, () => {
                    new WebAcl("edge.waf", {
                        resourceArn: LB_ARN,
                        logsKmsKeyArn: LOGS_KEY_ARN,
                        uploadPathPrefixes: ["uploads"],
                    });
                }),
                (error: unknown) => {
                    assert.deepEqual(problemLines(error), [
                        '`aclName` must be 1 to 128 letters, digits, hyphens or underscores; got "edge.waf".',
                        '`uploadPathPrefixes[0]` must start with "/"; got "uploads".',
                    ]);
                    assert.match((error as Error).message, /^invalid arguments for WebAcl edge\.waf:/);
                    return true;
                },
            );
            assert.deepEqual(
                record.filter((r) => r.custom).map((r) => r.type),
                [],
            );
        });
    });
});
