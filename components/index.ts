// The one public entry of the components: each folder's index.ts exports its component and args.
export * from "./shared";
export * from "./network";
export * from "./database";
export * from "./storage";
export * from "./api";
export * from "./observability";
