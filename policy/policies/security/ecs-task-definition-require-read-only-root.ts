import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { EcsTaskDefinition } from "../awsTypes";
import { asList, parseJson, show } from "../common";
import { label } from "../labels";

interface Container {
    name?: string;
    readonlyRootFilesystem?: boolean;
}

export const ecsTaskDefinitionRequireReadOnlyRoot: ResourceValidationPolicy = {
    name: "ecs-task-definition-require-read-only-root",
    description: "Every container of an ECS task definition must have a read-only root file system.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateResource: validateResourceOfType(EcsTaskDefinition, (task, args, report) => {
        const what = label("ECS task definition", args.name);
        const containers = parseJson(task.containerDefinitions);
        if (!Array.isArray(containers)) {
            report(`${what} has containerDefinitions that are not a JSON list; it must list its containers.`);
            return;
        }
        for (const container of asList(containers as Container[])) {
            if (container.readonlyRootFilesystem !== true) {
                report(
                    `${what} has container ${show(container.name)} with readonlyRootFilesystem ${show(container.readonlyRootFilesystem)}; it must be true.`,
                );
            }
        }
    }),
};
