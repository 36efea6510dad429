import "./sdkHooks"; // first: before anything loads the SDK
export { ACCOUNT_ID, AURORA_POSTGRES_VERSIONS, PARTITION, autoName, isTaggable, zonesOf } from "./awsMocks";
export { RecordedResource, RunOptions, SimulationSettings, StackRun, ofType, runStack, simulate } from "./runStack";
export { REPO_ROOT, knownStacks, readProjectFile, readStackConfig } from "./stackFiles";

import { readProjectFile, readStackConfig } from "./stackFiles";
import type { SimulationSettings } from "./runStack";

/** Simulation settings with a real stack's config, for component tests. */
export function settingsFor(stack: string, overrides: Record<string, string> = {}): SimulationSettings {
    const project = readProjectFile().name;
    return { project, stack, config: { ...readStackConfig(stack).values, ...overrides } };
}
