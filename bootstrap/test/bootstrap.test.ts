import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ACCOUNT_ID, ofType, readStackConfig, RecordedResource, REPO_ROOT, simulate, StackRun } from "../../tools/sim";
import { parseBootstrapConfig } from "../config";
import { GitHubDeployRoles } from "../githubDeployRoles";

const BOOTSTRAP_ROOT = path.join(REPO_ROOT, "bootstrap");
const PROJECT = "migration-api-bootstrap";
const PROGRAM = require.resolve("../index");
const OIDC_ARN = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;

/** The shared stack's real config (bootstrap/Pulumi.yaml defaults + Pulumi.shared.yaml), plus overrides. */
function sharedConfig(overrides: Record<string, string> = {}): Record<string, string> {
    return { ...readStackConfig("shared", BOOTSTRAP_ROOT).values, ...overrides };
}

async function runBootstrap(config: Record<string, string>): Promise<StackRun> {
    return simulate({ project: PROJECT, stack: "shared", config }, () => {
        delete require.cache[PROGRAM];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(PROGRAM) as Record<string, unknown>;
    });
}

function one(run: StackRun, type: string, name: string): RecordedResource {
    const found = ofType(run, type).filter((r) => r.name === name);
    assert.equal(found.length, 1, `expected one ${type} named ${name}; found ${found.length}`);
    return found[0];
}

/** A role's name, the last part of its ARN (and its id). */
function roleName(role: RecordedResource): string {
    return String(role.state.arn).split("/").pop() as string;
}

function json(value: unknown): unknown {
    assert.equal(typeof value, "string", "expected a JSON policy document string");
    return JSON.parse(value as string);
}

function trustPolicy(subjects: string | string[], providerArn = OIDC_ARN): unknown {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GitHubActionsOidc",
                Effect: "Allow",
                Action: "sts:AssumeRoleWithWebIdentity",
                Principal: { Federated: providerArn },
                Condition: {
                    StringEquals: {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": subjects,
                    },
                },
            },
        ],
    };
}

describe("bootstrap project", () => {
    let run: StackRun;
    before(async () => {
        run = await runBootstrap(sharedConfig());
    });

    describe("GitHub OIDC", () => {
        it("creates one provider for GitHub's issuer with the STS audience", () => {
            const providers = ofType(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
            assert.equal(providers.length, 1);
            assert.equal(providers[0].inputs.url, "https://token.actions.githubusercontent.com");
            assert.deepEqual(providers[0].inputs.clientIdLists, ["sts.amazonaws.com"]);
            assert.equal(run.outputs.oidcProviderArn, OIDC_ARN);
        });

        for (const env of ["staging", "production"]) {
            it(`trusts only this repository's ${env} environment with the ${env} deploy role`, () => {
                const role = one(run, "aws:iam/role:Role", `migration-api-github-deploy-${env}`);
                assert.deepEqual(
                    json(role.inputs.assumeRolePolicy),
                    trustPolicy(`repo:example-org/migration-api:environment:${env}`),
                );
                assert.equal(role.inputs.maxSessionDuration, 7200);
                const attachments = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
                    (a) => a.inputs.role === roleName(role),
                );
                assert.deepEqual(
                    attachments.map((a) => a.inputs.policyArn),
                    ["arn:aws:iam::aws:policy/AdministratorAccess"],
                );
            });
        }

        it("trusts pull requests and main (drift checks) with the read-only preview role, nothing else", () => {
            const role = one(run, "aws:iam/role:Role", "migration-api-github-preview");
            assert.deepEqual(
                json(role.inputs.assumeRolePolicy),
                trustPolicy([
                    "repo:example-org/migration-api:pull_request",
                    "repo:example-org/migration-api:ref:refs/heads/main",
                ]),
            );
            const attachment = one(
                run,
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                "migration-api-github-preview-read-only",
            );
            assert.equal(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/ReadOnlyAccess");
            assert.equal(attachment.inputs.role, roleName(role));
            const inline = one(run, "aws:iam/rolePolicy:RolePolicy", "migration-api-github-preview-state");
            assert.equal(inline.inputs.role, roleName(role));
        });

        it("uses no wildcard subject in any trust policy", () => {
            for (const role of ofType(run, "aws:iam/role:Role")) {
                const text = String(role.inputs.assumeRolePolicy);
                assert.ok(!text.includes("StringLike"), `${role.name} uses StringLike`);
                assert.ok(!/:sub"[^}]*\*/.test(text), `${role.name} has a wildcard subject`);
            }
            assert.equal(ofType(run, "aws:iam/role:Role").length, 3);
        });

        it("gives the preview role the state, the lock prefix and the keys, and denies other buckets' objects", () => {
            const bucketArn = `arn:aws:s3:::${String(run.outputs.stateBucketName)}`;
            const policy = json(
                one(run, "aws:iam/rolePolicy:RolePolicy", "migration-api-github-preview-state").inputs.policy,
            ) as { Statement: Record<string, unknown>[] };
            const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
            assert.deepEqual(bySid.StackLocks.Resource, `${bucketArn}/.pulumi/locks/*`);
            assert.deepEqual(bySid.StackLocks.Action, ["s3:PutObject", "s3:DeleteObject"]);
            assert.equal((bySid.DecryptStateAndSecrets.Resource as string[]).length, 3);
            assert.deepEqual(bySid.DenyOtherObjectReads, {
                Sid: "DenyOtherObjectReads",
                Effect: "Deny",
                Action: ["s3:GetObject", "s3:GetObjectVersion"],
                NotResource: `${bucketArn}/*`,
            });
        });

        it("denies the staging deploy role production's secrets key and state, and vice versa", () => {
            const bucketArn = `arn:aws:s3:::${String(run.outputs.stateBucketName)}`;
            const aliases = ofType(run, "aws:kms/alias:Alias");
            const keyOf = (env: string) => {
                const alias = aliases.find((a) => a.inputs.name === `alias/migration-api-${env}-pulumi`);
                assert.ok(alias, `no alias for ${env}`);
                const key = ofType(run, "aws:kms/key:Key").find((k) => k.state.keyId === alias.inputs.targetKeyId);
                assert.ok(key, `no key behind the ${env} alias`);
                return key.state.arn;
            };
            for (const [env, other] of [
                ["staging", "production"],
                ["production", "staging"],
            ]) {
                const policy = json(
                    one(run, "aws:iam/rolePolicy:RolePolicy", `migration-api-github-deploy-${env}-isolation`).inputs
                        .policy,
                );
                assert.deepEqual(policy, {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyOtherEnvironmentsState",
                            Effect: "Deny",
                            Action: ["s3:PutObject", "s3:DeleteObject"],
                            Resource: [`${bucketArn}/.pulumi/*/${other}.json*`, `${bucketArn}/.pulumi/*/${other}/*`],
                        },
                        {
                            Sid: "DenyOtherEnvironmentsSecrets",
                            Effect: "Deny",
                            Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
                            Resource: keyOf(other),
                        },
                    ],
                });
            }
        });

        it("exports a deploy role per environment and the preview role", () => {
            assert.deepEqual(run.outputs.deployRoleArns, {
                staging: one(run, "aws:iam/role:Role", "migration-api-github-deploy-staging").state.arn,
                production: one(run, "aws:iam/role:Role", "migration-api-github-deploy-production").state.arn,
            });
            assert.equal(
                run.outputs.previewRoleArn,
                one(run, "aws:iam/role:Role", "migration-api-github-preview").state.arn,
            );
        });
    });

    describe("state bucket", () => {
        const bucketOf = (r: RecordedResource) => r.inputs.bucket;

        it("is versioned, SSE-KMS with its own key and a bucket key, and protected", () => {
            const bucket = one(run, "aws:s3/bucket:Bucket", "migration-api-pulumi-state");
            assert.equal(bucket.protect, true);
            assert.equal(run.outputs.stateBucketName, bucket.state.bucket);
            const versioning = ofType(run, "aws:s3/bucketVersioning:BucketVersioning");
            assert.equal(versioning.length, 1);
            assert.equal(bucketOf(versioning[0]), bucket.state.bucket);
            assert.deepEqual(versioning[0].inputs.versioningConfiguration, { status: "Enabled" });

            const encryption = ofType(
                run,
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            );
            assert.equal(encryption.length, 1);
            const stateAlias = one(run, "aws:kms/alias:Alias", "migration-api-pulumi-state-alias");
            assert.equal(stateAlias.inputs.name, "alias/migration-api-pulumi-state");
            const stateKey = ofType(run, "aws:kms/key:Key").find(
                (k) => k.state.keyId === stateAlias.inputs.targetKeyId,
            );
            assert.ok(stateKey);
            assert.deepEqual(encryption[0].inputs.rules, [
                {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: stateKey.state.arn },
                    bucketKeyEnabled: true,
                },
            ]);
        });

        it("blocks every kind of public access and disables ACLs", () => {
            const block = ofType(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
            assert.equal(block.length, 1);
            for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                assert.equal(block[0].inputs[flag], true, flag);
            }
            const ownership = ofType(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls");
            assert.deepEqual(ownership[0].inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        });

        it("allows only TLS 1.2+ and KMS-encrypted writes through its bucket policy", () => {
            const bucketArn = `arn:aws:s3:::${String(run.outputs.stateBucketName)}`;
            const policy = ofType(run, "aws:s3/bucketPolicy:BucketPolicy");
            assert.equal(policy.length, 1);
            const statements = (json(policy[0].inputs.policy) as { Statement: Record<string, unknown>[] }).Statement;
            assert.deepEqual(statements[0], {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            });
            assert.deepEqual(statements[1].Condition, { NumericLessThan: { "s3:TlsVersion": "1.2" } });
            assert.deepEqual(statements[2].Condition, {
                StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" },
            });
            assert.ok(
                policy[0].dependencies.includes(
                    ofType(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0].urn,
                ),
                "the bucket policy must wait for the public access block",
            );
        });

        it("expires replaced state versions after the configured days", () => {
            const lifecycle = ofType(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
            assert.equal(lifecycle.length, 1);
            const [rule] = lifecycle[0].inputs.rules as Record<string, unknown>[];
            assert.deepEqual(rule.noncurrentVersionExpiration, { noncurrentDays: 365 });
            assert.equal(rule.status, "Enabled");
        });
    });

    describe("KMS keys", () => {
        it("creates the state key, one secrets key per stack and the images key, all rotating and protected", () => {
            const keys = ofType(run, "aws:kms/key:Key");
            assert.equal(keys.length, 4);
            for (const key of keys) {
                assert.equal(key.inputs.enableKeyRotation, true, `${key.name} rotation`);
                assert.equal(key.protect, true, `${key.name} protect`);
            }
            assert.deepEqual(
                ofType(run, "aws:kms/alias:Alias")
                    .map((a) => a.inputs.name)
                    .sort(),
                [
                    "alias/migration-api-images",
                    "alias/migration-api-production-pulumi",
                    "alias/migration-api-pulumi-state",
                    "alias/migration-api-staging-pulumi",
                ],
            );
        });

        for (const stack of ["staging", "production"]) {
            it(`exports the secrets provider Pulumi.${stack}.yaml tells operators to use`, () => {
                const providers = run.outputs.secretsProviders as Record<string, string>;
                assert.equal(providers[stack], `awskms://alias/migration-api-${stack}-pulumi?region=us-east-1`);
                const stackFile = readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8");
                assert.ok(
                    stackFile.includes(`--secrets-provider "${providers[stack]}"`),
                    `Pulumi.${stack}.yaml must name ${providers[stack]}`,
                );
            });
        }

        it("exports the S3 backend URL", () => {
            assert.equal(run.outputs.backendUrl, `s3://${String(run.outputs.stateBucketName)}?region=us-east-1`);
        });
    });

    describe("image repository", () => {
        const executionRoles = `arn:aws:iam::${ACCOUNT_ID}:role/migration-api/ecs-execution/*`;

        it("is the one ECR repository the app stacks name: immutable tags, scan on push, its own KMS key, protected", () => {
            const repo = one(run, "aws:ecr/repository:Repository", "migration-api-images");
            const key = one(run, "aws:kms/key:Key", "migration-api-images-images-key");
            assert.equal(repo.inputs.name, readStackConfig("staging").values["migration-api:apiImageRepository"]);
            assert.equal(repo.inputs.name, readStackConfig("production").values["migration-api:apiImageRepository"]);
            assert.equal(repo.inputs.imageTagMutability, "IMMUTABLE");
            assert.deepEqual(repo.inputs.imageScanningConfiguration, { scanOnPush: true });
            assert.deepEqual(repo.inputs.encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: key.state.arn }]);
            assert.equal(repo.inputs.forceDelete, false);
            assert.equal(repo.protect, true);
            assert.equal(run.outputs.imageRepositoryName, "migration-api");
            assert.equal(run.outputs.imageRepositoryUrl, `${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/migration-api`);
        });

        it("expires untagged images after 7 days and keeps the last 30", () => {
            const lifecycle = one(run, "aws:ecr/lifecyclePolicy:LifecyclePolicy", "migration-api-images-lifecycle");
            const rules = (JSON.parse(String(lifecycle.inputs.policy)) as { rules: { selection: object }[] }).rules;
            assert.deepEqual(
                rules.map((r) => r.selection),
                [
                    { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
                    { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
                ],
            );
        });

        it("lets every stack's execution roles pull and the deploy roles push, nothing else", () => {
            const policy = one(run, "aws:ecr/repositoryPolicy:RepositoryPolicy", "migration-api-images-policy");
            const deployRoles = Object.values(run.outputs.deployRoleArns as Record<string, string>);
            const pull = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
            assert.deepEqual(json(policy.inputs.policy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "StackExecutionRolesPull",
                        Effect: "Allow",
                        Action: pull,
                        Principal: { AWS: ACCOUNT_ID },
                        Condition: { ArnLike: { "aws:PrincipalArn": executionRoles } },
                    },
                    {
                        Sid: "DeployRolesPush",
                        Effect: "Allow",
                        Action: [
                            ...pull,
                            "ecr:CompleteLayerUpload",
                            "ecr:DescribeImages",
                            "ecr:InitiateLayerUpload",
                            "ecr:PutImage",
                            "ecr:UploadLayerPart",
                        ],
                        Principal: { AWS: deployRoles },
                    },
                ],
            });
        });

        it("rejects a repository name ECR would refuse", async () => {
            await assert.rejects(
                runBootstrap(sharedConfig({ [`${PROJECT}:imageRepositoryName`]: "Migration_API" })),
                (error: Error) => {
                    assert.match(
                        error.message,
                        /`migration-api-bootstrap:imageRepositoryName` must be an ECR repository name/,
                    );
                    return true;
                },
            );
        });
    });

    describe("options", () => {
        it("reuses an existing OIDC provider instead of creating a second one", async () => {
            const existing = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";
            const reused = await runBootstrap(sharedConfig({ [`${PROJECT}:existingOidcProviderArn`]: existing }));
            assert.equal(ofType(reused, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").length, 0);
            const role = one(reused, "aws:iam/role:Role", "migration-api-github-deploy-production");
            assert.deepEqual(
                json(role.inputs.assumeRolePolicy),
                trustPolicy("repo:example-org/migration-api:environment:production", existing),
            );
        });

        it("builds roles and keys for exactly the configured environments", async () => {
            const single = await runBootstrap(sharedConfig({ [`${PROJECT}:environments`]: '["qa"]' }));
            assert.deepEqual(
                ofType(single, "aws:iam/role:Role")
                    .map((r) => r.name)
                    .sort(),
                ["migration-api-github-deploy-qa", "migration-api-github-preview"],
            );
            // With one environment there is no other to isolate from.
            assert.equal(ofType(single, "aws:iam/rolePolicy:RolePolicy").length, 1);
            assert.deepEqual(Object.keys(single.outputs.secretsProviders as object), ["qa"]);
        });
    });
});

describe("bootstrap config", () => {
    it("accepts the shared stack's config and applies the Pulumi.yaml defaults", () => {
        const config = parseBootstrapConfig(sharedConfig(), "shared");
        assert.equal(config.githubOwner, "example-org");
        assert.equal(config.githubRepo, "migration-api");
        assert.deepEqual(config.environments, ["staging", "production"]);
        assert.equal(config.deployRoleMaxSessionSeconds, 7200);
        assert.equal(config.existingOidcProviderArn, undefined);
    });

    it("lists every problem with exact messages", () => {
        const raw = sharedConfig({
            "aws:region": "useast1",
            [`${PROJECT}:githubOwner`]: "-acme",
            [`${PROJECT}:githubRepo`]: "acme/migration-api",
            [`${PROJECT}:environments`]: '["staging", "Prod"]',
            [`${PROJECT}:deployRoleMaxSessionSeconds`]: "600",
            [`${PROJECT}:githubOwnr`]: "example-org",
        });
        assert.throws(
            () => parseBootstrapConfig(raw, "shared"),
            (err: Error) => {
                assert.equal(
                    err.message,
                    [
                        'invalid config for stack "shared":',
                        '  - `migration-api-bootstrap:githubOwnr` is not a known config key; got "example-org". Did you mean `migration-api-bootstrap:githubOwner`?',
                        '  - `migration-api-bootstrap:githubOwner` must be a GitHub user or organisation name: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen; got "-acme".',
                        '  - `migration-api-bootstrap:githubRepo` must be a GitHub repository name without the owner: 1-100 letters, digits, ".", "-" or "_"; got "acme/migration-api".',
                        '  - `migration-api-bootstrap:environments` must be a list of lowercase environment names (a letter, then up to 31 letters, digits or hyphens); got ["staging","Prod"].',
                        "  - `migration-api-bootstrap:deployRoleMaxSessionSeconds` must be an integer from 3600 to 43200; got 600.",
                        '  - `aws:region` must be an AWS region name such as "us-east-1"; got "useast1".',
                    ].join("\n"),
                );
                return true;
            },
        );
    });

    it("reports a missing owner and repository, and empty or repeated environments", () => {
        const missing = sharedConfig();
        delete missing[`${PROJECT}:githubOwner`];
        delete missing[`${PROJECT}:githubRepo`];
        assert.throws(() => parseBootstrapConfig({ ...missing, [`${PROJECT}:environments`]: "[]" }, "shared"), {
            message: [
                'invalid config for stack "shared":',
                '  - `migration-api-bootstrap:githubOwner` is required: set it to the GitHub organisation or user that owns the repository (e.g. "example-org"); got nothing.',
                '  - `migration-api-bootstrap:githubRepo` is required: set it to the repository name without the owner (e.g. "migration-api"); got nothing.',
                "  - `migration-api-bootstrap:environments` must list at least one environment; got [].",
            ].join("\n"),
        });
        assert.throws(
            () => parseBootstrapConfig(sharedConfig({ [`${PROJECT}:environments`]: '["staging","staging"]' }), "s"),
            {
                message: [
                    'invalid config for stack "s":',
                    "  - `migration-api-bootstrap:environments` must not repeat an environment; got staging twice.",
                ].join("\n"),
            },
        );
    });

    it("stops the program before any resource when the config is bad", async () => {
        await assert.rejects(runBootstrap(sharedConfig({ [`${PROJECT}:githubOwner`]: "acme_corp" })), {
            message: [
                'invalid config for stack "shared":',
                '  - `migration-api-bootstrap:githubOwner` must be a GitHub user or organisation name: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen; got "acme_corp".',
            ].join("\n"),
        });
    });

    it("validates the GitHubDeployRoles component's own arguments", async () => {
        await assert.rejects(
            simulate({ project: PROJECT, stack: "shared", config: sharedConfig() }, () => {
                new GitHubDeployRoles("gh", {
                    githubOwner: "example-org",
                    githubRepo: "..",
                    environments: [],
                    secretsKeyArns: {},
                    stateBucketArn: "arn:aws:s3:::state",
                    stateKeyArn: "arn:aws:kms:us-east-1:123456789012:key/x",
                    deployMaxSessionSeconds: 60,
                });
            }),
            (err: Error) => {
                assert.match(err.message, /invalid arguments for GitHubDeployRoles gh:/);
                assert.ok(
                    err.message.includes(
                        '  - `githubRepo` must be a GitHub repository name without the owner: 1-100 letters, digits, ".", "-" or "_"; got "..".\n' +
                            "  - `deployMaxSessionSeconds` must be an integer from 3600 to 43200; got 60.\n" +
                            "  - `environments` must name at least one environment; got [].",
                    ),
                    err.message,
                );
                return true;
            },
        );
    });
});
