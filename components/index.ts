// The one public entry of the components: each folder's index.ts exports its component and args.
//
// Convention: import @pulumi/aws per service through its index (`import * as ec2 from
// "@pulumi/aws/ec2"`), never the package root (it loads every service) nor one resource file
// (`@pulumi/aws/ec2/vpc`): the service index registers the service's resource modules, which the
// SDK needs to turn resource references from the engine back into resources (@pulumi/aws
// `ec2/index.js` registerResourceModule; @pulumi/pulumi `runtime/rpc.js` deserializeProperty).
// Name locals so they never shadow a service (`loadBalancer`, not `lb`). test/imports.test.ts
// checks all three (tools/awsImports.ts).
export * from "./shared";
export * from "./network";
export * from "./database";
export * from "./storage";
export * from "./api";
export * from "./observability";
