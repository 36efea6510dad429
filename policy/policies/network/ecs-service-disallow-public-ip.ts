import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { EcsService } from "../awsTypes";
import { label } from "../labels";

export const ecsServiceDisallowPublicIp: ResourceValidationPolicy = {
    name: "ecs-service-disallow-public-ip",
    description: "ECS services must not give their tasks public IP addresses.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: validateResourceOfType(EcsService, (service, args, report) => {
        if (service.networkConfiguration?.assignPublicIp === true) {
            report(
                `${label("ECS service", args.name)} has networkConfiguration.assignPublicIp true; it must be false.`,
            );
        }
    }),
};
