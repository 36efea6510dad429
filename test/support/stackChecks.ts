import { CLOUDWATCH_RETENTION_DAYS } from "../../components/shared";

/** The parts of a recorded resource the checks read (`RecordedResource` from tools/sim fits). */
export interface ResourceLike {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** The provider's answer (ids, ARNs); lets a log group's `kmsKeyId` be matched to its key. */
    readonly state?: Record<string, unknown>;
}

const KMS_KEY = "aws:kms/key:Key";
const LOGS_PRINCIPAL = /^logs\.[a-z0-9-]+\.amazonaws\.com$/;

interface PolicyStatement {
    Effect?: string;
    Principal?: { Service?: string | string[] };
    Action?: string | string[];
}

/** Whether a key policy (JSON) lets the CloudWatch Logs service principal encrypt and decrypt with the key. */
export function keyPolicyAllowsLogs(policy: unknown): boolean {
    if (typeof policy !== "string") return false;
    let statements: PolicyStatement[];
    try {
        const parsed = JSON.parse(policy) as { Statement?: PolicyStatement | PolicyStatement[] };
        statements = ([] as PolicyStatement[]).concat(parsed.Statement ?? []);
    } catch {
        return false;
    }
    const list = (value: string | string[] | undefined) => ([] as string[]).concat(value ?? []);
    return statements.some((statement) => {
        const actions = list(statement.Action);
        const grants = (action: string) =>
            actions.some(
                (a) => a === "kms:*" || a === action || (a.endsWith("*") && action.startsWith(a.slice(0, -1))),
            );
        return (
            (statement.Effect ?? "Allow") === "Allow" &&
            list(statement.Principal?.Service).some((service) => LOGS_PRINCIPAL.test(service)) &&
            grants("kms:Encrypt") &&
            grants("kms:Decrypt") &&
            grants("kms:GenerateDataKey")
        );
    });
}

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/**
 * Every log group of a run must be encrypted with a KMS key and keep its logs for
 * `retentionDays` (the stack's `logRetentionDays`), a value CloudWatch accepts. When the run
 * holds KMS keys (with their `state.arn`), each group's key must be one of them and its policy
 * must let the CloudWatch Logs service principal use it. Returns one message per problem,
 * naming the log group; an empty list means the stack complies.
 * For the whole-stack test: `logGroupProblems((await runStack("production")).resources, config.logRetentionDays)`.
 */
export function logGroupProblems(resources: readonly ResourceLike[], retentionDays: number): string[] {
    const problems: string[] = [];
    if (!(CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(retentionDays)) {
        problems.push(`retention ${retentionDays} days is not a value CloudWatch Logs accepts.`);
    }
    const keys = resources.filter((r) => r.type === KMS_KEY && typeof r.state?.arn === "string");
    for (const group of resources.filter((r) => r.type === LOG_GROUP)) {
        const { kmsKeyId, retentionInDays } = group.inputs;
        if (typeof kmsKeyId !== "string" || kmsKeyId === "") {
            problems.push(`log group ${group.name} is not encrypted with a KMS key (\`kmsKeyId\` unset).`);
        } else if (keys.length > 0) {
            const key = keys.find((k) => k.state?.arn === kmsKeyId);
            if (key === undefined) {
                problems.push(
                    `log group ${group.name} is encrypted with ${kmsKeyId}, which is not a key of this stack.`,
                );
            } else if (!keyPolicyAllowsLogs(key.inputs.policy)) {
                problems.push(
                    `log group ${group.name} is encrypted with key ${key.name}, whose policy does not let the CloudWatch Logs service principal use it.`,
                );
            }
        }
        if (retentionInDays !== retentionDays) {
            problems.push(
                `log group ${group.name} keeps logs ${retentionInDays === undefined ? "forever" : `${String(retentionInDays)} days`}; expected ${retentionDays}.`,
            );
        }
    }
    return problems;
}
