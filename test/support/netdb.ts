import { Provider } from "@pulumi/aws/provider";
import { Database, EncryptionKey, Network } from "../../components";
import { parseStackConfig, StackConfig } from "../../config";
import { RecordedResource, settingsFor, simulate, StackRun } from "../../tools/sim";
import { databaseArgs, drProviderArgs, logsKeyArgs, networkArgs } from "../../lib/stackArgs";

/** The Network + Database wiring index.ts uses (lib/stackArgs.ts), built from a real stack's validated config. */
export function buildNetDb(config: StackConfig) {
    const logsKey = new EncryptionKey("logs", logsKeyArgs(config));
    const network = new Network("network", networkArgs(config, logsKey.arn));
    const drProviderConfig = drProviderArgs(config);
    const drProvider = drProviderConfig && new Provider("dr", drProviderConfig);
    const database = new Database("db", databaseArgs(config, { network, logsKmsKeyArn: logsKey.arn, drProvider }));
    return { logsKey, network, database, drProvider };
}

/** Runs {@link buildNetDb} for `stack` (with `project:key` or `aws:key` overrides) under simulated AWS. */
export async function runNetDb(
    stack: "staging" | "production",
    overrides: Record<string, string> = {},
    extra?: (built: ReturnType<typeof buildNetDb>) => void,
): Promise<StackRun> {
    const settings = settingsFor(stack, overrides);
    return simulate(settings, () => {
        const config = parseStackConfig(settings.config, stack);
        const built = buildNetDb(config);
        extra?.(built);
        return {
            azs: built.network.availabilityZoneNames,
            privateSubnetIds: built.network.privateSubnetIds,
            isolatedSubnetIds: built.network.isolatedSubnetIds,
            publicSubnetIds: built.network.publicSubnetIds,
            endpointSecurityGroupId: built.network.endpointSecurityGroupId,
            vpcId: built.network.vpcId,
            logsKeyArn: built.logsKey.arn,
            dbKeyArn: built.database.kmsKeyArn,
            dbSecurityGroupId: built.database.securityGroupId,
            writerEndpoint: built.database.writerEndpoint,
            readerEndpoint: built.database.readerEndpoint,
            proxyEndpoint: built.database.proxyEndpoint,
            masterSecretArn: built.database.masterSecretArn,
            instanceIdentifiers: built.database.instanceIdentifiers,
            engineVersion: built.database.engineVersion,
            drBackupVaultArn: built.database.drBackupVaultArn,
            port: built.database.port,
        };
    });
}

/** Runs `body` under simulated AWS and returns the message it throws (constructing a component). */
export async function constructionError(
    body: () => void,
    stack = "staging",
): Promise<{ message: string; run: StackRun }> {
    let message = "";
    const run = await simulate(settingsFor(stack), () => {
        try {
            body();
        } catch (e) {
            message = (e as Error).message;
        }
    });
    if (message === "") throw new Error("expected construction to throw, and it did not");
    return { message, run };
}

export function one(run: StackRun, type: string, name?: string): RecordedResource {
    const found = run.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ""}, found ${found.length}`);
    return found[0];
}

export function urnOf(run: StackRun, type: string, name: string): string {
    return one(run, type, name).urn;
}

/** Parsed IAM policy JSON. */
export interface PolicyStatement {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Resource?: string | string[];
    Principal?: Record<string, string | string[]>;
    Condition?: Record<string, Record<string, string | string[]>>;
}
export function statements(policyJson: unknown): PolicyStatement[] {
    return (JSON.parse(String(policyJson)) as { Statement: PolicyStatement[] }).Statement;
}

/** How many resources of each type `resources` holds, keyed by type token. */
export function typeCounts(resources: readonly RecordedResource[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    return counts;
}
