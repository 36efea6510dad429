import { getPartitionOutput } from "@pulumi/aws/getPartition";
import * as iam from "@pulumi/aws/iam";
import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { ArgProblems, integerInRange } from "../components/shared";
import { environmentName, githubOwner, githubRepo } from "./config";

/** GitHub Actions' OIDC issuer and the audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

export interface GitHubDeployRolesArgs {
    /** Owner of the repository whose workflows may assume the roles (exact case: `sub` is compared exactly). */
    readonly githubOwner: string;
    /** The repository, without the owner. */
    readonly githubRepo: string;
    /** GitHub environments, one deploy role each; a job must declare `environment: <name>` to assume it. */
    readonly environments: readonly string[];
    /** Stack name -> ARN of the KMS key its secrets provider uses. */
    readonly secretsKeyArns: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** The state bucket. */
    readonly stateBucketArn: pulumi.Input<string>;
    /** The key that encrypts the state objects. */
    readonly stateKeyArn: pulumi.Input<string>;
    /**
     * Use the account's existing GitHub OIDC provider (IAM allows one per URL and account).
     * @default - a new provider for `token.actions.githubusercontent.com`
     */
    readonly existingOidcProviderArn?: pulumi.Input<string>;
    /**
     * Managed policies of every deploy role. `pulumi up` creates IAM roles, KMS keys, VPCs and
     * databases, so the default is broad; the trust policy, the GitHub environment's reviewers
     * and the deny-other-environments policy are what narrow it. Separate AWS accounts per
     * environment are the stronger boundary (run this project once per account).
     * @default - AdministratorAccess
     */
    readonly deployPolicyArns?: readonly pulumi.Input<string>[];
    /**
     * Longest session a deploy role grants, in seconds (3600-43200).
     * @default 7200
     */
    readonly deployMaxSessionSeconds?: number;
}

/**
 * The GitHub Actions OIDC provider and the roles the workflows assume through it: one deploy
 * role per GitHub environment (`repo:<owner>/<repo>:environment:<env>`), and one read-only
 * role for pull-request previews and scheduled drift checks on `main`.
 */
export class GitHubDeployRoles extends pulumi.ComponentResource {
    public readonly oidcProviderArn: pulumi.Output<string>;
    /** Environment -> deploy role ARN (the `AWS_DEPLOY_ROLE_ARN` variable of that GitHub environment). */
    public readonly deployRoleArns: pulumi.Output<Record<string, string>>;
    /** The read-only role (the `AWS_PREVIEW_ROLE_ARN` repository variable). */
    public readonly previewRoleArn: pulumi.Output<string>;

    constructor(name: string, args: GitHubDeployRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api-bootstrap:ci:GitHubDeployRoles", name, {}, opts);
        const deployMaxSessionSeconds = args.deployMaxSessionSeconds ?? 7200;
        const problems = new ArgProblems()
            .check("githubOwner", args.githubOwner, githubOwner)
            .check("githubRepo", args.githubRepo, githubRepo)
            .check("deployMaxSessionSeconds", deployMaxSessionSeconds, integerInRange(3600, 43200))
            .add(args.environments.length === 0, "`environments` must name at least one environment; got [].");
        args.environments.forEach((env, i) => problems.check(`environments[${i}]`, env, environmentName));
        problems.throwIfAny(this, `GitHubDeployRoles ${name}`);

        const partition = getPartitionOutput({}, { parent: this }).partition;
        const repository = `${args.githubOwner}/${args.githubRepo}`;

        this.oidcProviderArn =
            args.existingOidcProviderArn !== undefined
                ? pulumi.output(args.existingOidcProviderArn)
                : new iam.OpenIdConnectProvider(
                      `${name}-github`,
                      // No thumbprint: IAM trusts GitHub's issuer through its own root CAs.
                      { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [GITHUB_OIDC_AUDIENCE] },
                      { parent: this },
                  ).arn;

        const assumeRolePolicy = (subjects: string[]) =>
            iam.getPolicyDocumentOutput(
                {
                    statements: this.oidcProviderArn.apply((arn) => githubTrustStatements(arn, subjects)),
                },
                { parent: this },
            ).json;

        const deployPolicyArns = args.deployPolicyArns ?? [
            pulumi.interpolate`arn:${partition}:iam::aws:policy/AdministratorAccess`,
        ];
        const keyArns = pulumi.output(args.secretsKeyArns);
        const deployRoles = args.environments.map((env) => {
            const role = new iam.Role(
                `${name}-deploy-${env}`,
                {
                    description: `GitHub Actions deploys of ${repository} to the ${env} environment.`,
                    assumeRolePolicy: assumeRolePolicy([`repo:${repository}:environment:${env}`]),
                    maxSessionDuration: deployMaxSessionSeconds,
                },
                { parent: this },
            );
            deployPolicyArns.forEach(
                (policyArn, i) =>
                    new iam.RolePolicyAttachment(
                        `${name}-deploy-${env}-managed-${i}`,
                        { role: role.id, policyArn },
                        { parent: this },
                    ),
            );
            const others = args.environments.filter((other) => other !== env);
            if (others.length > 0) {
                new iam.RolePolicy(
                    `${name}-deploy-${env}-isolation`,
                    {
                        role: role.id,
                        policy: iam.getPolicyDocumentOutput(
                            {
                                statements: pulumi.all([keyArns, args.stateBucketArn]).apply(([keys, bucketArn]) =>
                                    isolationStatements(
                                        bucketArn,
                                        others,
                                        others.map((other) => keys[other]).filter((arn) => arn !== undefined),
                                    ),
                                ),
                            },
                            { parent: this },
                        ).json,
                    },
                    { parent: this },
                );
            }
            return { env, role };
        });

        const previewRole = new iam.Role(
            `${name}-preview`,
            {
                description: `Read-only: pull-request previews and drift checks of ${repository}.`,
                assumeRolePolicy: assumeRolePolicy([
                    `repo:${repository}:pull_request`,
                    `repo:${repository}:ref:refs/heads/main`,
                ]),
                maxSessionDuration: 3600,
            },
            { parent: this },
        );
        new iam.RolePolicyAttachment(
            `${name}-preview-read-only`,
            { role: previewRole.id, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/ReadOnlyAccess` },
            { parent: this },
        );
        new iam.RolePolicy(
            `${name}-preview-state`,
            {
                role: previewRole.id,
                policy: iam.getPolicyDocumentOutput(
                    {
                        statements: pulumi
                            .all([args.stateBucketArn, args.stateKeyArn, keyArns])
                            .apply(([bucketArn, stateKeyArn, keys]) =>
                                previewStatements(bucketArn, stateKeyArn, Object.values(keys)),
                            ),
                    },
                    { parent: this },
                ).json,
            },
            { parent: this },
        );

        this.deployRoleArns = pulumi
            .all(deployRoles.map(({ role }) => role.arn))
            .apply((arns) => Object.fromEntries(deployRoles.map(({ env }, i) => [env, arns[i]])));
        this.previewRoleArn = previewRole.arn;
        this.registerOutputs({
            oidcProviderArn: this.oidcProviderArn,
            deployRoleArns: this.deployRoleArns,
            previewRoleArn: this.previewRoleArn,
        });
    }
}

/** Trust policy: GitHub's OIDC tokens for exactly these subjects, with the STS audience. Exported for tests. */
export function githubTrustStatements(providerArn: string, subjects: string[]): input.iam.GetPolicyDocumentStatement[] {
    return [
        {
            sid: "GitHubActionsOidc",
            effect: "Allow",
            actions: ["sts:AssumeRoleWithWebIdentity"],
            principals: [{ type: "Federated", identifiers: [providerArn] }],
            conditions: [
                { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:aud`, values: [GITHUB_OIDC_AUDIENCE] },
                { test: "StringEquals", variable: `${GITHUB_OIDC_HOST}:sub`, values: subjects },
            ],
        },
    ];
}

/**
 * A deploy role may not decrypt another environment's secrets or write another
 * environment's state (checkpoints, history, backups, locks). A guard against a workflow
 * pointed at the wrong stack, not a security boundary (the role can edit IAM).
 */
export function isolationStatements(
    bucketArn: string,
    otherEnvironments: string[],
    otherSecretsKeyArns: string[],
): input.iam.GetPolicyDocumentStatement[] {
    const statements: input.iam.GetPolicyDocumentStatement[] = [
        {
            sid: "DenyOtherEnvironmentsState",
            effect: "Deny",
            actions: ["s3:PutObject", "s3:DeleteObject"],
            resources: otherEnvironments.flatMap((env) => [
                `${bucketArn}/.pulumi/*/${env}.json*`,
                `${bucketArn}/.pulumi/*/${env}/*`,
            ]),
        },
    ];
    if (otherSecretsKeyArns.length > 0) {
        statements.push({
            sid: "DenyOtherEnvironmentsSecrets",
            effect: "Deny",
            actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
            resources: otherSecretsKeyArns,
        });
    }
    return statements;
}

/**
 * On top of ReadOnlyAccess: read the state, take and release Pulumi's stack lock, decrypt
 * state and stack secrets. Reads of any other bucket's objects stay denied. Exported for tests.
 */
export function previewStatements(
    bucketArn: string,
    stateKeyArn: string,
    secretsKeyArns: string[],
): input.iam.GetPolicyDocumentStatement[] {
    return [
        {
            sid: "ReadState",
            actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation"],
            resources: [bucketArn, `${bucketArn}/*`],
        },
        {
            sid: "StackLocks",
            actions: ["s3:PutObject", "s3:DeleteObject"],
            resources: [`${bucketArn}/.pulumi/locks/*`],
        },
        {
            sid: "DecryptStateAndSecrets",
            actions: ["kms:Decrypt", "kms:GenerateDataKey"],
            resources: [stateKeyArn, ...secretsKeyArns],
        },
        {
            sid: "DenyOtherObjectReads",
            effect: "Deny",
            actions: ["s3:GetObject", "s3:GetObjectVersion"],
            notResources: [`${bucketArn}/*`],
        },
    ];
}
