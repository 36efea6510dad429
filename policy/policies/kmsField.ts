import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { allowAwsManagedKeysSchema, keyProblem, ResourceClass, show } from "./common";
import { label } from "./labels";

/**
 * A policy requiring that one property of one resource type names a KMS key
 * (customer-managed unless `allowAwsManagedKeys`). Used by the log group, topic and secret policies.
 */
export function requireKmsKeyPolicy<TProps extends object>(options: {
    name: string;
    description: string;
    resource: ResourceClass<TProps>;
    kind: string;
    field: keyof TProps & string;
}): ResourceValidationPolicy {
    return {
        name: options.name,
        description: options.description,
        enforcementLevel: "mandatory",
        configSchema: { properties: { allowAwsManagedKeys: allowAwsManagedKeysSchema } },
        validateResource: validateResourceOfType(options.resource, (props, args, report) => {
            const { allowAwsManagedKeys } = args.getConfig<{ allowAwsManagedKeys: boolean }>();
            const value = (props as Record<string, unknown>)[options.field];
            if (keyProblem(value, allowAwsManagedKeys)) {
                const required = allowAwsManagedKeys ? "a KMS key" : "a customer-managed KMS key";
                report(
                    `${label(options.kind, args.name)} has ${options.field} ${show(value)}; it must be ${required}.`,
                );
            }
        }),
    };
}
