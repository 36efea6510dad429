/** What a simulated stack run is told about its account: the region, the provider's default tags, its images. */
export interface SimulationOptions {
    region: string;
    defaultTags: Readonly<Record<string, string>>;
    /**
     * Image tags or digests the simulated ECR does not hold: `aws.ecr.getImage` for them fails as
     * AWS does (ImageNotFoundException). Every other tag or digest is present.
     */
    missingImages?: readonly string[];
    /**
     * The ECR repositories the account holds (the bootstrap project's: `bootstrapRepositories`).
     * `aws.ecr.getRepository` and `getImage` fail for any other, as AWS does (RepositoryNotFoundException).
     */
    repositories: readonly string[];
    /**
     * Answer as a provider answers the first `pulumi preview` of a new stack: no ids, and every
     * output the program did not give as an input unknown. @default false
     */
    firstPreview?: boolean;
}
