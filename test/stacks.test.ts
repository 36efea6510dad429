import * as assert from "node:assert/strict";
import { parseStackConfig, REQUIRED_TAGS, StackConfig } from "../config";
import { isTaggable, ofType, readStackConfig, RecordedResource, runStack, StackRun } from "../tools/sim";
import { dataFlow } from "../tools/diagram";
import { checkPolicies } from "../tools/preview-offline";
import { logGroupProblems } from "./support/stackChecks";

/** Whole-stack tests: the real program with each stack's real config, under simulated AWS. */
const STACKS = ["staging", "production"] as const;

function only(run: StackRun, type: string): RecordedResource {
    const found = ofType(run, type);
    assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
    return found[0];
}

function byName(run: StackRun, type: string, name: string): RecordedResource {
    const found = ofType(run, type).find((r) => r.name === name);
    assert.ok(found, `no ${type} named ${name}`);
    return found;
}

for (const stack of STACKS) {
    describe(`the ${stack} stack`, () => {
        let run: StackRun;
        let config: StackConfig;
        before(async () => {
            run = await runStack(stack);
            config = parseStackConfig(readStackConfig(stack).values, stack);
        });

        it("composes the five components and the shared logs and images keys at the top level", () => {
            const topLevel = run.resources.filter((r) => r.parent === undefined).map((r) => `${r.type} ${r.name}`);
            assert.deepEqual(topLevel.sort(), [
                "migration-api:api:ApiService api",
                "migration-api:database:Database database",
                "migration-api:network:Network network",
                "migration-api:observability:Observability observability",
                "migration-api:security:EncryptionKey images",
                "migration-api:security:EncryptionKey logs",
                "migration-api:storage:Storage storage",
                ...(stack === "production" ? ["pulumi:providers:aws dr"] : []),
            ]);
        });

        it("parents every other resource inside a component", () => {
            const urns = new Set(run.resources.map((r) => r.urn));
            const orphans = run.resources.filter((r) => r.parent !== undefined && !urns.has(r.parent));
            assert.deepEqual(orphans, []);
        });

        it("tags every taggable resource with the cost-allocation tags through default tags", () => {
            const taggable = run.resources.filter((r) => r.custom && isTaggable(r.type));
            assert.ok(taggable.length > 50, `only ${taggable.length} taggable resources`);
            for (const resource of taggable) {
                const tags = resource.state.tagsAll as Record<string, string>;
                for (const tag of REQUIRED_TAGS) {
                    assert.equal(tags[tag], config.defaultTags[tag], `${resource.urn} lacks tag ${tag}`);
                }
            }
            for (const provider of ofType(run, "pulumi:providers:aws")) {
                // Provider inputs reach the engine JSON-encoded.
                assert.deepEqual(JSON.parse(String(provider.inputs.defaultTags)), { tags: config.defaultTags });
            }
        });

        it("encrypts every log group with KMS and keeps logs for the configured days", () => {
            assert.ok(ofType(run, "aws:cloudwatch/logGroup:LogGroup").length >= 4);
            assert.deepEqual(logGroupProblems(run.resources, config.logRetentionDays), []);
        });

        it("rotates every KMS key", () => {
            for (const key of ofType(run, "aws:kms/key:Key")) assert.equal(key.inputs.enableKeyRotation, true, key.urn);
        });

        it("spreads the database instances over distinct AZs, a writer and readers", () => {
            const instances = ofType(run, "aws:rds/clusterInstance:ClusterInstance");
            assert.equal(instances.length, config.dbInstanceCount);
            const zones = new Set(instances.map((i) => i.inputs.availabilityZone));
            assert.equal(zones.size, Math.min(config.dbInstanceCount, config.availabilityZoneCount));
            const cluster = only(run, "aws:rds/cluster:Cluster");
            for (const instance of instances) assert.equal(instance.inputs.clusterIdentifier, cluster.id);
            assert.equal(cluster.inputs.availabilityZones, undefined);
            assert.equal(cluster.inputs.storageEncrypted, true);
            assert.equal(cluster.inputs.backupRetentionPeriod, config.dbBackupRetentionDays);
            assert.equal(cluster.inputs.deletionProtection, config.dbDeletionProtection);
            assert.equal(cluster.inputs.skipFinalSnapshot, config.dbSkipFinalSnapshot);
            // One final-snapshot name per stack: both stacks may share an account and region.
            assert.equal(
                cluster.inputs.finalSnapshotIdentifier,
                config.dbSkipFinalSnapshot ? undefined : `migration-api-${stack}-final`,
            );
        });

        it("lets only the API's tasks (and the RDS Proxy) reach the database, on 5432, never from a CIDR", () => {
            const groupId = (name: string) => byName(run, "aws:ec2/securityGroup:SecurityGroup", name).id;
            const rules = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
            const ingressTo = (id: string) =>
                rules
                    .filter((rule) => rule.inputs.securityGroupId === id)
                    .map((rule) => [
                        rule.inputs.fromPort,
                        rule.inputs.toPort,
                        rule.inputs.referencedSecurityGroupId,
                        rule.inputs.cidrIpv4,
                    ])
                    .sort();
            const tasks = run.outputs.taskSecurityGroupId;
            if (config.dbProxyEnabled) {
                const proxy = groupId("database-proxy-sg");
                assert.deepEqual(
                    ingressTo(groupId("database-sg")),
                    [
                        [5432, 5432, proxy, undefined],
                        [5432, 5432, tasks, undefined],
                    ].sort(),
                );
                assert.deepEqual(ingressTo(proxy), [[5432, 5432, tasks, undefined]]);
            } else {
                assert.deepEqual(ingressTo(groupId("database-sg")), [[5432, 5432, tasks, undefined]]);
            }
        });

        it("runs the service in the private subnets of every AZ, without public IPs", () => {
            const service = only(run, "aws:ecs/service:Service");
            const network = service.inputs.networkConfiguration as { subnets: string[]; assignPublicIp: boolean };
            assert.deepEqual(network.subnets, run.outputs.privateSubnetIds);
            assert.equal(network.subnets.length, config.availabilityZoneCount);
            assert.equal(network.assignPublicIp, false);
            assert.equal(service.inputs.desiredCount, config.apiDesiredCount);
        });

        it("wires the data flow: load balancer -> service -> database and bucket", () => {
            const edges = dataFlow(run.resources);
            assert.ok(edges.includes("LoadBalancer api-lb -> Service api-service"), edges.join("; "));
            assert.ok(edges.includes("Service api-service -> Cluster database-cluster"), edges.join("; "));
            assert.ok(edges.includes("Service api-service -> Bucket storage-uploads"), edges.join("; "));
        });

        it("passes the policy pack with its own config: no mandatory violation", async () => {
            const report = await checkPolicies(run);
            const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory");
            assert.deepEqual(mandatory, []);
        });
    });
}

describe("differences between the stacks", () => {
    let staging: StackRun;
    let production: StackRun;
    before(async () => {
        staging = await runStack("staging");
        production = await runStack("production");
    });

    const stateful = [
        "aws:rds/cluster:Cluster",
        "aws:rds/clusterInstance:ClusterInstance",
        "aws:s3/bucket:Bucket",
        "aws:kms/key:Key",
    ];

    // The alarm topic's key guards messages in flight only; losing it loses no data.
    const transientKeys = ["observability-key-key"];

    it("protects the stateful resources and every key that encrypts data, in production only", () => {
        for (const type of stateful) {
            const prod = ofType(production, type).filter((r) => !transientKeys.includes(r.name));
            assert.ok(prod.length > 0, type);
            for (const resource of prod) assert.equal(resource.protect, true, `${resource.urn} is not protected`);
        }
        assert.deepEqual(
            ofType(production, "aws:kms/key:Key")
                .filter((key) => !key.protect)
                .map((key) => key.name),
            transientKeys,
        );
        assert.deepEqual(
            staging.resources.filter((r) => r.protect).map((r) => r.urn),
            [],
        );
    });

    it("keeps the database and buckets on delete in production", () => {
        for (const type of ["aws:rds/cluster:Cluster", "aws:s3/bucket:Bucket"]) {
            for (const resource of ofType(production, type)) assert.equal(resource.retainOnDelete, true, resource.urn);
        }
    });

    it("serves production over HTTPS on its domain and staging over plain HTTP", () => {
        assert.equal(production.outputs.url, "https://api.migrations.example.com");
        assert.equal(production.outputs.httpsEnabled, true);
        assert.match(String(staging.outputs.url), /^http:\/\/api-lb-[0-9a-f]{7}-\d+\.us-east-1\.elb\.amazonaws\.com$/);
        assert.equal(staging.outputs.httpsEnabled, false);
    });

    it("adds WAF, RDS Proxy, cross-region backups and replication in production only", () => {
        for (const type of [
            "aws:wafv2/webAcl:WebAcl",
            "aws:rds/proxy:Proxy",
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        ]) {
            assert.equal(ofType(production, type).length, 1, type);
            assert.equal(ofType(staging, type).length, 0, type);
        }
        const drVault = String(production.outputs.drBackupVaultArn);
        assert.match(drVault, /^arn:aws:backup:us-west-2:123456789012:backup-vault:/);
        assert.equal(staging.outputs.drBackupVaultArn, undefined);
    });

    it("blocks oversized bodies and body attacks outside the configured upload paths only when paths are set", async () => {
        const ruleNames = (run: StackRun) =>
            (only(run, "aws:wafv2/webAcl:WebAcl").inputs.rules as { name: string }[]).map((rule) => rule.name);
        assert.ok(!ruleNames(production).includes("BlockOversizedBodyOutsideUploads"));
        const withPaths = await runStack("production", { overrides: ['wafUploadPathPrefixes=["/uploads"]'] });
        assert.ok(ruleNames(withPaths).includes("BlockOversizedBodyOutsideUploads"));
        assert.ok(!ruleNames(production).includes("BlockBodyAttacksOutsideUploads"));
        assert.ok(ruleNames(withPaths).includes("BlockBodyAttacksOutsideUploads"));
    });

    it("uses one NAT gateway in staging and one per AZ in production", () => {
        const natOf = (run: StackRun) =>
            (only(run, "awsx:ec2:Vpc").construct?.inputs.natGateways as { strategy: string }).strategy;
        assert.equal(natOf(staging), "Single");
        assert.equal(natOf(production), "OnePerAz");
    });

    it("exports the outputs the pipeline and runbooks use", () => {
        for (const key of [
            "url",
            "migrationTaskDefinitionArn",
            "clusterName",
            "serviceName",
            "privateSubnetIds",
            "taskSecurityGroupId",
            "dbClusterIdentifier",
            "dbMasterSecretArn",
            "apiLogGroupName",
            "uploadsBucketName",
            "dashboardUrl",
        ]) {
            assert.ok(production.outputs[key], `production lacks output ${key}`);
            assert.ok(staging.outputs[key], `staging lacks output ${key}`);
        }
    });
});
