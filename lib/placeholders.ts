import type { RunMode } from "./runMode";

/**
 * Values the shipped stack files carry as examples, which must never reach AWS: names reserved
 * for documentation and testing (RFC 2606: example.com/.net/.org and their subdomains; the
 * top-level domains .test, .example, .invalid and .localhost), the sample hosted-zone id, and
 * e-mail addresses at such names.
 */
export const SAMPLE_HOSTED_ZONE_ID = "Z0123456789ABCDEFGHIJ";
const RESERVED_DOMAINS = ["example.com", "example.net", "example.org"] as const;
const RESERVED_TLDS = ["test", "example", "invalid", "localhost"] as const;

/** Why a host name is reserved, or undefined when it is a real name. */
export function reservedName(host: string): string | undefined {
    const name = host.toLowerCase().replace(/\.$/, "");
    const domain = RESERVED_DOMAINS.find((d) => name === d || name.endsWith(`.${d}`));
    if (domain) return `${domain} is reserved for documentation (RFC 2606)`;
    const tld = name.split(".").pop() ?? "";
    if ((RESERVED_TLDS as readonly string[]).includes(tld)) return `.${tld} is a reserved top-level domain (RFC 2606)`;
    return undefined;
}

/** A placeholder check of one config value: why it is a placeholder, or undefined. */
export type PlaceholderCheck = (value: unknown) => string | undefined;

export const placeholderChecks = {
    hostName: (value: unknown) => (typeof value === "string" ? reservedName(value) : undefined),
    hostedZoneId: (value: unknown) =>
        value === SAMPLE_HOSTED_ZONE_ID ? "it is the sample hosted-zone id of the shipped stack files" : undefined,
    emailList: (value: unknown) => {
        const reserved = (Array.isArray(value) ? value : [])
            .filter((item): item is string => typeof item === "string")
            .filter((email) => reservedName(email.split("@").pop() ?? "") !== undefined);
        return reserved.length > 0
            ? `${reserved.join(", ")} ${reserved.length > 1 ? "are" : "is"} at a reserved example domain (RFC 2606)`
            : undefined;
    },
    originList: (value: unknown) => {
        const reserved = (Array.isArray(value) ? value : [])
            .filter((item): item is string => typeof item === "string")
            .filter((origin) => reservedName(origin.replace(/^https?:\/\//, "").replace(/:\d+$/, "")) !== undefined);
        return reserved.length > 0 ? `${reserved.join(", ")} at a reserved example domain (RFC 2606)` : undefined;
    },
    exampleOrg: (value: unknown) =>
        typeof value === "string" && /^example(-[a-z]+)?$/i.test(value)
            ? "it is the example owner of the shipped file"
            : undefined,
} satisfies Record<string, PlaceholderCheck>;

/** Parses a raw config string the way Pulumi hands it over (arrays as JSON). */
function parsed(raw: string): unknown {
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

/**
 * One message per config key that still holds a placeholder, naming the stack file to edit.
 * `checks` maps full keys (`project:key`) to their placeholder check.
 */
export function placeholderFindings(
    raw: Readonly<Record<string, string>>,
    checks: Readonly<Record<string, PlaceholderCheck>>,
    stackFile: string,
): string[] {
    const findings: string[] = [];
    for (const [key, check] of Object.entries(checks)) {
        const value = raw[key];
        if (value === undefined) continue;
        const why = check(parsed(value));
        if (why !== undefined) {
            findings.push(
                `\`${key}\` is a placeholder (${JSON.stringify(parsed(value))}: ${why}); set your own value in ${stackFile} before deploying.`,
            );
        }
    }
    return findings;
}

/**
 * What a run does with placeholders: a real `pulumi preview`/`up` refuses them (they become
 * config problems, so AWS never sees them); the offline simulation lists them as warnings and
 * runs on, so the shipped files still preview.
 */
export function handlePlaceholders(
    findings: readonly string[],
    mode: RunMode,
    warn: (message: string) => void,
): string[] {
    if (mode === "deploy") return [...findings];
    findings.forEach((finding) => warn(finding));
    return [];
}
