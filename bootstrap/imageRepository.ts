import * as ecr from "@pulumi/aws/ecr";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import * as iam from "@pulumi/aws/iam";
import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { ArgProblems, EncryptionKey, ecrRepositoryName, integerInRange } from "../components/shared";

export const IMAGE_REPOSITORY_DEFAULTS = { keepImageCount: 30, untaggedImageExpiryDays: 7 } as const;
export const IMAGE_REPOSITORY_LIMITS = {
    keepImageCount: { min: 1, max: 10000 },
    untaggedImageExpiryDays: { min: 1, max: 3650 },
} as const;

export interface ImageRepositoryArgs {
    /** Repository name; the app stacks' `migration-api:apiImageRepository`. */
    readonly repositoryName: string;
    /**
     * IAM role ARN patterns (`ArnLike`, this account only) that may pull: the ECS execution roles
     * of every app stack, which live under one IAM path (`executionRolePathPattern`).
     */
    readonly pullRoleArnPatterns: pulumi.Input<pulumi.Input<string>[]>;
    /** Roles that may push (the deploy roles that build the image in CI). */
    readonly pushRoleArns: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Images the repository keeps; older ones expire.
     * @default 30
     */
    readonly keepImageCount?: number;
    /**
     * Days an untagged image is kept.
     * @default 7
     */
    readonly untaggedImageExpiryDays?: number;
    /**
     * Pulumi `protect` on the repository and its key: every stack runs images from it.
     * @default true
     */
    readonly protect?: boolean;
}

/** Every problem with an ImageRepository's args. */
export function imageRepositoryArgProblems(args: ImageRepositoryArgs, problems = new ArgProblems()): ArgProblems {
    const L = IMAGE_REPOSITORY_LIMITS;
    return problems
        .check("repositoryName", args.repositoryName, ecrRepositoryName)
        .check("keepImageCount", args.keepImageCount, integerInRange(L.keepImageCount.min, L.keepImageCount.max))
        .check(
            "untaggedImageExpiryDays",
            args.untaggedImageExpiryDays,
            integerInRange(L.untaggedImageExpiryDays.min, L.untaggedImageExpiryDays.max),
        );
}

/**
 * The one ECR repository of the API image, shared by every stack of the account: built once,
 * promoted by digest. Immutable tags, scan on push, its own KMS key, a bounded history, and a
 * repository policy that lets the stacks' execution roles pull and the deploy roles push.
 */
export class ImageRepository extends pulumi.ComponentResource {
    public readonly repository: ecr.Repository;
    public readonly arn: pulumi.Output<string>;
    public readonly repositoryName: pulumi.Output<string>;
    public readonly repositoryUrl: pulumi.Output<string>;
    public readonly kmsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: ImageRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api-bootstrap:images:ImageRepository", name, {}, opts);
        const keepImageCount = args.keepImageCount ?? IMAGE_REPOSITORY_DEFAULTS.keepImageCount;
        const untaggedImageExpiryDays =
            args.untaggedImageExpiryDays ?? IMAGE_REPOSITORY_DEFAULTS.untaggedImageExpiryDays;
        const protect = args.protect ?? true;
        imageRepositoryArgProblems(args).throwIfAny(this, `ImageRepository ${name}`);

        const key = new EncryptionKey(
            `${name}-images`,
            {
                description: `ECR images of the ${args.repositoryName} repository.`,
                alias: `${args.repositoryName}-images`,
            },
            { parent: this, protect },
        );
        this.repository = new ecr.Repository(
            name,
            {
                name: args.repositoryName,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
                // Deleting the repository with images in it fails rather than losing the images.
                forceDelete: false,
            },
            { parent: this, protect },
        );
        new ecr.LifecyclePolicy(
            `${name}-lifecycle`,
            {
                repository: this.repository.name,
                policy: JSON.stringify(lifecycleRules(keepImageCount, untaggedImageExpiryDays)),
            },
            { parent: this },
        );
        const account = getCallerIdentityOutput({}, { parent: this }).accountId;
        new ecr.RepositoryPolicy(
            `${name}-policy`,
            {
                repository: this.repository.name,
                policy: iam.getPolicyDocumentOutput(
                    {
                        statements: pulumi
                            .all([account, args.pullRoleArnPatterns, args.pushRoleArns])
                            .apply(([acct, pull, push]) => repositoryPolicyStatements(acct, pull, push)),
                    },
                    { parent: this },
                ).json,
            },
            { parent: this },
        );
        this.arn = this.repository.arn;
        this.repositoryName = this.repository.name;
        this.repositoryUrl = this.repository.repositoryUrl;
        this.kmsKeyArn = key.arn;
        this.registerOutputs({
            arn: this.arn,
            repositoryName: this.repositoryName,
            repositoryUrl: this.repositoryUrl,
            kmsKeyArn: this.kmsKeyArn,
        });
    }
}

/** Untagged images expire after some days; beyond the newest `keepImageCount` images, all do. */
export function lifecycleRules(keepImageCount: number, untaggedImageExpiryDays: number): object {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${untaggedImageExpiryDays} days`,
                selection: {
                    tagStatus: "untagged",
                    countType: "sinceImagePushed",
                    countUnit: "days",
                    countNumber: untaggedImageExpiryDays,
                },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the last ${keepImageCount} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keepImageCount },
                action: { type: "expire" },
            },
        ],
    };
}

/**
 * The repository policy. Principal is this account; `aws:PrincipalArn` (IAM global condition
 * key) narrows it to the execution roles' ARN pattern, so a stack created later (a DR stack, a
 * rebuilt environment) can pull without a bootstrap update. Pull and push actions as in
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html;
 * `ecr:GetAuthorizationToken` is account-wide and stays in the identity policies. Exported for tests.
 */
export function repositoryPolicyStatements(
    account: string,
    pullRoleArnPatterns: string[],
    pushRoleArns: string[],
): input.iam.GetPolicyDocumentStatement[] {
    const thisAccount = [{ type: "AWS", identifiers: [account] }];
    const pull = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
    const statements: input.iam.GetPolicyDocumentStatement[] = [
        {
            sid: "StackExecutionRolesPull",
            effect: "Allow",
            principals: thisAccount,
            actions: pull,
            conditions: [{ test: "ArnLike", variable: "aws:PrincipalArn", values: pullRoleArnPatterns }],
        },
    ];
    if (pushRoleArns.length > 0) {
        statements.push({
            sid: "DeployRolesPush",
            effect: "Allow",
            principals: [{ type: "AWS", identifiers: pushRoleArns }],
            actions: [
                ...pull,
                "ecr:CompleteLayerUpload",
                "ecr:DescribeImages",
                "ecr:InitiateLayerUpload",
                "ecr:PutImage",
                "ecr:UploadLayerPart",
            ],
        });
    }
    return statements;
}
