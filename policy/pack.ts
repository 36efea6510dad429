/** The pack's name, as `new PolicyPack` serves it and the SDK names it in diagnostics. */
export const PACK_NAME = "migration-api-guardrails";

/** The pack's version: the SDK reads it from the pack's package.json (@pulumi/policy `policy.js`). */
// Required, not read from this folder: the offline tools run the pack from a bundle (tools/launch).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PACK_VERSION = (require("./package.json") as { version: string }).version;
