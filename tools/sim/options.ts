/** What a simulated stack run is told about its account: the region and the provider's default tags. */
export interface SimulationOptions {
    region: string;
    defaultTags: Readonly<Record<string, string>>;
    /**
     * Answer as a provider answers the first `pulumi preview` of a new stack: no ids, and every
     * output the program did not give as an input unknown. @default false
     */
    firstPreview?: boolean;
}
