// Building blocks shared by the components: the encryption key, the private bucket and arg validation.
export * from "./validation";
export * from "./encryptionKey";
export * from "./privateBucket";
