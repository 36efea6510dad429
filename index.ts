import { declareStack } from "./stack";

// The Pulumi program. Pulumi calls an exported function and makes its result the stack outputs
// (pulumi/pulumi sdk/nodejs/cmd/run/run.ts); what the stack declares is in stack.ts.
export = declareStack;
