/**
 * The secrets-provider scheme of the app stacks: each stack's secrets are encrypted with its own
 * KMS key, which the bootstrap creates with the alias `<project>-<stack>-pulumi` in its region.
 * `pulumi stack init --secrets-provider awskms://...` (or `pulumi stack change-secrets-provider`)
 * writes two top-level lines into `Pulumi.<stack>.yaml`, committed with the file:
 * `secretsprovider:` (the URL) and `encryptedkey:` (the stack's data key, encrypted by KMS,
 * base64) — pulumi/pulumi sdk/go/common/workspace/project.go, `ProjectStack`.
 */
export function secretsKeyAlias(project: string, stack: string): string {
    return `${project}-${stack}-pulumi`;
}

export function secretsProviderUrl(project: string, stack: string, region: string): string {
    return `awskms://alias/${secretsKeyAlias(project, stack)}?region=${region}`;
}

/**
 * Problems with a stack file's secrets lines. Absent lines are fine while the file holds no
 * `secure:` value (the offline preview never decrypts; a real run then needs the stack created
 * first). Present lines must name this stack's key; a passphrase salt is refused, since CI has no
 * passphrase, only the deploy role.
 */
export function stackFileSecretsProblems(
    doc: Readonly<Record<string, unknown>>,
    file: string,
    expected: string,
): string[] {
    const problems: string[] = [];
    const provider = doc.secretsprovider;
    const key = doc.encryptedkey;
    const secure = Object.entries((doc.config ?? {}) as Record<string, unknown>)
        .filter(([, value]) => typeof value === "object" && value !== null && "secure" in value)
        .map(([name]) => name);
    if (doc.encryptionsalt !== undefined) {
        problems.push(
            `${file} has \`encryptionsalt\` (the passphrase provider); CI has no passphrase: use ${JSON.stringify(expected)}.`,
        );
    }
    if (provider === undefined) {
        if (key !== undefined) problems.push(`${file} has \`encryptedkey\` without \`secretsprovider\`.`);
        if (secure.length > 0) {
            problems.push(
                `${file} has secure values (${secure.join(", ")}) but no \`secretsprovider\`; expected ${JSON.stringify(expected)}.`,
            );
        }
        return problems;
    }
    if (provider !== expected) {
        problems.push(
            `${file} has \`secretsprovider\` ${JSON.stringify(provider)}; it must be ${JSON.stringify(expected)}.`,
        );
    }
    if (typeof key !== "string" || !/^[A-Za-z0-9+/]{16,}={0,2}$/.test(key)) {
        problems.push(
            `${file} needs the \`encryptedkey\` line \`pulumi stack init\` wrote (base64); got ${JSON.stringify(key ?? null)}.`,
        );
    }
    return problems;
}
