import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

// Serves the pack to the Pulumi engine (starts a gRPC server): never import this file in tests.
new PolicyPack("migration-api-guardrails", { policies: allPolicies });
