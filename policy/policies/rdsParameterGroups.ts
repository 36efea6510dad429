import { PolicyResource } from "@pulumi/policy";
import {
    RdsCluster,
    RdsClusterParameterGroup,
    RdsInstance,
    RdsParameterGroup,
    RdsParameterGroupProps,
} from "./awsTypes";
import { identifiers, resourcesOf, Typed } from "./common";

/** A database of the stack and how to find the parameter group it uses. */
export interface DatabaseWithParameterGroup {
    readonly db: Typed<unknown>;
    readonly kind: "RDS cluster" | "RDS instance";
    /** The property that names the group. */
    readonly field: "dbClusterParameterGroupName" | "parameterGroupName";
    /** The group's name (may throw while unknown: call inside `whenKnown`). */
    groupName(): string | undefined;
    engine(): string | undefined;
    /** The stack's groups of the matching kind, by every name they go by. */
    readonly groups: ReadonlyMap<string, Typed<RdsParameterGroupProps>>;
}

function index(groups: Typed<RdsParameterGroupProps>[]): Map<string, Typed<RdsParameterGroupProps>> {
    const map = new Map<string, Typed<RdsParameterGroupProps>>();
    for (const group of groups) for (const key of identifiers(group.resource.props, "name")) map.set(key, group);
    return map;
}

/**
 * Every cluster (with its `dbClusterParameterGroupName`) and non-Aurora instance (with its
 * `parameterGroupName`) of the stack, for policies that judge the parameters a database runs with.
 */
export function databasesWithParameterGroups(resources: readonly PolicyResource[]): DatabaseWithParameterGroup[] {
    const clusterGroups = index(resourcesOf(resources, RdsClusterParameterGroup));
    const instanceGroups = index(resourcesOf(resources, RdsParameterGroup));
    return [
        ...resourcesOf(resources, RdsCluster).map((c) => ({
            db: c,
            kind: "RDS cluster" as const,
            field: "dbClusterParameterGroupName" as const,
            groupName: () => c.props.dbClusterParameterGroupName,
            engine: () => c.props.engine,
            groups: clusterGroups,
        })),
        ...resourcesOf(resources, RdsInstance).map((i) => ({
            db: i,
            kind: "RDS instance" as const,
            field: "parameterGroupName" as const,
            groupName: () => i.props.parameterGroupName,
            engine: () => i.props.engine,
            groups: instanceGroups,
        })),
    ];
}
