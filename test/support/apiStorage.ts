import * as assert from "node:assert/strict";
import { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { ApiService, ApiServiceArgs, EncryptionKey, Storage, StorageArgs } from "../../components";
import { parseStackConfig, StackConfig } from "../../config";
import { ofType, readStackConfig, RecordedResource, settingsFor, simulate, StackRun } from "../../tools/sim";
import { apiServiceArgs, drProviderArgs, storageArgs } from "../../lib/stackArgs";
import { apiOutputs } from "../../stack";

/** The stack's real, validated config, as index.ts gets it. */
export function stackConfig(stack: string, overrides: Record<string, string> = {}): StackConfig {
    const raw = { ...readStackConfig(stack).values, ...overrides };
    return parseStackConfig(raw, stack);
}

/** Storage args from the stack config, exactly as index.ts wires them (lib/stackArgs.ts). */
export function storageArgsFrom(config: StackConfig, drProvider?: Provider): StorageArgs {
    return storageArgs(config, drProvider);
}

/** Stand-ins for the Network and Database components' outputs. */
export const NETWORK = {
    vpcId: "vpc-0123456789abcdef0",
    publicSubnetIds: ["subnet-public-a", "subnet-public-b"],
    privateSubnetIds: ["subnet-private-a", "subnet-private-b"],
};
export const DATABASE = {
    databaseHost: "db.cluster-abc.us-east-1.rds.amazonaws.com",
    appEndpoint: "db-proxy.proxy-abc.us-east-1.rds.amazonaws.com",
    appUsername: "migration_app",
    appDbUserArn: "arn:aws:rds-db:us-east-1:123456789012:dbuser:prx-0123456789abcdef0/migration_app",
    databasePort: 5432,
    databaseSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-1111-abcdef",
    databaseKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/22222222-2222-4222-a222-222222222222",
};
export const LOGS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/33333333-3333-4333-a333-333333333333";

/** ApiService args from the stack config and the other components, exactly as index.ts wires them. */
export function apiArgsFrom(
    config: StackConfig,
    storage: Storage,
    logsKmsKeyArn: pulumi.Input<string>,
): ApiServiceArgs {
    return apiServiceArgs(config, {
        network: { ...NETWORK, cidrBlock: config.vpcCidr },
        database: {
            writerEndpoint: DATABASE.databaseHost,
            appEndpoint: DATABASE.appEndpoint,
            appUsername: DATABASE.appUsername,
            appDbUserArn: DATABASE.appDbUserArn,
            port: DATABASE.databasePort,
            masterSecretArn: DATABASE.databaseSecretArn,
            kmsKeyArn: DATABASE.databaseKmsKeyArn,
        },
        storage,
        logsKmsKeyArn,
    });
}

/** A provider for the DR region with the stack's default tags, as index.ts creates it. */
export function drProviderFor(config: StackConfig): Provider | undefined {
    const args = drProviderArgs(config);
    return args && new Provider("dr", args);
}

/** Builds Storage (and, with `api`, the ApiService) for a stack from its real config. */
export async function buildStack(
    stack: string,
    options: {
        api?: boolean;
        overrides?: Record<string, string>;
        storage?: (args: StorageArgs) => StorageArgs;
        apiArgs?: (args: ApiServiceArgs) => ApiServiceArgs;
        /** Image tags or digests the simulated ECR lacks. */
        missingImages?: readonly string[];
    } = {},
): Promise<StackRun> {
    const config = stackConfig(stack, options.overrides);
    return simulate({ ...settingsFor(stack, options.overrides), missingImages: options.missingImages }, () => {
        const drProvider = drProviderFor(config);
        const storageArgs = storageArgsFrom(config, drProvider);
        const storage = new Storage("storage", options.storage ? options.storage(storageArgs) : storageArgs);
        const outputs: Record<string, unknown> = { grant: storage.grantReadWrite() };
        if (options.api) {
            const logsKey = new EncryptionKey("logs", { description: "logs", allowServices: ["logs"] });
            const args = apiArgsFrom(config, storage, logsKey.arn);
            const api = new ApiService("api", options.apiArgs ? options.apiArgs(args) : args);
            Object.assign(outputs, apiOutputs(api), { webAclArn: api.webAclArn });
        }
        return outputs;
    });
}

/** The one resource of a type (optionally whose name matches); fails when there is not exactly one. */
export function one(run: StackRun, type: string, name?: string | RegExp): RecordedResource {
    const found = ofType(run, type).filter(
        (r) => name === undefined || (typeof name === "string" ? r.name === name : name.test(r.name)),
    );
    assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, got ${found.length}`);
    return found[0];
}

export interface IamStatement {
    Sid?: string;
    Effect: string;
    Action: string[];
    Resource: string[];
    Principal?: unknown;
    Condition?: Record<string, Record<string, string | string[]>>;
}

/** The statements of an IAM policy JSON, with Action and Resource always arrays. */
export function statementsOf(json: unknown): IamStatement[] {
    const doc = JSON.parse(String(json)) as { Statement: Record<string, unknown>[] };
    const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string]);
    return doc.Statement.map((s) => ({ ...s, Action: list(s.Action), Resource: list(s.Resource) }) as IamStatement);
}

/** Whether `resource` is a descendant of `ancestor` in the run's parent chain. */
export function isUnder(run: StackRun, resource: RecordedResource, ancestor: RecordedResource): boolean {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    for (let parent = resource.parent; parent !== undefined; parent = byUrn.get(parent)?.parent) {
        if (parent === ancestor.urn) return true;
    }
    return false;
}

/** The problem lines of an ArgProblems error ("invalid arguments for X:" then "  - ..." lines). */
export function problemLines(error: unknown): string[] {
    assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
    const [header, ...lines] = error.message.split("\n");
    assert.match(header, /^invalid arguments for /);
    return lines.map((line) => line.replace(/^ {2}- /, ""));
}

/** ApiService args that pass validation, with stand-ins for the other components: tests change one field. */
export function validApiServiceArgs(): ApiServiceArgs {
    return {
        ...NETWORK,
        vpcCidrBlock: "10.0.0.0/16",
        ...DATABASE,
        databaseName: "migrations",
        databaseUser: DATABASE.appUsername,
        databaseIamUserArn: DATABASE.appDbUserArn,
        uploadsBucketName: "uploads-bucket",
        storageGrant: [],
        accessLogsBucket: "logs-bucket",
        logsKmsKeyArn: LOGS_KEY_ARN,
        imageRepositoryName: "migration-api",
        imageTag: "1.4.2",
        cpu: 512,
        memoryMiB: 1024,
        desiredCount: 3,
        minCount: 2,
        maxCount: 6,
        domainName: "api.example.com",
        hostedZoneId: "Z0123456789ABCDEFGHIJ",
    };
}
