/** The Pulumi project name: the namespace of every stack config key (`migration-api:<key>`). */
export const PROJECT = "migration-api";
