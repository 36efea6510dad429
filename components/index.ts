export * from "./validation";
export * from "./encryptionKey";
export * from "./dashboard";
export * from "./alarms";
export * from "./observability";
