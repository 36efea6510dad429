/**
 * Renders the arguments of `aws.iam.getPolicyDocument` into IAM JSON the way the provider
 * does, so tests and the policy pack read real policy documents under mocks.
 */
interface Principal {
    type: string;
    identifiers: string[];
}
interface Condition {
    test: string;
    variable: string;
    values: string[];
}
export interface PolicyStatementArgs {
    sid?: string;
    effect?: string;
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    principals?: Principal[];
    notPrincipals?: Principal[];
    conditions?: Condition[];
}
export interface PolicyDocumentArgs {
    version?: string;
    policyId?: string;
    statements?: PolicyStatementArgs[];
}

/** The provider writes a lone value as a string and several as a sorted-by-input array. */
function oneOrMany(values: string[]): string | string[] {
    return values.length === 1 ? values[0] : values;
}

function principalBlock(principals: Principal[]): unknown {
    if (principals.length === 1 && principals[0].type === "*") return "*";
    const block: Record<string, string | string[]> = {};
    for (const principal of principals) block[principal.type] = oneOrMany(principal.identifiers);
    return block;
}

export function renderPolicyDocument(args: PolicyDocumentArgs): string {
    const statements = (args.statements ?? []).map((s) => {
        const out: Record<string, unknown> = {};
        if (s.sid) out.Sid = s.sid;
        out.Effect = s.effect ?? "Allow";
        if (s.actions?.length) out.Action = oneOrMany(s.actions);
        if (s.notActions?.length) out.NotAction = oneOrMany(s.notActions);
        if (s.resources?.length) out.Resource = oneOrMany(s.resources);
        if (s.notResources?.length) out.NotResource = oneOrMany(s.notResources);
        if (s.principals?.length) out.Principal = principalBlock(s.principals);
        if (s.notPrincipals?.length) out.NotPrincipal = principalBlock(s.notPrincipals);
        if (s.conditions?.length) {
            const block: Record<string, Record<string, string | string[]>> = {};
            for (const c of s.conditions) {
                block[c.test] = { ...(block[c.test] ?? {}), [c.variable]: oneOrMany(c.values) };
            }
            out.Condition = block;
        }
        return out;
    });
    const document: Record<string, unknown> = { Version: args.version ?? "2012-10-17" };
    if (args.policyId) document.Id = args.policyId;
    document.Statement = statements;
    return JSON.stringify(document, null, 2);
}
