import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../components/shared";
import { ArgProblems, integerInRange, matches } from "../components/shared";
import { secretsKeyAlias, secretsProviderUrl } from "../lib/stackSecrets";

export interface StateBackendArgs {
    /**
     * Stacks whose secrets get their own KMS key, aliased `<stackProject>-<stack>-pulumi`
     * (the alias `Pulumi.<stack>.yaml`'s `awskms://` secrets provider names).
     */
    readonly stacks: readonly string[];
    /** Pulumi project of those stacks; the first part of each key alias. */
    readonly stackProject: string;
    /**
     * Days a replaced version of a state object is kept: the window in which a bad update's
     * checkpoint can be rolled back from S3 versioning (1-3650).
     * @default 365
     */
    readonly noncurrentVersionDays?: number;
    /**
     * Pulumi `protect` on the bucket and keys, so no `pulumi destroy` can remove the state of
     * every stack. Opt out only to tear down a test account.
     * @default true
     */
    readonly protect?: boolean;
}

/**
 * Pulumi's self-managed (DIY) backend on S3: a versioned bucket encrypted with its own
 * customer-managed KMS key, private and TLS-only, plus one KMS key per stack for the
 * `awskms` secrets provider.
 */
export class StateBackend extends pulumi.ComponentResource {
    public readonly bucket: s3.Bucket;
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;
    /** Encrypts the state objects (SSE-KMS). */
    public readonly stateKeyArn: pulumi.Output<string>;
    /** Stack name -> ARN of the key its secrets provider uses. */
    public readonly secretsKeyArns: pulumi.Output<Record<string, string>>;
    /** Stack name -> `awskms://alias/...?region=...`, for `pulumi stack init --secrets-provider`. */
    public readonly secretsProviders: pulumi.Output<Record<string, string>>;
    /** `s3://<bucket>?region=<region>`, for `pulumi login`. */
    public readonly backendUrl: pulumi.Output<string>;

    constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api-bootstrap:state:StateBackend", name, {}, opts);
        const noncurrentVersionDays = args.noncurrentVersionDays ?? 365;
        const protect = args.protect ?? true;
        const stackName = matches(/^[a-z][a-z0-9-]{0,31}$/, "a lowercase stack name");
        const problems = new ArgProblems()
            .check("noncurrentVersionDays", noncurrentVersionDays, integerInRange(1, 3650))
            .check("stackProject", args.stackProject, matches(/^[a-z][a-z0-9-]{0,39}$/, "a lowercase project name"))
            .add(args.stacks.length === 0, "`stacks` must name at least one stack; got [].");
        args.stacks.forEach((stack, i) => problems.check(`stacks[${i}]`, stack, stackName));
        problems.throwIfAny(this, `StateBackend ${name}`);

        const stateful = { parent: this, protect };
        const region = getRegionOutput({}, { parent: this }).region;

        const stateKey = new EncryptionKey(
            `${name}-state`,
            { description: "Encrypts the Pulumi state objects in the state bucket.", alias: `${name}-state` },
            stateful,
        );
        const secretsKeys = args.stacks.map((stack) => {
            const alias = secretsKeyAlias(args.stackProject, stack);
            const key = new EncryptionKey(
                `${name}-${stack}-secrets`,
                { description: `Pulumi secrets provider of the ${args.stackProject} ${stack} stack.`, alias },
                stateful,
            );
            return { stack, alias, key };
        });

        this.bucket = new s3.Bucket(`${name}-state`, {}, stateful);
        const bucket = this.bucket.bucket;
        new s3.BucketOwnershipControls(
            `${name}-state-ownership`,
            { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
            { parent: this },
        );
        const publicAccessBlock = new s3.BucketPublicAccessBlock(
            `${name}-state-public-access`,
            {
                bucket,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            { parent: this },
        );
        new s3.BucketVersioning(
            `${name}-state-versioning`,
            { bucket, versioningConfiguration: { status: "Enabled" } },
            { parent: this },
        );
        new s3.BucketServerSideEncryptionConfiguration(
            `${name}-state-encryption`,
            {
                bucket,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: stateKey.arn,
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            },
            { parent: this },
        );
        new s3.BucketLifecycleConfiguration(
            `${name}-state-lifecycle`,
            {
                bucket,
                rules: [
                    {
                        id: "expire-replaced-state-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: noncurrentVersionDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            { parent: this },
        );
        const policy = iam.getPolicyDocumentOutput(
            { statements: pulumi.output(this.bucket.arn).apply((arn) => stateBucketPolicyStatements(arn)) },
            { parent: this },
        );
        new s3.BucketPolicy(
            `${name}-state-policy`,
            { bucket, policy: policy.json },
            // S3 rejects a bucket policy while the public access block is still being applied.
            { parent: this, dependsOn: [publicAccessBlock] },
        );

        this.bucketName = this.bucket.bucket;
        this.bucketArn = this.bucket.arn;
        this.stateKeyArn = stateKey.arn;
        this.backendUrl = pulumi.interpolate`s3://${this.bucket.bucket}?region=${region}`;
        this.secretsKeyArns = pulumi
            .all(secretsKeys.map(({ key }) => key.arn))
            .apply((arns) => Object.fromEntries(secretsKeys.map(({ stack }, i) => [stack, arns[i]])));
        this.secretsProviders = region.apply((reg) =>
            Object.fromEntries(
                secretsKeys.map(({ stack }) => [stack, secretsProviderUrl(args.stackProject, stack, reg)]),
            ),
        );
        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            stateKeyArn: this.stateKeyArn,
            secretsKeyArns: this.secretsKeyArns,
            secretsProviders: this.secretsProviders,
            backendUrl: this.backendUrl,
        });
    }
}

/** The state bucket's policy: TLS 1.2+ only, and no object written without KMS encryption. Exported for tests. */
export function stateBucketPolicyStatements(bucketArn: string): input.iam.GetPolicyDocumentStatement[] {
    const everyone = [{ type: "*", identifiers: ["*"] }];
    return [
        {
            sid: "DenyInsecureTransport",
            effect: "Deny",
            principals: everyone,
            actions: ["s3:*"],
            resources: [bucketArn, `${bucketArn}/*`],
            conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        {
            sid: "DenyOutdatedTls",
            effect: "Deny",
            principals: everyone,
            actions: ["s3:*"],
            resources: [bucketArn, `${bucketArn}/*`],
            conditions: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
        },
        {
            sid: "DenyWritesWithoutKms",
            effect: "Deny",
            principals: everyone,
            actions: ["s3:PutObject"],
            resources: [`${bucketArn}/*`],
            conditions: [
                { test: "StringNotEqualsIfExists", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] },
            ],
        },
    ];
}
