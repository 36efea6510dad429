export * from "./validation";
export * from "./encryptionKey";
