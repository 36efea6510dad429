import * as ts from "typescript";

/**
 * How the project imports @pulumi/aws (the convention note is at the top of components/index.ts):
 *
 * - never the package root: its index.js requires the index of every service (~250), which costs
 *   each fresh process about 180 ms for the few services the program uses;
 * - a service through its index (`@pulumi/aws/ec2`), never one resource file (`@pulumi/aws/ec2/vpc`):
 *   the service index.js is what calls `pulumi.runtime.registerResourceModule("aws", "ec2/vpc", ...)`
 *   (@pulumi/aws 7.48.0 `ec2/index.js`; `ec2/vpc.js` registers nothing), and without that
 *   registration the SDK turns a resource reference the engine returns (awsx `ec2.Vpc` outputs
 *   such as `subnets`) into a bare id or URN instead of a resource (@pulumi/pulumi 3.248.0
 *   `runtime/rpc.js`, `deserializeProperty`, case `specialResourceSig`);
 * - root-level modules stay allowed: `provider`, the functions (`getRegion`, ...), and the type
 *   modules `types/input`, `types/output`, `types/enums`.
 *
 * Only the root registers the `aws` package (`registerResourcePackage`, @pulumi/aws `index.js`),
 * which turns a provider reference from the engine back into a `Provider`; no output this program
 * reads holds one (awsx 3.9.0 `ec2/vpc.d.ts`: every resource output is an `ec2` resource).
 */
const TYPE_MODULES = new Set(["types/input", "types/output", "types/enums"]);

/** What is wrong with one module specifier, or `undefined` when it follows the convention. */
export function awsSpecifierProblem(spec: string): string | undefined {
    if (spec === "@pulumi/aws" || spec === "@pulumi/aws/index") {
        return `imports the @pulumi/aws root, which loads every service; import each service instead (e.g. "@pulumi/aws/ec2")`;
    }
    if (!spec.startsWith("@pulumi/aws/")) return undefined;
    const rest = spec.slice("@pulumi/aws/".length);
    if (!rest.includes("/") || TYPE_MODULES.has(rest)) return undefined;
    const service = rest.split("/")[0];
    return `imports the single file "${spec}"; import its service index "@pulumi/aws/${service}", which registers the service's resource modules`;
}

/** The bindings of a file's @pulumi/aws imports that a declaration elsewhere in the file shadows. */
function shadowedBindings(source: ts.SourceFile): string[] {
    const bound = new Set<string>();
    for (const statement of source.statements) {
        if (!ts.isImportDeclaration(statement) || !statement.importClause) continue;
        const spec = (statement.moduleSpecifier as ts.StringLiteral).text;
        if (!spec.startsWith("@pulumi/aws/")) continue;
        const bindings = statement.importClause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) bound.add(bindings.name.text);
        if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) bound.add(e.name.text);
    }
    const shadowed = new Set<string>();
    const visit = (node: ts.Node): void => {
        const name = (node as ts.NamedDeclaration).name;
        if (
            (ts.isVariableDeclaration(node) ||
                ts.isParameter(node) ||
                ts.isBindingElement(node) ||
                ts.isFunctionDeclaration(node) ||
                ts.isFunctionExpression(node) ||
                ts.isClassDeclaration(node) ||
                ts.isClassExpression(node)) &&
            name &&
            ts.isIdentifier(name) &&
            bound.has(name.text)
        ) {
            shadowed.add(name.text);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return [...shadowed];
}

/** Every breach of the @pulumi/aws import convention in one file, as `file: problem` lines. */
export function awsImportProblems(file: string, text: string): string[] {
    const specs = ts.preProcessFile(text, true, true).importedFiles.map((imported) => imported.fileName);
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    return [
        ...specs.flatMap((spec) => awsSpecifierProblem(spec) ?? []),
        ...shadowedBindings(source).map(
            (name) => `a local \`${name}\` shadows the @pulumi/aws import \`${name}\`; rename the local`,
        ),
    ].map((problem) => `${file}: ${problem}`);
}
