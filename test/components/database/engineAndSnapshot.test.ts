import * as assert from "node:assert/strict";
import { describe, it } from "mocha";
import { parseStackConfig } from "../../../config";
import { ofType, settingsFor, simulate, StackRun } from "../../../tools/sim";
import { buildNetDb, one, runNetDb } from "../../support/netdb";

/*
 * Issue 13: a pinned engine (the lookup only checks the pin), restores that keep it, the upgrade
 * the runbook prescribes (docs/runbooks/upgrade-database-engine.md), and final snapshot names
 * that are unique per deletion and stable across updates.
 */
const CLUSTER = "aws:rds/cluster:Cluster";
const cluster = (run: StackRun) => one(run, CLUSTER);
const snapshotId = (run: StackRun) => String(cluster(run).inputs.finalSnapshotIdentifier);

describe("Database engine version", () => {
    it("runs exactly the pinned version, not the newest minor AWS offers", async () => {
        // The simulated AWS offers 16.4 and 16.6; the pin wins.
        const run = await runNetDb("production", { "migration-api:dbEngineVersion": "16.4" });
        assert.equal(cluster(run).inputs.engineVersion, "16.4");
        assert.equal(cluster(run).inputs.allowMajorVersionUpgrade, false);
        assert.equal(run.outputs.engineVersion, "16.4");
        // AWS must not move a pinned engine in the maintenance window.
        for (const instance of ofType(run, "aws:rds/clusterInstance:ClusterInstance")) {
            assert.equal(instance.inputs.autoMinorVersionUpgrade, false, instance.name);
        }
        assert.equal(
            one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup").inputs.family,
            "aurora-postgresql16",
        );
    });

    it("without a pin (allowed outside production), takes the newest minor and AWS's minor upgrades", async () => {
        const settings = settingsFor("staging");
        delete settings.config["migration-api:dbEngineVersion"];
        const run = await simulate(settings, () => {
            buildNetDb(parseStackConfig(settings.config, "staging"));
        });
        assert.equal(cluster(run).inputs.engineVersion, "16.6");
        for (const instance of ofType(run, "aws:rds/clusterInstance:ClusterInstance")) {
            assert.equal(instance.inputs.autoMinorVersionUpgrade, true, instance.name);
        }
    });

    it("fails the run with one error naming engineVersion when AWS does not offer the pin", async () => {
        await assert.rejects(runNetDb("production", { "migration-api:dbEngineVersion": "16.99" }), (error: Error) => {
            assert.equal(
                error.message,
                "invalid arguments for Database db:\n" +
                    '  - `engineVersion` must be an Aurora PostgreSQL version AWS offers in this region; got "16.99" (no RDS engine versions found: {Engine: aurora-postgresql, EngineVersion: 16.99}).',
            );
            return true;
        });
    });

    it("keeps the pinned version when restoring from a snapshot or to a point in time", async () => {
        const fromSnapshot = await runNetDb("production", {
            "migration-api:dbEngineVersion": "16.4",
            "migration-api:dbRestoreFromSnapshot": "migration-api-production-final-0a1b2c3d",
        });
        assert.equal(cluster(fromSnapshot).inputs.snapshotIdentifier, "migration-api-production-final-0a1b2c3d");
        assert.equal(cluster(fromSnapshot).inputs.engineVersion, "16.4");
        const pointInTime = await runNetDb("production", {
            "migration-api:dbEngineVersion": "16.4",
            "migration-api:dbRestoreSourceCluster": "old-cluster",
        });
        assert.equal(cluster(pointInTime).inputs.engineVersion, "16.4");
    });

    it("upgrades in place by a change of dbEngineVersion (the upgrade runbook)", async () => {
        const before = await runNetDb("production", { "migration-api:dbEngineVersion": "16.4" });
        const after = await runNetDb("production", { "migration-api:dbEngineVersion": "16.6" });
        assert.equal(cluster(before).inputs.engineVersion, "16.4");
        assert.equal(cluster(after).inputs.engineVersion, "16.6");
        // Nothing that replaces the cluster changes: same identity, same final snapshot name,
        // same parameter group family; the instances follow the cluster's version.
        assert.equal(cluster(after).id, cluster(before).id);
        assert.equal(snapshotId(after), snapshotId(before));
        for (const instance of ofType(after, "aws:rds/clusterInstance:ClusterInstance")) {
            assert.equal(instance.inputs.engineVersion, undefined, instance.name);
        }
        const family = (run: StackRun) => one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup").inputs.family;
        assert.equal(family(after), family(before));
    });
});

describe("Database final snapshot identifier", () => {
    it("is the stack's prefix and a random suffix, stable across runs with the same config", async () => {
        const first = await runNetDb("production");
        const second = await runNetDb("production");
        assert.match(snapshotId(first), /^migration-api-production-final-[0-9a-f]{8}$/);
        assert.equal(snapshotId(second), snapshotId(first));
        const suffix = one(first, "random:index/randomId:RandomId", "db-final-snapshot-id");
        assert.equal(snapshotId(first), `migration-api-production-final-${String(suffix.state.hex)}`);
        assert.equal(suffix.inputs.byteLength, 4);
    });

    it("stays the same on an in-place update (backup retention, instance class)", async () => {
        const base = await runNetDb("production");
        const updated = await runNetDb("production", {
            "migration-api:dbBackupRetentionDays": "30",
            "migration-api:dbInstanceClass": "db.r6g.xlarge",
        });
        assert.equal(snapshotId(updated), snapshotId(base));
    });

    it("changes when the cluster is replaced (a new restore source, another database name)", async () => {
        const base = snapshotId(await runNetDb("production"));
        const restored = snapshotId(
            await runNetDb("production", { "migration-api:dbRestoreFromSnapshot": "some-snapshot" }),
        );
        const renamed = snapshotId(await runNetDb("production", { "migration-api:dbName": "uploads" }));
        assert.equal(new Set([base, restored, renamed]).size, 3);
    });

    it("is not made when the stack skips the final snapshot", async () => {
        const run = await runNetDb("staging");
        assert.equal(cluster(run).inputs.finalSnapshotIdentifier, undefined);
        assert.equal(ofType(run, "random:index/randomId:RandomId").length, 0);
    });
});
