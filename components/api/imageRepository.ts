import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgProblems, integerInRange } from "../shared/validation";

export interface ImageRepositoryArgs {
    /**
     * KMS key that encrypts the images.
     * @default - the AWS-managed `aws/ecr` key
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
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
}

/** Every problem with an ImageRepository's args; also run by ApiService before it builds anything. */
export function imageRepositoryArgProblems(
    args: ImageRepositoryArgs,
    problems: ArgProblems = new ArgProblems(),
): ArgProblems {
    return problems
        .check("keepImageCount", args.keepImageCount, integerInRange(1, 10000))
        .check("untaggedImageExpiryDays", args.untaggedImageExpiryDays, integerInRange(1, 3650));
}

/** An ECR repository: immutable tags, scan on push, KMS encryption, and a bounded history. */
export class ImageRepository extends pulumi.ComponentResource {
    public readonly repository: aws.ecr.Repository;
    public readonly arn: pulumi.Output<string>;
    public readonly repositoryUrl: pulumi.Output<string>;

    constructor(name: string, args: ImageRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:api:ImageRepository", name, {}, opts);
        const keepImageCount = args.keepImageCount ?? 30;
        const untaggedImageExpiryDays = args.untaggedImageExpiryDays ?? 7;
        imageRepositoryArgProblems(args).throwIfAny(this, `ImageRepository ${name}`);

        this.repository = new aws.ecr.Repository(
            name,
            {
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
                // Deleting the repository with images in it fails rather than losing the images.
                forceDelete: false,
            },
            { parent: this },
        );
        new aws.ecr.LifecyclePolicy(
            `${name}-lifecycle`,
            {
                repository: this.repository.name,
                policy: JSON.stringify({
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
                            selection: {
                                tagStatus: "any",
                                countType: "imageCountMoreThan",
                                countNumber: keepImageCount,
                            },
                            action: { type: "expire" },
                        },
                    ],
                }),
            },
            { parent: this },
        );
        this.arn = this.repository.arn;
        this.repositoryUrl = this.repository.repositoryUrl;
        this.registerOutputs({ arn: this.arn, repositoryUrl: this.repositoryUrl });
    }
}
