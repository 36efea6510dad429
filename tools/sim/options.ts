/** What a simulated stack run is told about its account: the region, the provider's default tags, its images. */
export interface SimulationOptions {
    region: string;
    defaultTags: Readonly<Record<string, string>>;
    /**
     * Image tags or digests the simulated ECR does not hold: `aws.ecr.getImage` for them fails as
     * AWS does (ImageNotFoundException). Every other tag or digest is present.
     */
    missingImages?: readonly string[];
}
