import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError, parseStackConfig } from "../config";
import { main as previewOffline } from "../tools/preview-offline";
import { readStackConfig } from "../tools/sim";
import { ofType, REPO_ROOT, runStack, StackRun } from "../tools/sim";

/**
 * The config and state steps the database runbooks prescribe, run against the offline preview:
 * the `pulumi config set` lines and the `jq` selection of what to unprotect are read from the
 * runbooks themselves, so a runbook edit that breaks them fails here.
 */
const runbook = (name: string) => readFileSync(path.join(REPO_ROOT, "docs", "runbooks", name), "utf8");
const SNAPSHOT_RUNBOOK = runbook("restore-database-from-snapshot.md");
const PITR_RUNBOOK = runbook("restore-database-point-in-time.md");

/** Values an operator would put in the runbooks' shell variables. */
const SAMPLES: Record<string, string> = {
    SNAPSHOT: "migration-api-production-before-restore-202611200815",
    CLUSTER: "database-cluster-4f3c2a1",
    RESTORE_TIME: "2026-11-20T08:30:00Z",
};

/** The runbook's `pulumi config set <key> "$VAR"` lines, as `--set key=value` overrides. */
function configSets(text: string): string[] {
    const sets = [...text.matchAll(/^pulumi config set (\S+) "\$(\w+)"/gm)].map(([, key, variable]) => {
        assert.ok(SAMPLES[variable], `no sample value for $${variable}`);
        return `${key}=${SAMPLES[variable]}`;
    });
    assert.ok(sets.length > 0, "the runbook sets no config");
    return sets;
}

/** The runbook's jq program that picks the URNs to unprotect from `pulumi stack export`. */
function unprotectFilter(text: string): string {
    const line = text.split("\n").find((l) => l.startsWith("pulumi state unprotect "));
    assert.ok(line, "the runbook has no pulumi state unprotect line");
    const filter = /jq -r '([^']+)'/.exec(line)?.[1];
    assert.ok(filter, "the unprotect line selects its URNs with jq -r '...'");
    return filter;
}

/** Runs the jq program over the run as `pulumi stack export` shapes it (deployment.resources[]). */
function unprotected(run: StackRun, filter: string): string[] {
    const exported = {
        version: 3,
        deployment: { resources: run.resources.map((r) => ({ urn: r.urn, type: r.type, protect: r.protect })) },
    };
    const jq = spawnSync("jq", ["-r", filter], { input: JSON.stringify(exported), encoding: "utf8" });
    assert.equal(jq.status, 0, jq.stderr);
    return jq.stdout.split("\n").filter(Boolean).sort();
}

const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

describe("database runbooks against the offline preview", function () {
    before(function () {
        if (spawnSync("jq", ["--version"]).status !== 0) this.skip();
    });

    describe("restore-database-from-snapshot.md", () => {
        let run: StackRun;
        before(async () => {
            run = await runStack("production", { overrides: configSets(SNAPSHOT_RUNBOOK) });
        });

        it("its config set gives a cluster built from that snapshot", () => {
            const [cluster] = ofType(run, CLUSTER);
            assert.equal(cluster.inputs.snapshotIdentifier, SAMPLES.SNAPSHOT);
            assert.equal(cluster.inputs.restoreToPointInTime, undefined);
        });

        it("its unprotect selects exactly the cluster and every instance, all protected in production", () => {
            const replaced = [...ofType(run, CLUSTER), ...ofType(run, INSTANCE)];
            assert.equal(replaced.length, 4, "one cluster and three instances");
            for (const r of replaced) assert.equal(r.protect, true, r.urn);
            assert.deepEqual(unprotected(run, unprotectFilter(SNAPSHOT_RUNBOOK)), replaced.map((r) => r.urn).sort());
        });

        it("leaves nothing protected that the new cluster replaces: no other protected resource takes its id", () => {
            const cluster = ofType(run, CLUSTER)[0];
            const selected = new Set(unprotected(run, unprotectFilter(SNAPSHOT_RUNBOOK)));
            const blockers = run.resources.filter(
                (r) => r.protect && r.dependencies.includes(cluster.urn) && !selected.has(r.urn),
            );
            // A protected dependent would be replaced too (its cluster id changes) and stop the update.
            assert.deepEqual(
                blockers.map((r) => `${r.type} ${r.name}`),
                [],
            );
        });

        it("scales back up in step 4: pulumi up --refresh resets the autoscaling bounds step 2 zeroed", () => {
            // `pulumi up` alone cannot: the service ignores desiredCount, and without a refresh the
            // target's 0/0 bounds are not seen. With it, the program's bounds are registered again.
            assert.match(SNAPSHOT_RUNBOOK, /--min-capacity 0 --max-capacity 0/);
            assert.match(SNAPSHOT_RUNBOOK, /^pulumi up --refresh --stack "\$STACK"/m);
            const [service] = ofType(run, "aws:ecs/service:Service");
            assert.ok(service.ignoreChanges.includes("desiredCount"));
            const [target] = ofType(run, "aws:appautoscaling/target:Target");
            assert.equal(target.inputs.resourceId, `service/${run.outputs.clusterName}/${run.outputs.serviceName}`);
            assert.equal(target.inputs.scalableDimension, "ecs:service:DesiredCount");
            assert.equal(target.inputs.serviceNamespace, "ecs");
            assert.ok(Number(target.inputs.minCapacity) >= 2, "the restored bounds put tasks back");
            assert.deepEqual(
                target.ignoreChanges.filter((k) => /Capacity/.test(k)),
                [],
            );
        });
    });

    describe("restore-database-point-in-time.md", () => {
        it("its config sets restore the source cluster to that time", async () => {
            const run = await runStack("production", { overrides: configSets(PITR_RUNBOOK) });
            const [cluster] = ofType(run, CLUSTER);
            assert.deepEqual(cluster.inputs.restoreToPointInTime, {
                sourceClusterIdentifier: SAMPLES.CLUSTER,
                restoreType: "full-copy",
                restoreToTime: SAMPLES.RESTORE_TIME,
            });
            assert.equal(cluster.inputs.snapshotIdentifier, undefined);
            assert.deepEqual(
                unprotected(run, unprotectFilter(PITR_RUNBOOK)),
                [...ofType(run, CLUSTER), ...ofType(run, INSTANCE)].map((r) => r.urn).sort(),
            );
        });

        it("without dbRestoreToTime restores the latest restorable time, as it says", async () => {
            assert.match(PITR_RUNBOOK, /left unset it means `latest`/);
            const sets = configSets(PITR_RUNBOOK).filter((s) => !s.startsWith("migration-api:dbRestoreToTime="));
            const run = await runStack("production", { overrides: sets });
            assert.deepEqual(ofType(run, CLUSTER)[0].inputs.restoreToPointInTime, {
                sourceClusterIdentifier: SAMPLES.CLUSTER,
                restoreType: "full-copy",
                useLatestRestorableTime: true,
            });
        });

        it("refuses a snapshot and a source cluster together, the exclusivity it states", async () => {
            assert.match(PITR_RUNBOOK, /`dbRestoreFromSnapshot` and `dbRestoreSourceCluster`\s+may not both be set/);
            await assert.rejects(
                runStack("production", {
                    overrides: [...configSets(PITR_RUNBOOK), `migration-api:dbRestoreFromSnapshot=${SAMPLES.SNAPSHOT}`],
                }),
                (error: ConfigError) => {
                    assert.ok(error instanceof ConfigError);
                    assert.deepEqual(error.problems, [
                        "`migration-api:dbRestoreFromSnapshot` and `migration-api:dbRestoreSourceCluster` are two restore modes; set one, not both.",
                    ]);
                    return true;
                },
            );
        });

        it("does not scale the service to zero", () => {
            assert.doesNotMatch(PITR_RUNBOOK, /--desired-count 0|--min-capacity 0/);
        });
    });
});

describe("dr-region-recovery.md: the production-dr stack", () => {
    const DR_RUNBOOK = runbook("dr-region-recovery.md");
    let dr: StackRun;
    let production: StackRun;
    before(async () => {
        dr = await runStack("production-dr");
        production = await runStack("production");
    });

    it("previews offline with its own policy config and passes the pack", async () => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await previewOffline(["--stack", "production-dr", "--quiet"], {
            out: (t) => out.push(t),
            err: (t) => err.push(t),
        });
        assert.equal(code, 0, err.join("\n"));
        assert.match(
            out[0],
            /^offline preview of migration-api\/production-dr \(simulated AWS\): \d+ resources, 0 mandatory/,
        );
    });

    it("is production's settings in us-west-2, from the seed snapshot, without replication", () => {
        const config = parseStackConfig(readStackConfig("production-dr").values, "production-dr");
        assert.equal(config.region, "us-west-2");
        assert.equal(config.environment, "production");
        assert.equal(config.defaultTags.Stack, "production-dr");
        assert.equal(config.uploadsReplicationEnabled, false);
        assert.equal(config.drRegion, undefined);
        assert.equal(ofType(dr, CLUSTER)[0].inputs.snapshotIdentifier, "migration-api-dr-seed");
        assert.match(DR_RUNBOOK, /--db-cluster-snapshot-identifier migration-api-dr-seed/);
    });

    it("takes over the API's name with one switch: its alias record may overwrite, production's may not", () => {
        const alias = (run: StackRun) =>
            ofType(run, "aws:route53/record:Record").find((r) => r.name === "api-lb-alias");
        assert.equal(alias(dr)?.inputs.allowOverwrite, true);
        assert.equal(alias(production)?.inputs.allowOverwrite, false);
        assert.equal(alias(dr)?.inputs.name, alias(production)?.inputs.name);
        assert.match(DR_RUNBOOK, /migration-api:domainTakeOver/);
    });

    it("refuses domainTakeOver without a domain", () => {
        const raw = { ...readStackConfig("staging").values, "migration-api:domainTakeOver": "true" };
        assert.throws(
            () => parseStackConfig(raw, "staging"),
            (error: ConfigError) => {
                assert.deepEqual(error.problems, [
                    "`migration-api:domainTakeOver` needs `migration-api:domainName`, the name whose record it takes over.",
                ]);
                return true;
            },
        );
    });

    it("tells a second bootstrap in the same account to reuse the OIDC provider", () => {
        assert.match(DR_RUNBOOK, /migration-api-bootstrap:existingOidcProviderArn/);
    });
});
