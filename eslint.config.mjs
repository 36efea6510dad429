import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["**/node_modules/**", "out/**", "**/*.js", "!tools/launch/*.js", "**/*.mjs"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            // Pulumi resources are often declared for their side effect alone.
            "no-new": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            eqeqeq: ["error", "always"],
            "prefer-const": "error",
        },
    },
    {
        // The launcher: plain CommonJS, run before anything compiles TypeScript.
        files: ["tools/launch/*.js"],
        languageOptions: {
            sourceType: "commonjs",
            globals: { process: "readonly", __dirname: "readonly", require: "readonly", module: "writable" },
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    prettier,
);
