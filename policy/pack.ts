import { readFileSync } from "node:fs";
import * as path from "node:path";

/** The pack's name, as `new PolicyPack` serves it and the SDK names it in diagnostics. */
export const PACK_NAME = "migration-api-guardrails";

/** The pack's version: the SDK reads it from the pack's package.json (@pulumi/policy `policy.js`). */
export const PACK_VERSION = (
    JSON.parse(readFileSync(path.join(__dirname, "package.json"), "utf8")) as { version: string }
).version;
