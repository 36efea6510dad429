import * as pulumi from "@pulumi/pulumi";

/**
 * Pure checks shared by the stack config reader (`config.ts`) and the components' arg
 * validation, so both report the same rule in the same words. A check returns `undefined`
 * when the value is fine, or the phrase that completes "`name` must ..." when it is not.
 */
export type Check<T> = ((value: T) => string | undefined) & {
    /** The rule in words ("be one of a, b"), for messages about a missing value. */
    readonly rule?: string;
};

function withRule<T>(rule: string, test: (value: T) => boolean): Check<T> {
    return Object.assign((value: T) => (test(value) ? undefined : rule), { rule });
}

/** Renders a received value for a message: strings quoted, nothing as `nothing`. */
export function describeValue(value: unknown): string {
    if (value === undefined || value === null) return "nothing";
    if (typeof value === "string") return JSON.stringify(value);
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value);
}

/** "`name` must <rule>; got <value>." — the one message shape used everywhere. */
export function problem(name: string, rule: string, received: unknown): string {
    return `\`${name}\` must ${rule}; got ${describeValue(received)}.`;
}

export function integerInRange(min: number, max: number): Check<number> {
    return withRule(`be an integer from ${min} to ${max}`, (v) => Number.isInteger(v) && v >= min && v <= max);
}

export function numberInRange(min: number, max: number): Check<number> {
    return withRule(`be a number from ${min} to ${max}`, (v) => Number.isFinite(v) && v >= min && v <= max);
}

export function oneOf<T extends string | number>(allowed: readonly T[]): Check<T> {
    return withRule(`be one of ${allowed.join(", ")}`, (v) => allowed.includes(v));
}

export function matches(pattern: RegExp, description: string): Check<string> {
    return withRule(`be ${description}`, (v) => typeof v === "string" && pattern.test(v));
}

/** Parses `a.b.c.d/n` strictly: four octets 0-255, no leading zeros, host bits clear. */
export function parseCidr(value: string): { network: number; prefix: number } | undefined {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
    if (!match) return undefined;
    const octets = match.slice(1, 5).map((part) => (/^(0|[1-9]\d*)$/.test(part) ? Number(part) : NaN));
    const prefix = Number(match[5]);
    if (octets.some((octet) => !(octet >= 0 && octet <= 255)) || prefix > 32) return undefined;
    const network = octets.reduce((acc, octet) => acc * 256 + octet, 0);
    const hostBits = 2 ** (32 - prefix);
    if (network % hostBits !== 0) return undefined;
    return { network, prefix };
}

/** An IPv4 CIDR block whose prefix length lies in `[minPrefix, maxPrefix]`. */
export function cidrBlock(minPrefix = 0, maxPrefix = 32): Check<string> {
    const rule = `be an IPv4 CIDR block with a prefix from /${minPrefix} to /${maxPrefix} and no host bits set (e.g. "10.0.0.0/16")`;
    return withRule(rule, (value) => {
        const parsed = typeof value === "string" ? parseCidr(value) : undefined;
        return parsed !== undefined && parsed.prefix >= minPrefix && parsed.prefix <= maxPrefix;
    });
}

/** The retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const CLOUDWATCH_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const logRetentionDays: Check<number> = oneOf<number>(CLOUDWATCH_RETENTION_DAYS);

/** Every log group's retention unless a component is told otherwise: a year, for audits. */
export const DEFAULT_LOG_RETENTION_DAYS = 365;

/** An inclusive range: the one source of a limit, read by a component's validation and by the stack config. */
export interface Range {
    readonly min: number;
    readonly max: number;
}

export function integerIn(range: Range): Check<number> {
    return integerInRange(range.min, range.max);
}

export function numberIn(range: Range): Check<number> {
    return numberInRange(range.min, range.max);
}

export const awsRegion: Check<string> = matches(
    /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/,
    'an AWS region name such as "us-east-1"',
);

export const emailAddress: Check<string> = matches(
    /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/,
    'a valid email address such as "oncall@example.com"',
);

export const dnsName: Check<string> = matches(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'a lowercase fully qualified domain name such as "api.example.com"',
);

/**
 * Fargate's supported task sizes: cpu units -> allowed memory in MiB.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html
 */
export const FARGATE_MEMORY_MIB: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
    const values: number[] = [];
    for (let value = from; value <= to; value += step) values.push(value);
    return values;
}

/** Describes the memory sizes allowed for a cpu value, compactly. */
function describeMemory(cpu: number): string {
    const sizes = FARGATE_MEMORY_MIB[cpu];
    if (sizes.length <= 3) return sizes.join(", ");
    return `${sizes[0]} to ${sizes[sizes.length - 1]} in steps of ${sizes[1] - sizes[0]}`;
}

/** Checks a cpu/memory pair; returns the full message (it names two fields). */
export function fargateSizeProblem(
    cpu: number,
    memoryMiB: number,
    names: { cpu: string; memoryMiB: string },
): string | undefined {
    const sizes = FARGATE_MEMORY_MIB[cpu];
    if (!sizes) {
        return problem(names.cpu, `be one of ${Object.keys(FARGATE_MEMORY_MIB).join(", ")}`, cpu);
    }
    if (sizes.includes(memoryMiB)) return undefined;
    return `\`${names.cpu}\` ${cpu} allows \`${names.memoryMiB}\` ${describeMemory(cpu)}; got ${memoryMiB}.`;
}

/**
 * Collects every problem with a component's args, then throws them together, so a caller
 * fixes them all in one round. Components call `throwIfAny` before creating children.
 */
export class ArgProblems {
    private readonly problems: string[] = [];

    /** Records a problem when `check` rejects a present value (optional fields skip when undefined). */
    check<T>(name: string, value: T | undefined, check: Check<T>): this {
        if (value === undefined) return this;
        const rule = check(value);
        if (rule !== undefined) this.problems.push(problem(name, rule, value));
        return this;
    }

    /** Records a message verbatim when `condition` is true. */
    add(condition: boolean, message: string): this {
        if (condition) this.problems.push(message);
        return this;
    }

    /** Records a message when it is defined (for checks that build their own message). */
    addMessage(message: string | undefined): this {
        if (message !== undefined) this.problems.push(message);
        return this;
    }

    get messages(): readonly string[] {
        return this.problems;
    }

    throwIfAny(component: pulumi.Resource, componentName: string): void {
        if (this.problems.length === 0) return;
        const header = `invalid arguments for ${componentName}:`;
        throw new pulumi.ResourceError([header, ...this.problems.map((p) => `  - ${p}`)].join("\n"), component);
    }
}

/** A container image tag, or an image digest; shared by `config.ts` and the ApiService component. */
export const imageTagOrDigest: Check<string> = matches(
    /^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|sha256:[a-f0-9]{64})$/,
    'an image tag (e.g. "1.4.2") or a digest ("sha256:" and 64 hex digits)',
);

/** An absolute URL path, as load balancer health checks take it. */
export const httpPath: Check<string> = matches(/^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/, 'a URL path starting with "/"');
