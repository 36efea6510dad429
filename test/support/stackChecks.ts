import { CLOUDWATCH_RETENTION_DAYS } from "../../components/validation";

/** The parts of a recorded resource the checks read (`RecordedResource` from tools/sim fits). */
export interface ResourceLike {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/**
 * Every log group of a run must be encrypted with a KMS key and keep its logs for
 * `retentionDays` (the stack's `logRetentionDays`), a value CloudWatch accepts. Returns one
 * message per problem, naming the log group; an empty list means the stack complies.
 * For the whole-stack test: `logGroupProblems((await runStack("production")).resources, config.logRetentionDays)`.
 */
export function logGroupProblems(resources: readonly ResourceLike[], retentionDays: number): string[] {
    const problems: string[] = [];
    if (!(CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(retentionDays)) {
        problems.push(`retention ${retentionDays} days is not a value CloudWatch Logs accepts.`);
    }
    for (const group of resources.filter((r) => r.type === LOG_GROUP)) {
        const { kmsKeyId, retentionInDays } = group.inputs;
        if (typeof kmsKeyId !== "string" || kmsKeyId === "") {
            problems.push(`log group ${group.name} is not encrypted with a KMS key (\`kmsKeyId\` unset).`);
        }
        if (retentionInDays !== retentionDays) {
            problems.push(
                `log group ${group.name} keeps logs ${retentionInDays === undefined ? "forever" : `${String(retentionInDays)} days`}; expected ${retentionDays}.`,
            );
        }
    }
    return problems;
}
