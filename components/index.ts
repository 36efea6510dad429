export * from "./validation";
export * from "./encryptionKey";
export * from "./network";
export * from "./database";
export * from "./databaseChecks";
