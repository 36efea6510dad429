import * as ecr from "@pulumi/aws/ecr";
import * as pulumi from "@pulumi/pulumi";

/** The repository's default name: the bootstrap's `imageRepositoryName` default (bootstrap/Pulumi.yaml). */
export const IMAGE_DEFAULTS = { repositoryName: "migration-api" } as const;

/** The API image as the deploy will run it: looked up in the shared repository, pinned by digest. */
export interface ResolvedImage {
    readonly repositoryArn: pulumi.Output<string>;
    readonly repositoryUrl: pulumi.Output<string>;
    /** `<repositoryUrl>@sha256:...`: every stack that resolves the same tag runs the same bytes. */
    readonly imageUri: pulumi.Output<string>;
    readonly imageDigest: pulumi.Output<string>;
}

/** The one error a missing (or unreadable) image gives: repository, tag and what to do. */
export function missingImageMessage(owner: string, repositoryName: string, imageRef: string, cause: unknown): string {
    const kind = imageRef.startsWith("sha256:") ? "digest" : "tag";
    const reason = String((cause as Error)?.message ?? cause)
        .split("\n")[0]
        .trim();
    return (
        `${owner}: image ${kind} ${JSON.stringify(imageRef)} is not in ECR repository ${JSON.stringify(repositoryName)}; ` +
        `push it before deploying (docs/gitops.md, "Images"). AWS said: ${reason}`
    );
}

/** The one error a missing repository gives: the bootstrap project creates it. */
export function missingRepositoryMessage(owner: string, repositoryName: string, cause: unknown): string {
    const reason = String((cause as Error)?.message ?? cause)
        .split("\n")[0]
        .trim();
    return (
        `${owner}: ECR repository ${JSON.stringify(repositoryName)} does not exist; the bootstrap project creates it ` +
        `(docs/gitops.md, "Bootstrap"): name the repository it created. AWS said: ${reason}`
    );
}

/**
 * Looks the image up at deploy time, in `pulumi preview` too (its inputs are known), with
 * `aws.ecr.getImage` (DescribeImages by tag or digest; it fails with ImageNotFoundException when
 * the image is absent, terraform-provider-aws internal/service/ecr/image_data_source.go). A missing
 * image stops the preview with one error instead of an `up` that waits for a steady state that
 * never comes.
 */
export function resolveImage(
    owner: string,
    repositoryName: string,
    imageRef: string,
    parent: pulumi.Resource,
): ResolvedImage {
    // The repository first (DescribeRepositories), so that a missing one is reported as such and not
    // as a missing image (terraform-provider-aws internal/service/ecr/repository_data_source.go).
    const repository = pulumi.output(
        ecr.getRepository({ name: repositoryName }, { parent }).catch((cause: unknown) => {
            throw new pulumi.ResourceError(missingRepositoryMessage(owner, repositoryName, cause), parent);
        }),
    );
    const lookup = imageRef.startsWith("sha256:") ? { imageDigest: imageRef } : { imageTag: imageRef };
    const image = repository.apply(() =>
        ecr.getImage({ repositoryName, ...lookup }, { parent }).catch((cause: unknown) => {
            throw new pulumi.ResourceError(missingImageMessage(owner, repositoryName, imageRef, cause), parent);
        }),
    );
    return {
        repositoryArn: repository.arn,
        repositoryUrl: repository.repositoryUrl,
        imageUri: image.imageUri,
        imageDigest: image.imageDigest,
    };
}
