import type * as pulumi from "@pulumi/pulumi";
import { autoName, hexId, PARTITION, ACCOUNT_ID } from "./ids";
import { answerInvoke } from "./invokes";
import type { SimulationOptions } from "./options";
import { AWSX_VPC, awsxVpcOutputs, AwsxVpcArgs, planAwsxVpc } from "./awsxVpc";
import { Context, declaresOutput, isTaggable, State, TYPE_STATE } from "./resourceStates";

/**
 * Simulated AWS answers for Pulumi's mock runtime: realistic ids and ARNs per resource type
 * (in the stack's account, region and partition), the outputs of awsx's remote components,
 * and the invokes the program makes. An invoke or type it does not know about gets a clear
 * error or a generic ARN, never a silent `undefined`.
 */
export { ACCOUNT_ID, PARTITION, autoName, hexId, zonesOf } from "./ids";
export { AURORA_POSTGRES_VERSIONS } from "./invokes";
export { declaresOutput, isTaggable } from "./resourceStates";

export type { SimulationOptions } from "./options";

export function createAwsMocks(options: SimulationOptions): pulumi.runtime.Mocks {
    const { region } = options;
    // Explicit providers (e.g. the DR region's) by name, so their resources and invokes get their region.
    const providerRegions = new Map<string, string>();
    const regionOf = (providerRef: string | undefined): string => {
        const providerName = providerRef?.split("::")[3];
        return (providerName && providerRegions.get(providerName)) || region;
    };
    const context = (type: string, name: string, inputs: State, providerRef?: string): Context => {
        const seed = `${type}::${name}`;
        const resourceRegion = regionOf(providerRef);
        return {
            region: resourceRegion,
            name,
            inputs,
            seed,
            physical: (inputKey = "name") => {
                const given = inputs[inputKey];
                if (typeof given === "string" && given !== "") return given;
                const prefix = inputs[`${inputKey}Prefix`];
                if (typeof prefix === "string") return `${prefix}${hexId(seed, 26)}`;
                return autoName(name, seed);
            },
            arn: (service, resource, opts = {}) =>
                `arn:${PARTITION}:${service}:${opts.region ?? resourceRegion}:${opts.account ?? ACCOUNT_ID}:${resource}`,
        };
    };

    return {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: State } {
            const inputs = (args.inputs ?? {}) as State;
            if (args.type === "pulumi:providers:aws" && typeof inputs.region === "string") {
                providerRegions.set(args.name, inputs.region);
            }
            const c = context(args.type, args.name, inputs, args.provider);
            // A remote component: the program gets awsx's Construct answer (outputs only).
            if (args.type === AWSX_VPC)
                return { id: "", state: awsxVpcOutputs(planAwsxVpc(args.name, inputs as AwsxVpcArgs, c.region)) };
            if (!args.custom) return { id: "", state: inputs };
            const special = TYPE_STATE[args.type]?.(c);
            const service = args.type.split(":")[1]?.split("/")[0] ?? "unknown";
            const id = special?.id ?? `${args.name}-${hexId(c.seed, 8)}`;
            const tags = inputs.tags as Record<string, string> | undefined;
            const state: State = {
                arn: c.arn(service, `${args.type.split(":")[2]?.toLowerCase() ?? "resource"}/${id}`),
                ...inputs,
                // AWS names what the program leaves unnamed: Pulumi's auto-name.
                ...(declaresOutput(args.type, "name") && inputs.name === undefined ? { name: c.physical() } : {}),
                ...(isTaggable(args.type) ? { tagsAll: { ...options.defaultTags, ...(tags ?? {}) } } : {}),
                ...(special?.state ?? {}),
            };
            return { id, state };
        },

        call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
            try {
                return answerInvoke(args, { ...options, region: regionOf(args.provider) });
            } catch (error) {
                // The SDK reports an invoke failure by the gRPC error's `details`.
                const message = (error as Error).message;
                throw Object.assign(new Error(message), { details: message });
            }
        },
    };
}
