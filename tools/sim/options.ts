/** What a simulated stack run is told about its account: the region and the provider's default tags. */
export interface SimulationOptions {
    region: string;
    defaultTags: Readonly<Record<string, string>>;
}
