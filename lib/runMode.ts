import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

/**
 * How the program is being run: `deploy` under the real engine (`pulumi preview`/`up`), or
 * `simulation` under Pulumi's mock runtime (the offline preview and the tests). The one place
 * that tells them apart: `pulumi.runtime.setMocks` installs the SDK's `MockMonitor` as the
 * resource monitor (@pulumi/pulumi runtime/mocks.ts, `setMockOptions`); a real run connects to
 * the engine's monitor instead.
 */
export type RunMode = "deploy" | "simulation";

export function runModeOf(monitor: unknown): RunMode {
    return monitor instanceof MockMonitor ? "simulation" : "deploy";
}

export function runMode(): RunMode {
    return runModeOf(pulumi.runtime.getMonitor());
}
