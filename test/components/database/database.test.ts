import * as assert from "node:assert/strict";
import * as ec2 from "@pulumi/aws/ec2";
import { Provider } from "@pulumi/aws/provider";
import { describe, it } from "mocha";
import { Database, DatabaseArgs, DATABASE_LIMITS } from "../../../components/database";
import { acu, auroraInstanceClass, engineVersionOf, serverlessPairProblems } from "../../../components/database/checks";
import { ofType, settingsFor, simulate, StackRun } from "../../../tools/sim";
import { constructionError, one, PolicyStatement, runNetDb, statements, typeCounts, urnOf } from "../../support/netdb";

const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const KMS_KEY = "aws:kms/key:Key";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const DATABASE = "migration-api:database:Database";
const LOGS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-a444-555555555555";

const cluster = (run: StackRun) => one(run, CLUSTER);
const instances = (run: StackRun) => ofType(run, INSTANCE).sort((a, b) => a.name.localeCompare(b.name));
const dbResources = (run: StackRun) => run.resources.filter((r) => r.name.startsWith("db-"));

describe("Database (staging settings)", () => {
    let run: StackRun;
    before(async () => {
        run = await runNetDb("staging");
    });

    it("is a Serverless v2 cluster with a writer and a reader in two AZs", () => {
        const c = cluster(run);
        assert.equal(c.inputs.engine, "aurora-postgresql");
        assert.equal(c.inputs.engineMode, "provisioned");
        assert.deepEqual(c.inputs.serverlessv2ScalingConfiguration, { minCapacity: 0.5, maxCapacity: 4 });
        const list = instances(run);
        assert.equal(list.length, 2);
        assert.deepEqual(
            list.map((i) => [i.inputs.instanceClass, i.inputs.availabilityZone, i.inputs.promotionTier]),
            [
                ["db.serverless", "us-east-1a", 0],
                ["db.serverless", "us-east-1b", 1],
            ],
        );
    });

    it("keeps 7 days of backups, skips the final snapshot and is neither protected nor deletion-protected", () => {
        const c = cluster(run);
        assert.equal(c.inputs.backupRetentionPeriod, 7);
        assert.equal(c.inputs.deletionProtection, false);
        assert.equal(c.inputs.skipFinalSnapshot, true);
        assert.equal(c.inputs.finalSnapshotIdentifier, undefined);
        for (const r of dbResources(run)) {
            assert.equal(r.protect, false, r.name);
            assert.equal(r.retainOnDelete, false, r.name);
        }
    });

    it("has no proxy and no cross-region backup", () => {
        assert.equal(ofType(run, "aws:rds/proxy:Proxy").length, 0);
        assert.equal(ofType(run, "aws:backup/plan:Plan").length, 0);
        assert.equal(ofType(run, "aws:backup/vault:Vault").length, 0);
        assert.equal(run.outputs.proxyEndpoint, undefined);
        assert.equal(run.outputs.drBackupVaultArn, undefined);
    });

    it("exports PostgreSQL logs to a log group under the logs key, kept 30 days", () => {
        const c = cluster(run);
        assert.deepEqual(c.inputs.enabledCloudwatchLogsExports, ["postgresql"]);
        const group = one(run, "aws:cloudwatch/logGroup:LogGroup", "db-postgresql-logs");
        assert.equal(group.inputs.name, `/aws/rds/cluster/${c.state.clusterIdentifier}/postgresql`);
        assert.equal(group.inputs.kmsKeyId, run.outputs.logsKeyArn);
        assert.equal(group.inputs.retentionInDays, 30);
        for (const instance of instances(run)) assert.ok(instance.dependencies.includes(group.urn), instance.name);
    });
});

describe("Database (production settings)", () => {
    let run: StackRun;
    before(async () => {
        run = await runNetDb("production");
    });

    it("runs three db.r6g.large instances, one per AZ, with promotion tiers in order", () => {
        const list = instances(run);
        assert.deepEqual(
            list.map((i) => [i.inputs.instanceClass, i.inputs.availabilityZone, i.inputs.promotionTier]),
            [
                ["db.r6g.large", "us-east-1a", 0],
                ["db.r6g.large", "us-east-1b", 1],
                ["db.r6g.large", "us-east-1c", 2],
            ],
        );
        assert.equal(new Set(list.map((i) => i.inputs.availabilityZone)).size, 3);
        assert.equal(cluster(run).inputs.serverlessv2ScalingConfiguration, undefined);
        // The writer is created first: the readers wait for it.
        for (const reader of list.slice(1)) assert.ok(reader.dependencies.includes(list[0].urn));
        assert.deepEqual(
            run.outputs.instanceIdentifiers,
            list.map((i) => i.state.identifier),
        );
    });

    it("never gives the cluster an availabilityZones list", () => {
        assert.equal(cluster(run).inputs.availabilityZones, undefined);
    });

    it("runs the version production pins (dbEngineVersion 16.6) with its major's parameter group family", () => {
        assert.equal(cluster(run).inputs.engineVersion, "16.6");
        assert.equal(run.outputs.engineVersion, "16.6");
        assert.equal(
            one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup").inputs.family,
            "aurora-postgresql16",
        );
    });

    it("keeps 35 days of backups in its windows, with tags on snapshots and a named final snapshot", () => {
        const c = cluster(run);
        assert.equal(c.inputs.backupRetentionPeriod, 35);
        assert.equal(c.inputs.preferredBackupWindow, "03:00-04:00");
        assert.equal(c.inputs.preferredMaintenanceWindow, "sun:04:30-sun:05:30");
        assert.equal(c.inputs.copyTagsToSnapshot, true);
        assert.equal(c.inputs.skipFinalSnapshot, false);
        assert.match(String(c.inputs.finalSnapshotIdentifier), /^migration-api-production-final-[0-9a-f]{8}$/);
        assert.equal(c.inputs.deletionProtection, true);
    });

    it("protects and retains the cluster, its instances, its keys and its vaults", () => {
        const stateful = [
            cluster(run),
            ...instances(run),
            one(run, KMS_KEY, "db-key-key"),
            one(run, KMS_KEY, "db-dr-key-key"),
            one(run, "aws:backup/vault:Vault", "db-vault"),
            one(run, "aws:backup/vault:Vault", "db-dr-vault"),
        ];
        assert.equal(stateful.length, 8);
        for (const r of stateful) assert.deepEqual([r.name, r.protect, r.retainOnDelete], [r.name, true, true]);
        // Stateless plumbing stays unprotected, so it can be replaced freely.
        assert.equal(one(run, SG, "db-sg").protect, false);
    });

    it("encrypts storage, the master secret and Performance Insights with its own rotating key", () => {
        const key = one(run, KMS_KEY, "db-key-key");
        const keyArn = run.outputs.dbKeyArn;
        assert.equal(key.state.arn, keyArn);
        assert.notEqual(keyArn, run.outputs.logsKeyArn);
        assert.equal(key.inputs.enableKeyRotation, true);
        const c = cluster(run);
        assert.equal(c.inputs.storageEncrypted, true);
        assert.equal(c.inputs.kmsKeyId, keyArn);
        assert.equal(c.inputs.manageMasterUserPassword, true);
        assert.equal(c.inputs.masterUserSecretKmsKeyId, keyArn);
        assert.equal(c.inputs.masterPassword, undefined);
        assert.equal(c.inputs.iamDatabaseAuthenticationEnabled, true);
        for (const instance of instances(run)) {
            assert.equal(instance.inputs.performanceInsightsEnabled, true);
            assert.equal(instance.inputs.performanceInsightsKmsKeyId, keyArn);
            assert.equal(instance.inputs.publiclyAccessible, false);
        }
        assert.match(String(run.outputs.masterSecretArn), /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!/);
    });

    it("keeps key administration with the account and grants no service or wildcard principal", () => {
        for (const name of ["db-key-key", "db-dr-key-key"]) {
            const policy = statements(one(run, KMS_KEY, name).inputs.policy);
            assert.deepEqual(
                policy.map((s: PolicyStatement) => [s.Sid, s.Principal]),
                [["AccountAdministers", { AWS: "arn:aws:iam::123456789012:root" }]],
                name,
            );
        }
        const logs = statements(one(run, KMS_KEY, "logs-key").inputs.policy);
        assert.deepEqual(logs[1].Principal, { Service: "logs.us-east-1.amazonaws.com" });
    });

    it("forces TLS through the cluster parameter group", () => {
        const params = one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup");
        assert.deepEqual((params.inputs.parameters as unknown[])[0], {
            name: "rds.force_ssl",
            value: "1",
            applyMethod: "pending-reboot",
        });
        assert.equal(cluster(run).inputs.dbClusterParameterGroupName, params.state.name);
    });

    it("lives in the isolated subnets behind its own security group", () => {
        const subnets = one(run, "aws:rds/subnetGroup:SubnetGroup");
        assert.deepEqual(subnets.inputs.subnetIds, run.outputs.isolatedSubnetIds);
        assert.equal(cluster(run).inputs.dbSubnetGroupName, subnets.state.name);
        assert.deepEqual(cluster(run).inputs.vpcSecurityGroupIds, [run.outputs.dbSecurityGroupId]);
    });

    it("turns on enhanced monitoring with its role", () => {
        const role = one(run, "aws:iam/role:Role", "db-monitoring-role");
        assert.deepEqual(statements(role.inputs.assumeRolePolicy)[0].Principal, {
            Service: "monitoring.rds.amazonaws.com",
        });
        const attachment = one(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "db-monitoring");
        assert.equal(
            attachment.inputs.policyArn,
            "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
        );
        for (const instance of instances(run)) {
            assert.equal(instance.inputs.monitoringInterval, 60);
            assert.equal(instance.inputs.monitoringRoleArn, role.state.arn);
        }
    });

    it("fronts the cluster with an RDS Proxy: TLS, end-to-end IAM auth, private subnets, no secret", () => {
        const proxy = one(run, "aws:rds/proxy:Proxy");
        assert.equal(proxy.inputs.engineFamily, "POSTGRESQL");
        assert.equal(proxy.inputs.requireTls, true);
        assert.equal(proxy.inputs.defaultAuthScheme, "IAM_AUTH");
        assert.equal(proxy.inputs.auths, undefined);
        assert.deepEqual(proxy.inputs.vpcSubnetIds, run.outputs.privateSubnetIds);
        const proxySg = one(run, SG, "db-proxy-sg");
        assert.equal(proxySg.inputs.vpcId, run.outputs.vpcId);
        assert.match(String((proxy.inputs.vpcSecurityGroupIds as string[])[0]), /^sg-[0-9a-f]{17}$/);
        assert.notEqual((proxy.inputs.vpcSecurityGroupIds as string[])[0], run.outputs.dbSecurityGroupId);
        const target = one(run, "aws:rds/proxyTarget:ProxyTarget");
        assert.equal(target.inputs.dbClusterIdentifier, cluster(run).state.clusterIdentifier);
        assert.equal(target.inputs.targetGroupName, "default");
        assert.equal(run.outputs.proxyEndpoint, proxy.state.endpoint);
        // The proxy logs in to the cluster as the application user, with its own IAM tokens.
        const access = statements(one(run, "aws:iam/rolePolicy:RolePolicy", "db-proxy-connect").inputs.policy);
        assert.deepEqual(
            access.map((st) => [st.Action, st.Resource]),
            [
                [
                    "rds-db:connect",
                    `arn:aws:rds-db:us-east-1:123456789012:dbuser:${String(cluster(run).state.clusterResourceId)}/migration_app`,
                ],
            ],
        );
    });

    it("copies every backup to a vault in the DR region under that region's own key", () => {
        const dr = one(run, "pulumi:providers:aws", "dr");
        assert.equal(dr.inputs.region, "us-west-2");
        const drVault = one(run, "aws:backup/vault:Vault", "db-dr-vault");
        const drKey = one(run, KMS_KEY, "db-dr-key-key");
        assert.ok(drVault.provider?.startsWith(dr.urn), "DR vault uses the DR provider");
        assert.ok(drKey.provider?.startsWith(dr.urn), "DR key uses the DR provider");
        assert.equal(drVault.inputs.kmsKeyArn, drKey.state.arn);
        assert.notEqual(drKey.state.arn, run.outputs.dbKeyArn);
        assert.equal(run.outputs.drBackupVaultArn, drVault.state.arn);

        const vault = one(run, "aws:backup/vault:Vault", "db-vault");
        assert.equal(vault.provider, undefined);
        const [rule] = one(run, "aws:backup/plan:Plan").inputs.rules as Record<string, unknown>[];
        assert.match(String(rule.targetVaultName), /^db-vault-[0-9a-f]{7}$/); // the primary vault's name (its id)
        assert.equal(rule.schedule, "cron(0 5 * * ? *)");
        assert.deepEqual(rule.lifecycle, { deleteAfter: 35 });
        assert.deepEqual(rule.copyActions, [
            { destinationVaultArn: drVault.state.arn, lifecycle: { deleteAfter: 35 } },
        ]);
        const selection = one(run, "aws:backup/selection:Selection");
        assert.deepEqual(selection.inputs.resources, [cluster(run).state.arn]);
        assert.equal(selection.inputs.iamRoleArn, one(run, "aws:iam/role:Role", "db-backup-role").state.arn);
    });

    it("parents every resource it makes to the component", () => {
        const db = urnOf(run, DATABASE, "db");
        const direct = dbResources(run).filter((r) => !r.name.endsWith("-key-key"));
        assert.ok(direct.length > 20);
        for (const r of direct) assert.equal(r.parent, db, r.name);
        assert.equal(
            one(run, KMS_KEY, "db-key-key").parent,
            urnOf(run, "migration-api:security:EncryptionKey", "db-key"),
        );
    });
});

describe("Database security groups", () => {
    let run: StackRun;
    let apiSgId = "";
    before(async () => {
        run = await runNetDb("production", {}, ({ database }) => {
            const api = new ec2.SecurityGroup("api-sg", { vpcId: "vpc-1" });
            database.allowFrom("api", api.id);
            api.id.apply((id) => (apiSgId = id));
        });
    });

    const ingressTo = (groupId: unknown) => ofType(run, INGRESS).filter((r) => r.inputs.securityGroupId === groupId);

    it("admits 5432 only from security groups, never from a CIDR", () => {
        const rules = ofType(run, INGRESS).filter((r) => r.name.startsWith("db-"));
        assert.equal(rules.length, 3);
        for (const rule of rules) {
            assert.deepEqual(
                [rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort],
                ["tcp", 5432, 5432],
                rule.name,
            );
            assert.match(String(rule.inputs.referencedSecurityGroupId), /^sg-/);
            assert.equal(rule.inputs.cidrIpv4, undefined);
            assert.equal(rule.inputs.cidrIpv6, undefined);
            assert.equal(rule.inputs.prefixListId, undefined);
        }
        for (const sg of ofType(run, SG).filter((g) => g.name.startsWith("db-"))) {
            assert.equal(sg.inputs.ingress, undefined, sg.name);
            assert.equal(sg.inputs.egress, undefined, sg.name);
        }
    });

    it("lets the API in through allowFrom, on the cluster and on the proxy, parented to the database", () => {
        const proxySg = one(run, SG, "db-proxy-sg");
        const fromApi = ofType(run, INGRESS).filter((r) => r.inputs.referencedSecurityGroupId === apiSgId);
        assert.deepEqual(fromApi.map((r) => r.name).sort(), ["db-from-api", "db-proxy-from-api"]);
        assert.ok(fromApi.every((r) => r.parent === urnOf(run, DATABASE, "db")));
        const cluster = ingressTo(run.outputs.dbSecurityGroupId);
        assert.deepEqual(cluster.map((r) => r.name).sort(), ["db-from-api", "db-from-proxy"]);
        const proxyRule = cluster.find((r) => r.name === "db-from-proxy");
        const proxyGroupId = one(run, "aws:rds/proxy:Proxy").inputs.vpcSecurityGroupIds as string[];
        assert.equal(proxyRule?.inputs.referencedSecurityGroupId, proxyGroupId[0]);
        assert.equal(proxySg.inputs.vpcId, run.outputs.vpcId);
    });

    it("lets the proxy out only to the cluster on 5432", () => {
        const [egress] = ofType(run, EGRESS);
        assert.equal(ofType(run, EGRESS).length, 1);
        assert.deepEqual(
            [
                egress.inputs.fromPort,
                egress.inputs.toPort,
                egress.inputs.referencedSecurityGroupId,
                egress.inputs.cidrIpv4,
            ],
            [5432, 5432, run.outputs.dbSecurityGroupId, undefined],
        );
    });
});

/** What each stack's settings must build, by resource type, under the Database component. */
const EXPECTED_DB_RESOURCES: Record<"staging" | "production", Record<string, number>> = {
    staging: {
        "migration-api:security:EncryptionKey": 1,
        "aws:kms/key:Key": 1,
        "aws:rds/subnetGroup:SubnetGroup": 1,
        "aws:ec2/securityGroup:SecurityGroup": 1,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
        "aws:rds/clusterParameterGroup:ClusterParameterGroup": 1,
        "aws:rds/cluster:Cluster": 1,
        "aws:cloudwatch/logGroup:LogGroup": 1,
        "aws:iam/role:Role": 1,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1,
        "aws:rds/clusterInstance:ClusterInstance": 2,
    },
    production: {
        "migration-api:security:EncryptionKey": 2,
        "aws:kms/key:Key": 2,
        "aws:rds/subnetGroup:SubnetGroup": 1,
        "aws:ec2/securityGroup:SecurityGroup": 2,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 3,
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 1,
        "aws:rds/clusterParameterGroup:ClusterParameterGroup": 1,
        "aws:rds/cluster:Cluster": 1,
        "aws:cloudwatch/logGroup:LogGroup": 1,
        "aws:iam/role:Role": 3,
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 3,
        "aws:iam/rolePolicy:RolePolicy": 1,
        "aws:rds/clusterInstance:ClusterInstance": 3,
        "aws:rds/proxy:Proxy": 1,
        "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": 1,
        "aws:rds/proxyTarget:ProxyTarget": 1,
        "aws:backup/vault:Vault": 2,
        "aws:backup/plan:Plan": 1,
        "aws:backup/selection:Selection": 1,
        "random:index/randomId:RandomId": 1,
    },
};

for (const stack of ["staging", "production"] as const) {
    describe(`Database with ${stack} settings: resources, encryption and security groups`, () => {
        let run: StackRun;
        let apiSgId = "";
        before(async () => {
            run = await runNetDb(stack, {}, ({ database }) => {
                const api = new ec2.SecurityGroup("api-sg", { vpcId: "vpc-1" });
                database.allowFrom("api", api.id);
                api.id.apply((id) => (apiSgId = id));
            });
        });

        it("builds exactly the expected resources, by type and count", () => {
            assert.deepEqual(typeCounts(dbResources(run)), EXPECTED_DB_RESOURCES[stack]);
        });

        it("spreads the writer and the readers over distinct AZs, the writer first", () => {
            const list = instances(run);
            const zones = run.outputs.azs as string[];
            assert.deepEqual(
                list.map((i) => i.inputs.availabilityZone),
                list.map((_, n) => zones[n % zones.length]),
            );
            assert.equal(new Set(list.map((i) => i.inputs.availabilityZone)).size, Math.min(list.length, zones.length));
            assert.deepEqual(
                list.map((i) => i.inputs.promotionTier),
                list.map((_, n) => n),
            );
            assert.equal(cluster(run).inputs.availabilityZones, undefined);
        });

        it("encrypts storage, the master secret, Performance Insights and the logs with customer keys", () => {
            const key = one(run, KMS_KEY, "db-key-key");
            const keyArn = run.outputs.dbKeyArn;
            assert.equal(key.state.arn, keyArn);
            assert.equal(key.inputs.enableKeyRotation, true);
            assert.notEqual(keyArn, run.outputs.logsKeyArn);
            const c = cluster(run);
            assert.deepEqual(
                [c.inputs.storageEncrypted, c.inputs.kmsKeyId, c.inputs.masterUserSecretKmsKeyId],
                [true, keyArn, keyArn],
            );
            assert.equal(c.inputs.manageMasterUserPassword, true);
            assert.equal(c.inputs.masterPassword, undefined);
            assert.equal(c.inputs.iamDatabaseAuthenticationEnabled, true);
            for (const instance of instances(run)) {
                // Staging runs without Performance Insights (0.5 ACU minimum).
                const insights = stack === "production";
                assert.equal(instance.inputs.performanceInsightsEnabled, insights, instance.name);
                assert.equal(instance.inputs.performanceInsightsKmsKeyId, insights ? keyArn : undefined, instance.name);
                assert.equal(instance.inputs.publiclyAccessible, false, instance.name);
            }
            assert.equal(
                one(run, "aws:cloudwatch/logGroup:LogGroup", "db-postgresql-logs").inputs.kmsKeyId,
                run.outputs.logsKeyArn,
            );
            const policy = statements(key.inputs.policy);
            assert.deepEqual(
                policy.map((s: PolicyStatement) => [s.Sid, s.Principal, s.Action]),
                [["AccountAdministers", { AWS: "arn:aws:iam::123456789012:root" }, "kms:*"]],
            );
            assert.deepEqual(one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup").inputs.parameters, [
                { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
                { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" },
                { name: "log_connections", value: "1", applyMethod: "immediate" },
                { name: "log_disconnections", value: "1", applyMethod: "immediate" },
                { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
            ]);
        });

        it("admits 5432 only from the given security groups, never from a CIDR, and has no egress", () => {
            const rules = ofType(run, INGRESS).filter((r) => r.name.startsWith("db-"));
            const toCluster = rules.filter((r) => r.inputs.securityGroupId === run.outputs.dbSecurityGroupId);
            assert.deepEqual(
                toCluster.map((r) => r.name).sort(),
                stack === "production" ? ["db-from-api", "db-from-proxy"] : ["db-from-api"],
            );
            assert.equal(toCluster.find((r) => r.name === "db-from-api")?.inputs.referencedSecurityGroupId, apiSgId);
            for (const rule of rules) {
                assert.deepEqual(
                    [rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort],
                    ["tcp", 5432, 5432],
                    rule.name,
                );
                assert.match(String(rule.inputs.referencedSecurityGroupId), /^sg-[0-9a-f]{17}$/, rule.name);
                for (const field of ["cidrIpv4", "cidrIpv6", "prefixListId"]) {
                    assert.equal(rule.inputs[field], undefined, `${rule.name} ${field}`);
                }
            }
            for (const sg of ofType(run, SG).filter((g) => g.name.startsWith("db-"))) {
                assert.deepEqual([sg.inputs.ingress, sg.inputs.egress], [undefined, undefined], sg.name);
            }
            const egress = ofType(run, EGRESS).filter((r) => r.name.startsWith("db-"));
            assert.deepEqual(
                egress.map((r) => r.name),
                stack === "production" ? ["db-proxy-to-cluster"] : [],
            );
            assert.deepEqual(
                one(run, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds,
                run.outputs.isolatedSubnetIds,
            );
        });
    });
}

describe("Database restores", () => {
    it("builds the cluster from a snapshot, keeping the snapshot's name and master user", async () => {
        const run = await runNetDb("staging", { "migration-api:dbRestoreFromSnapshot": "migrations-2026-11-20" });
        const c = cluster(run);
        assert.equal(c.inputs.snapshotIdentifier, "migrations-2026-11-20");
        assert.equal(c.inputs.restoreToPointInTime, undefined);
        assert.equal(c.inputs.masterUsername, undefined);
        assert.equal(c.inputs.databaseName, undefined);
        assert.equal(c.inputs.kmsKeyId, run.outputs.dbKeyArn);
        assert.equal(c.inputs.manageMasterUserPassword, true);
    });

    it("restores to the latest restorable time of a source cluster", async () => {
        const run = await runNetDb("staging", { "migration-api:dbRestoreSourceCluster": "migrations-old" });
        assert.deepEqual(cluster(run).inputs.restoreToPointInTime, {
            sourceClusterIdentifier: "migrations-old",
            restoreType: "full-copy",
            useLatestRestorableTime: true,
        });
        assert.equal(cluster(run).inputs.snapshotIdentifier, undefined);
    });

    it("restores to a given time", async () => {
        const run = await runNetDb("staging", {
            "migration-api:dbRestoreSourceCluster": "migrations-old",
            "migration-api:dbRestoreToTime": "2026-11-20T08:30:00Z",
        });
        assert.deepEqual(cluster(run).inputs.restoreToPointInTime, {
            sourceClusterIdentifier: "migrations-old",
            restoreType: "full-copy",
            restoreToTime: "2026-11-20T08:30:00Z",
        });
    });

    it("builds a fresh cluster with the configured name when no restore is set", async () => {
        const run = await runNetDb("staging");
        assert.equal(cluster(run).inputs.databaseName, "migrations");
        assert.equal(cluster(run).inputs.masterUsername, "migration_admin");
        assert.equal(cluster(run).inputs.snapshotIdentifier, undefined);
        assert.equal(cluster(run).inputs.restoreToPointInTime, undefined);
    });
});

describe("Database options", () => {
    it("pins an engine version when one is configured", async () => {
        const run = await runNetDb("staging", { "migration-api:dbEngineVersion": "16.4" });
        assert.equal(cluster(run).inputs.engineVersion, "16.4");
    });

    it("drops enhanced monitoring and Performance Insights when turned off", async () => {
        const run = await runNetDb("staging", {
            "migration-api:dbMonitoringIntervalSeconds": "0",
            "migration-api:dbPerformanceInsights": "false",
        });
        assert.equal(ofType(run, "aws:iam/role:Role").filter((r) => r.name === "db-monitoring-role").length, 0);
        for (const instance of instances(run)) {
            assert.equal(instance.inputs.monitoringInterval, 0);
            assert.equal(instance.inputs.monitoringRoleArn, undefined);
            assert.equal(instance.inputs.performanceInsightsEnabled, false);
            assert.equal(instance.inputs.performanceInsightsKmsKeyId, undefined);
        }
    });

    it("wraps instances around the AZs when there are more instances than zones", async () => {
        const run = await runNetDb("staging", { "migration-api:dbInstanceCount": "3" });
        assert.deepEqual(
            instances(run).map((i) => i.inputs.availabilityZone),
            ["us-east-1a", "us-east-1b", "us-east-1a"],
        );
    });
});

const baseArgs: DatabaseArgs = {
    vpcId: "vpc-0123456789abcdef0",
    isolatedSubnetIds: ["subnet-1", "subnet-2"],
    availabilityZoneNames: ["us-east-1a", "us-east-1b"],
    databaseName: "migrations",
    masterUsername: "migration_admin",
    region: "us-east-1",
    logsKmsKeyArn: LOGS_KEY_ARN,
    protect: false,
};

describe("Database argument validation", () => {
    const header = "invalid arguments for Database db:";

    async function messageFor(args: Partial<DatabaseArgs>): Promise<string> {
        const { message, run } = await constructionError(() => new Database("db", { ...baseArgs, ...args }));
        // Validation runs before any child: only the component itself was registered.
        assert.deepEqual(
            run.resources.filter((r) => r.type !== "pulumi:providers:aws").map((r) => r.type),
            [DATABASE],
        );
        return message;
    }

    const drProvider = () => new Provider("dr", { region: "us-west-2" });
    const cases: [string, () => Partial<DatabaseArgs>, string][] = [
        [
            "retention below 1 day",
            () => ({ backupRetentionDays: 0 }),
            "`backupRetentionDays` must be an integer from 1 to 35; got 0.",
        ],
        [
            "retention above 35 days",
            () => ({ backupRetentionDays: 36 }),
            "`backupRetentionDays` must be an integer from 1 to 35; got 36.",
        ],
        ["a single instance", () => ({ instanceCount: 1 }), "`instanceCount` must be an integer from 2 to 15; got 1."],
        [
            "a minimum ACU above the maximum",
            () => ({ instanceClass: "db.serverless", serverlessMinAcu: 8, serverlessMaxAcu: 4 }),
            "`serverlessMinAcu` (8) must not exceed `serverlessMaxAcu` (4).",
        ],
        [
            "a maximum ACU outside the range",
            () => ({ serverlessMaxAcu: 300 }),
            "`serverlessMaxAcu` must be a multiple of 0.5 from 1 to 256 (ACUs); got 300.",
        ],
        [
            "a minimum ACU off the half steps",
            () => ({ serverlessMinAcu: 0.7 }),
            "`serverlessMinAcu` must be a multiple of 0.5 from 0 to 256 (ACUs); got 0.7.",
        ],
        [
            "an instance class Aurora PostgreSQL does not offer",
            () => ({ instanceClass: "db.m5.large" }),
            '`instanceClass` must be an instance class Aurora PostgreSQL 16 supports (db.serverless, db.t3.medium, db.t4g.medium/large, db.r5, db.r6g, db.r6i, db.r6gd, db.r7g, db.r7i, db.r8g, db.x2g; sizes large to 48xlarge); got "db.m5.large".',
        ],
        [
            "an instance class the engine version does not support",
            () => ({ engineMajorVersion: "17", instanceClass: "db.t3.medium" }),
            '`instanceClass` must be an instance class Aurora PostgreSQL 17 supports (db.serverless, db.t4g.medium/large, db.r5, db.r6g, db.r6i, db.r6gd, db.r7g, db.r7i, db.r8g, db.x2g; sizes large to 48xlarge); got "db.t3.medium".',
        ],
        [
            "a pinned version older than Serverless v2",
            () => ({
                instanceClass: "db.serverless",
                engineMajorVersion: "14",
                engineVersion: "14.1",
                performanceInsightsEnabled: false,
            }),
            '`engineVersion` must be 14.3 or later for `instanceClass` db.serverless (Serverless v2); got "14.1".',
        ],
        [
            "a minimum of 0 ACUs on a version that cannot pause",
            () => ({
                instanceClass: "db.serverless",
                engineVersion: "16.1",
                serverlessMinAcu: 0,
                performanceInsightsEnabled: false,
            }),
            '`serverlessMinAcu` must be at least 0.5 with `engineVersion` "16.1" (0 ACUs needs 16.3 or later); got 0.',
        ],
        [
            "a pinned version of another major",
            () => ({ engineMajorVersion: "16", engineVersion: "15.4" }),
            '`engineVersion` must be a 16.x version such as "16.4" (the major is `engineMajorVersion` 16); got "15.4".',
        ],
        [
            "both restore modes",
            () => ({ restoreFromSnapshot: "snap-1", restoreToPointInTime: { sourceClusterIdentifier: "old" } }),
            "`restoreFromSnapshot` and `restoreToPointInTime` are two restore modes; set one, not both.",
        ],
        [
            "a restore time that is neither a time nor latest",
            () => ({ restoreToPointInTime: { sourceClusterIdentifier: "old", restoreToTime: "yesterday" } }),
            '`restoreToPointInTime.restoreToTime` must be "latest" or a UTC time such as "2026-11-20T08:30:00Z"; got "yesterday".',
        ],
        [
            "a DR region equal to the primary region",
            () => ({ drRegion: "us-east-1", drProvider: drProvider() }),
            '`drRegion` must differ from `region`; both are "us-east-1".',
        ],
        [
            "a DR region without its provider",
            () => ({ drRegion: "us-west-2" }),
            '`drProvider` must be an aws.Provider for `drRegion` "us-west-2"; got nothing.',
        ],
        [
            "a DR provider without its region",
            () => ({ drProvider: drProvider() }),
            "`drRegion` must name the region of `drProvider`; got nothing.",
        ],
        [
            "a proxy without private subnets",
            () => ({ proxyEnabled: true }),
            "`privateSubnetIds` must list the RDS Proxy's subnets when `proxyEnabled` is true; got nothing.",
        ],
        [
            "a log retention CloudWatch refuses",
            () => ({ logRetentionDays: 100 }),
            "`logRetentionDays` must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 100.",
        ],
        [
            "an unsupported monitoring interval",
            () => ({ monitoringIntervalSeconds: 45 }),
            "`monitoringIntervalSeconds` must be one of 0, 1, 5, 10, 15, 30, 60; got 45.",
        ],
        [
            "an unknown log export",
            () => ({ cloudwatchLogExports: ["postgresql", "audit"] }),
            '`cloudwatchLogExports[1]` must be one of postgresql, iam-db-auth-error; got "audit".',
        ],
        [
            "a final snapshot prefix RDS refuses",
            () => ({ finalSnapshotPrefix: "Final_Snapshot" }),
            '`finalSnapshotPrefix` must be a DB cluster identifier: a lowercase letter, then letters, digits or single hyphens, at most 63; got "Final_Snapshot".',
        ],
        [
            "a final snapshot prefix that leaves no room for the suffix",
            () => ({ finalSnapshotPrefix: "a".repeat(55) }),
            `\`finalSnapshotPrefix\` must be at most 54 characters (a 9-character suffix follows); got "${"a".repeat(55)}".`,
        ],
        [
            "a database name with a hyphen",
            () => ({ databaseName: "my-db" }),
            '`databaseName` must be a lowercase identifier: a letter, then letters, digits or _; got "my-db".',
        ],
        [
            "an allowed security group with an unusable key",
            () => ({ allowedSecurityGroupIds: { "API service": "sg-1" } }),
            '`allowedSecurityGroupIds key` must be a short lowercase name such as "api"; got "API service".',
        ],
    ];
    for (const [what, args, expected] of cases) {
        it(`rejects ${what}`, async () => {
            assert.equal(await messageFor(args()), `${header}\n  - ${expected}`);
        });
    }

    it("reports every problem at once", async () => {
        const message = await messageFor({ instanceCount: 1, backupRetentionDays: 40, drRegion: "us-east-1" });
        assert.deepEqual(message.split("\n").slice(1), [
            "  - `instanceCount` must be an integer from 2 to 15; got 1.",
            "  - `backupRetentionDays` must be an integer from 1 to 35; got 40.",
            '  - `drRegion` must differ from `region`; both are "us-east-1".',
            '  - `drProvider` must be an aws.Provider for `drRegion` "us-east-1"; got nothing.',
        ]);
    });

    it("fails when the zones cannot separate the writer from a reader", async () => {
        assert.equal(
            await messageFor({ availabilityZoneNames: ["us-east-1a", "us-east-1a"] }),
            `${header}\n  - \`availabilityZoneNames\` must list at least 2 distinct zones, so the writer and a reader never share one; got ["us-east-1a","us-east-1a"].`,
        );
    });

    it("accepts the boundary values", async () => {
        const run = await simulate(settingsFor("staging"), () => {
            new Database("db", {
                ...baseArgs,
                instanceClass: "db.serverless",
                serverlessMinAcu: 0,
                serverlessMaxAcu: 256,
                performanceInsightsEnabled: false,
                instanceCount: 2,
                backupRetentionDays: 1,
                drRegion: "us-west-2",
                drProvider: new Provider("dr", { region: "us-west-2" }),
            });
        });
        assert.equal(cluster(run).inputs.backupRetentionPeriod, 1);
        assert.deepEqual(cluster(run).inputs.serverlessv2ScalingConfiguration, { minCapacity: 0, maxCapacity: 256 });
        assert.equal(ofType(run, "aws:backup/plan:Plan").length, 1);
    });

    it("rejects a bad or repeated allowFrom name", async () => {
        const bad = await constructionError(() => {
            const db = new Database("db", baseArgs);
            db.allowFrom("Api", "sg-1");
        });
        assert.equal(
            bad.message,
            'invalid arguments for Database db allowFrom:\n  - `name` must be a short lowercase name such as "api"; got "Api".',
        );
        const repeated = await constructionError(() => {
            const db = new Database("db", { ...baseArgs, allowedSecurityGroupIds: { api: "sg-1" } });
            db.allowFrom("api", "sg-2");
        });
        assert.equal(
            repeated.message,
            'invalid arguments for Database db allowFrom:\n  - `name` must be unique per database; got "api" twice.',
        );
    });
});

describe("database checks", () => {
    it("pairs instance classes with majors", () => {
        assert.equal(auroraInstanceClass("16")("db.t3.medium"), undefined);
        assert.equal(auroraInstanceClass("17")("db.r8g.2xlarge"), undefined);
        assert.equal(auroraInstanceClass("17")("db.serverless"), undefined);
        assert.notEqual(auroraInstanceClass("17")("db.t3.medium"), undefined);
        assert.notEqual(auroraInstanceClass("16")("db.r6g.medium"), undefined);
    });
    it("bounds ACUs in half steps", () => {
        const [min, max] = [acu(DATABASE_LIMITS.serverlessMinAcu), acu(DATABASE_LIMITS.serverlessMaxAcu)];
        assert.equal(min(0), undefined);
        assert.equal(max(256), undefined);
        assert.equal(max(0.5), "be a multiple of 0.5 from 1 to 256 (ACUs)");
        assert.equal(min(256.5), "be a multiple of 0.5 from 0 to 256 (ACUs)");
        assert.equal(min(1.25), "be a multiple of 0.5 from 0 to 256 (ACUs)");
    });
    it("ties a pinned version to its major", () => {
        assert.equal(engineVersionOf("15")("15.10"), undefined);
        assert.notEqual(engineVersionOf("15")("16.4"), undefined);
        assert.notEqual(engineVersionOf("1")("15.4"), undefined);
    });
});

describe("serverlessPairProblems", () => {
    it("accepts the first minors that run Serverless v2 and scale to 0 ACUs", () => {
        assert.deepEqual(serverlessPairProblems("14", "14.3", "db.serverless", 0.5), []);
        assert.deepEqual(serverlessPairProblems("16", "16.3", "db.serverless", 0), []);
        assert.deepEqual(serverlessPairProblems("17", "17.4", "db.serverless", 0), []);
    });
    it("leaves provisioned classes, unpinned versions and other majors to the other checks", () => {
        assert.deepEqual(serverlessPairProblems("14", "14.1", "db.r6g.large", 0), []);
        assert.deepEqual(serverlessPairProblems("16", undefined, "db.serverless", 0), []);
        assert.deepEqual(serverlessPairProblems("16", "15.1", "db.serverless", 0), []);
    });
    it("rejects the minor just before each first one", () => {
        assert.equal(serverlessPairProblems("15", "15.1", "db.serverless", 1).length, 1);
        assert.equal(serverlessPairProblems("15", "15.6", "db.serverless", 0).length, 1);
        assert.equal(serverlessPairProblems("15", "15.6", "db.serverless", 0.5).length, 0);
    });
});
