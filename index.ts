import { loadStackConfig } from "./config";

// Composition only: read the validated stack config, build the components, export outputs.
const config = loadStackConfig();

export const environment = config.environment;
export const region = config.region;
