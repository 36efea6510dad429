import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME } from "./pack";
import { allPolicies } from "./policies";

// Serves the pack to the Pulumi engine (starts a gRPC server): never import this file in tests.
new PolicyPack(PACK_NAME, { policies: allPolicies });
