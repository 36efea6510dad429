import * as assert from "node:assert/strict";
import { ConfigError, parseStackConfig } from "../../config";
import { readStackConfig } from "../../tools/sim";

/** The real stack's raw config with some keys replaced (a bare key is the project's; undefined deletes it). */
export function rawWith(stack: string, changes: Readonly<Record<string, string | undefined>>): Record<string, string> {
    const raw = { ...readStackConfig(stack).values };
    for (const [key, value] of Object.entries(changes)) {
        const fullKey = key.includes(":") ? key : `migration-api:${key}`;
        if (value === undefined) delete raw[fullKey];
        else raw[fullKey] = value;
    }
    return raw;
}

/** What config validation reports for the real stack with `changes`; [] when it accepts them. */
export function configProblems(
    stack: string,
    changes: Readonly<Record<string, string | undefined>>,
): readonly string[] {
    try {
        parseStackConfig(rawWith(stack, changes), stack);
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error.problems;
    }
    return [];
}
