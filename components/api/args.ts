import type * as input from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";
import { API_PORT } from "./containers";
import {
    LOAD_BALANCER_DEFAULTS,
    LOAD_BALANCER_LIMITS,
    loadBalancerArgProblems,
    LoadBalancerArgs,
    MAX_LOAD_BALANCER_NAME,
} from "./loadBalancer";
import { AUTOSCALING_LIMITS, serviceAutoscalingArgProblems } from "./autoscaling";
import {
    ArgProblems,
    ecrRepositoryName,
    fargateSizeProblem,
    imageTagOrDigest,
    DEFAULT_LOG_RETENTION_DAYS,
    FARGATE_MEMORY_MIB,
    integerIn,
    logRetentionDays as cloudWatchRetention,
    matches,
} from "../shared/validation";
import { WEB_ACL_DEFAULTS, WEB_ACL_LIMITS, webAclArgProblems } from "./waf";
import { DRAINING_LIMITS, drainingSettings, requestTimeoutProblems } from "./draining";
import { FeatureFlag, featureFlagArgProblems } from "./flags";

/*
 * The ApiService component's args, and their validation: run by the component before it
 * creates any child, and tested directly.
 */

/** The ApiService's defaults: its constructor, the `@default`s below and the stack config all read these. */
export const API_DEFAULTS = {
    uploadsPrefix: "uploads/",
    logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
    cpu: 512,
    memoryMiB: 1024,
    cpuArchitecture: "X86_64",
    migrationCommand: ["python", "-m", "app.migrate"],
    desiredCount: 3,
    minCount: 3,
    maxCount: 12,
    useFargateSpot: false,
    onDemandBaseCount: 1,
    enableEcsExec: false,
    healthCheckGracePeriodSeconds: 60,
    healthCheckPath: LOAD_BALANCER_DEFAULTS.healthCheckPath,
    idleTimeoutSeconds: LOAD_BALANCER_DEFAULTS.idleTimeoutSeconds,
    allowedIngressCidrs: LOAD_BALANCER_DEFAULTS.allowedIngressCidrs,
    requireHttps: LOAD_BALANCER_DEFAULTS.requireHttps,
    deletionProtection: LOAD_BALANCER_DEFAULTS.deletionProtection,
    wafEnabled: true,
    wafRateLimitPer5Minutes: WEB_ACL_DEFAULTS.rateLimitPer5Minutes,
    wafUploadPathPrefixes: WEB_ACL_DEFAULTS.uploadPathPrefixes,
    tracingEnabled: false,
    tracingSamplingPercent: 5,
    tracingDaemonImage: "public.ecr.aws/xray/aws-xray-daemon:3.3.14",
} as const;

/** The ApiService's limits, read by its validation and by the stack config. */
export const API_LIMITS = {
    // Fargate's task CPU values; each allows the memory sizes in FARGATE_MEMORY_MIB.
    cpu: Object.keys(FARGATE_MEMORY_MIB).map(Number),
    memoryMiB: {
        min: Math.min(...Object.values(FARGATE_MEMORY_MIB).flat()),
        max: Math.max(...Object.values(FARGATE_MEMORY_MIB).flat()),
    },
    taskCount: AUTOSCALING_LIMITS.taskCount,
    onDemandBaseCount: { min: 0, max: 1000 },
    healthCheckGracePeriodSeconds: { min: 0, max: 2147483647 },
    // Large CSV uploads need a minute at least; the load balancer allows up to 4000 s.
    idleTimeoutSeconds: { min: 60, max: LOAD_BALANCER_LIMITS.idleTimeoutSeconds.max },
    requestTimeoutSeconds: DRAINING_LIMITS.requestTimeoutSeconds,
    wafRateLimitPer5Minutes: WEB_ACL_LIMITS.rateLimitPer5Minutes,
    tracingSamplingPercent: { min: 0, max: 100 },
} as const;

export interface ApiServiceArgs {
    /** VPC of the service. */
    readonly vpcId: pulumi.Input<string>;
    /** CIDR of the VPC; the tasks may reach the database port only inside it. */
    readonly vpcCidrBlock: pulumi.Input<string>;
    /** Public subnets (one per AZ) for the load balancer. */
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Private subnets (one per AZ) for the tasks, which get no public IP. */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Where the API connects (`Database.appEndpoint`: the RDS Proxy, or the writer without one). */
    readonly databaseHost: pulumi.Input<string>;
    /** Database port. */
    readonly databasePort: pulumi.Input<number>;
    /** Name of the application database. */
    readonly databaseName: pulumi.Input<string>;
    /** The API's database user (`Database.appUsername`); it logs in with IAM tokens, no password. */
    readonly databaseUser: pulumi.Input<string>;
    /** The `rds-db:connect` ARN of `databaseUser` on `databaseHost` (`Database.appDbUserArn`), for the task role. */
    readonly databaseIamUserArn: pulumi.Input<string>;
    /**
     * Where the migration connects as the master user (the writer endpoint): an IAM-only proxy
     * does not take the master secret's password.
     * @default - `databaseHost`
     */
    readonly migrationDatabaseHost?: pulumi.Input<string>;
    /**
     * Secrets Manager secret with the JSON keys `username` and `password` (the RDS-managed master
     * secret); only the migration task gets it, read fresh at each start, so rotation never breaks it.
     */
    readonly databaseSecretArn: pulumi.Input<string>;
    /** KMS key that encrypts `databaseSecretArn`; the execution role may decrypt with it through Secrets Manager. */
    readonly databaseKmsKeyArn: pulumi.Input<string>;
    /** Name of the uploads bucket, handed to the API. */
    readonly uploadsBucketName: pulumi.Input<string>;
    /**
     * Key prefix of uploads in the bucket, handed to the API.
     * @default "uploads/"
     */
    readonly uploadsPrefix?: pulumi.Input<string>;
    /** Least-privilege statements on the uploads (`Storage.grantReadWrite()`), for the task role. */
    readonly storageGrant: pulumi.Input<input.iam.GetPolicyDocumentStatement[]>;
    /** Bucket for the load balancer's access logs (`Storage.logBucketName`). */
    readonly accessLogsBucket: pulumi.Input<string>;
    /**
     * Key prefix of the access logs (`Storage.albAccessLogsPrefix`).
     * @default "alb"
     */
    readonly accessLogsPrefix?: pulumi.Input<string>;
    /** KMS key of the log groups (allows CloudWatch Logs). */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /**
     * Retention of the log groups, a CloudWatch-allowed value.
     * @default 365
     */
    readonly logRetentionDays?: number;
    /**
     * The account's ECR repository of the API image (the bootstrap creates it, shared by every
     * stack). The service looks the image up in it at deploy time and runs it by digest.
     */
    readonly imageRepositoryName: string;
    /** Tag (e.g. "1.4.2") or digest ("sha256:...") of the API image in `imageRepositoryName`. */
    readonly imageTag: string;
    /**
     * IAM path of the execution role; the bootstrap's repository policy lets roles under
     * `executionRolePath(project)` pull.
     * @default "/"
     */
    readonly executionRolePath?: string;
    /**
     * Fargate task CPU units.
     * @default 512
     */
    readonly cpu?: number;
    /**
     * Fargate task memory (MiB); must be a size Fargate allows for `cpu`.
     * @default 1024
     */
    readonly memoryMiB?: number;
    /**
     * CPU architecture of the image.
     * @default "X86_64"
     */
    readonly cpuArchitecture?: "X86_64" | "ARM64";
    /**
     * Command of the one-off schema migration task (same image).
     * @default ["python", "-m", "app.migrate"]
     */
    readonly migrationCommand?: readonly string[];
    /**
     * Tasks the service starts with (at least 2, from `minCount` to `maxCount`); autoscaling owns it afterwards.
     * @default 3
     */
    readonly desiredCount?: number;
    /**
     * Autoscaling floor (at least 2).
     * @default 3
     */
    readonly minCount?: number;
    /**
     * Autoscaling ceiling.
     * @default 12
     */
    readonly maxCount?: number;
    /**
     * Run tasks above `onDemandBaseCount` on Fargate Spot (3 of every 4).
     * @default false
     */
    readonly useFargateSpot?: boolean;
    /**
     * Tasks that always run on on-demand Fargate when `useFargateSpot` is on.
     * @default 1
     */
    readonly onDemandBaseCount?: number;
    /**
     * ECS Exec (a shell in running tasks). Staging only: it bypasses the image's immutability.
     * @default false
     */
    readonly enableEcsExec?: boolean;
    /**
     * Seconds ECS ignores failing load balancer health checks of a new task.
     * @default 60
     */
    readonly healthCheckGracePeriodSeconds?: number;
    /**
     * Average CPU the autoscaler aims for (percent).
     * @default 60
     */
    readonly cpuTargetPercent?: number;
    /**
     * Load balancer requests per target per minute the autoscaler aims for.
     * @default 500
     */
    readonly requestsPerTargetPerMinute?: number;
    /**
     * Path the load balancer's health check requests.
     * @default "/health"
     */
    readonly healthCheckPath?: string;
    /**
     * Load balancer idle timeout (seconds); large CSV uploads need minutes.
     * @default 300
     */
    readonly idleTimeoutSeconds?: number;
    /**
     * Longest request the API must finish, uploads included (seconds, at most `idleTimeoutSeconds`).
     * The target group drains this long before a task is stopped, and the container gets it as
     * `stopTimeout` after SIGTERM, capped at Fargate's 120.
     * @default - `idleTimeoutSeconds`
     */
    readonly requestTimeoutSeconds?: number;
    /**
     * IPv4 CIDRs allowed to reach the load balancer on 80/443.
     * @default ["0.0.0.0/0"]
     */
    readonly allowedIngressCidrs?: readonly string[];
    /**
     * The API's domain: HTTPS with a DNS-validated certificate and an alias record.
     * @default - plain HTTP on the load balancer's DNS name; needs `requireHttps: false`
     */
    readonly domainName?: string;
    /**
     * Route 53 hosted zone of `domainName`.
     * @default - none; required with `domainName`
     */
    readonly hostedZoneId?: string;
    /**
     * An existing ACM certificate for `domainName`.
     * @default - a new certificate, DNS-validated in `hostedZoneId`
     */
    readonly certificateArn?: string;
    /**
     * Refuse to build without a domain. Production keeps it; staging may opt out for plain HTTP.
     * @default true
     */
    readonly requireHttps?: boolean;
    /**
     * Deletion protection on the load balancer.
     * @default true
     */
    readonly deletionProtection?: boolean;
    /**
     * The alias record takes over `domainName` from another stack's record (a DR stack).
     * @default false
     */
    readonly takeOverDomainRecord?: boolean;
    /**
     * A WAFv2 web ACL on the load balancer.
     * @default true
     */
    readonly wafEnabled?: boolean;
    /**
     * Requests per client IP per 5 minutes before WAF blocks.
     * @default 2000
     */
    readonly wafRateLimitPer5Minutes?: number;
    /**
     * Name of the web ACL, also the `WebACL` dimension of its CloudWatch metrics: 1 to 128
     * letters, digits, `-` or `_`, unique per account and region (stacks may share an account).
     * @default - "<project>-<stack>-waf"
     */
    readonly webAclName?: string;
    /**
     * URL path prefixes (e.g. "/uploads") that take CSV uploads: there WAF lets bodies over 8 KiB
     * through and its body-inspecting managed rules only count; on other paths both block. With
     * none, oversized bodies are counted, never blocked, and the body rules block everywhere.
     * Each starts with "/" and has at most 200 URL path characters.
     * @default []
     */
    readonly wafUploadPathPrefixes?: readonly string[];
    /**
     * Feature flags: each becomes an SSM parameter under `featureFlagsPath`; `{ value, secret: true }`
     * makes a SecureString. The task role may read that path only; the API gets it as
     * `FEATURE_FLAGS_PATH`. Flags change through the program (a deploy), not in the console.
     * @default {}
     */
    readonly featureFlags?: Readonly<Record<string, FeatureFlag>>;
    /**
     * Path of the flags' parameters.
     * @default - "/<project>/<stack>/flags"
     */
    readonly featureFlagsPath?: string;
    /**
     * KMS key of the SecureString flags.
     * @default - a customer-managed key with rotation, created when any flag is secret
     */
    readonly featureFlagsKmsKeyArn?: pulumi.Input<string>;
    /**
     * AWS X-Ray tracing through a daemon sidecar.
     * @default false
     */
    readonly tracingEnabled?: boolean;
    /**
     * Share of requests traced (percent), handed to the API.
     * @default 5
     */
    readonly tracingSamplingPercent?: number;
    /**
     * Image of the X-Ray daemon sidecar.
     * @default "public.ecr.aws/xray/aws-xray-daemon:3.3.14"
     */
    readonly tracingDaemonImage?: string;
    /**
     * X-Ray service name the API's traces carry (`AWS_XRAY_TRACING_NAME`); the Observability
     * component's sampling rule matches it, so the two must agree.
     * @default - "<project>-<stack>", the Observability component's default
     */
    readonly tracingServiceName?: string;
}

/** Longest ApiService name: its load balancer is `<name>-lb`, which must fit the LoadBalancer's limit. */
export const MAX_API_SERVICE_NAME = MAX_LOAD_BALANCER_NAME - "-lb".length;

/** Every problem with an ApiService's args, including those it hands to its load balancer and web ACL. */
export function apiServiceArgProblems(name: string, args: ApiServiceArgs): ArgProblems {
    const desiredCount = args.desiredCount ?? API_DEFAULTS.desiredCount;
    const minCount = args.minCount ?? API_DEFAULTS.minCount;
    const maxCount = args.maxCount ?? API_DEFAULTS.maxCount;
    const problems = new ArgProblems()
        .add(
            !/^[a-z0-9-]+$/.test(name) || name.length > MAX_API_SERVICE_NAME,
            `\`name\` must be at most ${MAX_API_SERVICE_NAME} lowercase letters, digits or hyphens, so the names derived from it fit AWS's limits (32 for load balancers); got ${JSON.stringify(name)}.`,
        )
        .check("imageRepositoryName", args.imageRepositoryName, ecrRepositoryName)
        .check("imageTag", args.imageTag, imageTagOrDigest)
        .check(
            "executionRolePath",
            args.executionRolePath,
            matches(/^\/([A-Za-z0-9+=,.@_-]+\/)*$/, 'an IAM path: "/", or segments between slashes'),
        )
        .check("idleTimeoutSeconds", args.idleTimeoutSeconds, integerIn(API_LIMITS.idleTimeoutSeconds))
        .addMessage(
            fargateSizeProblem(args.cpu ?? API_DEFAULTS.cpu, args.memoryMiB ?? API_DEFAULTS.memoryMiB, {
                cpu: "cpu",
                memoryMiB: "memoryMiB",
            }),
        );
    serviceAutoscalingArgProblems(
        {
            minCount,
            maxCount,
            cpuTargetPercent: args.cpuTargetPercent,
            requestsPerTargetPerMinute: args.requestsPerTargetPerMinute,
        },
        problems,
    )
        .add(
            desiredCount < 2,
            `\`desiredCount\` must be at least 2, so the service survives the loss of a task or an AZ; got ${desiredCount}.`,
        )
        .add(
            desiredCount >= 2 && (desiredCount < minCount || desiredCount > maxCount),
            `\`desiredCount\` must be from \`minCount\` (${minCount}) to \`maxCount\` (${maxCount}); got ${desiredCount}.`,
        )
        .check("onDemandBaseCount", args.onDemandBaseCount, integerIn(API_LIMITS.onDemandBaseCount))
        .check(
            "healthCheckGracePeriodSeconds",
            args.healthCheckGracePeriodSeconds,
            integerIn(API_LIMITS.healthCheckGracePeriodSeconds),
        )
        .check("tracingSamplingPercent", args.tracingSamplingPercent, integerIn(API_LIMITS.tracingSamplingPercent))
        .check(
            "tracingServiceName",
            args.tracingServiceName,
            matches(/^[A-Za-z0-9 _.:/%&#=+@-]{1,200}$/, "an X-Ray service name (1-200 characters)"),
        )
        .check("logRetentionDays", args.logRetentionDays, cloudWatchRetention)
        .add(
            args.migrationCommand !== undefined && args.migrationCommand.length === 0,
            "`migrationCommand` must name a command; got [].",
        )
        .check(
            "tracingDaemonImage",
            args.tracingDaemonImage,
            matches(
                /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9_.-]+|@sha256:[a-f0-9]{64})$/,
                "a pinned image reference",
            ),
        );
    requestTimeoutProblems(
        args.requestTimeoutSeconds,
        args.idleTimeoutSeconds ?? LOAD_BALANCER_DEFAULTS.idleTimeoutSeconds,
        problems,
    );
    featureFlagArgProblems(args.featureFlags, "featureFlags", problems);
    // The deregistration delay is derived from `requestTimeoutSeconds`, checked above under that name.
    loadBalancerArgProblems({ ...lbArgs(args), deregistrationDelaySeconds: undefined }, problems);
    if (args.wafEnabled ?? API_DEFAULTS.wafEnabled) {
        webAclArgProblems(
            {
                rateLimitPer5Minutes: args.wafRateLimitPer5Minutes,
                aclName: args.webAclName,
                uploadPathPrefixes: args.wafUploadPathPrefixes,
            },
            problems,
            {
                rateLimitPer5Minutes: "wafRateLimitPer5Minutes",
                aclName: "webAclName",
                uploadPathPrefixes: "wafUploadPathPrefixes",
            },
        );
    }
    return problems;
}

/** The load balancer's args, as ApiService hands them on (and as they are validated). */
export function lbArgs(args: ApiServiceArgs): Omit<LoadBalancerArgs, "targetSecurityGroupId"> {
    return {
        vpcId: args.vpcId,
        publicSubnetIds: args.publicSubnetIds,
        accessLogsBucket: args.accessLogsBucket,
        accessLogsPrefix: args.accessLogsPrefix,
        targetPort: API_PORT,
        healthCheckPath: args.healthCheckPath,
        allowedIngressCidrs: args.allowedIngressCidrs,
        domainName: args.domainName,
        hostedZoneId: args.hostedZoneId,
        certificateArn: args.certificateArn,
        requireHttps: args.requireHttps,
        idleTimeoutSeconds: args.idleTimeoutSeconds,
        deregistrationDelaySeconds: apiDraining(args).deregistrationDelaySeconds,
        deletionProtection: args.deletionProtection,
        takeOverDomainRecord: args.takeOverDomainRecord,
    };
}

/** The draining that follows from the API's longest request (by default, the idle timeout). */
export function apiDraining(args: Pick<ApiServiceArgs, "requestTimeoutSeconds" | "idleTimeoutSeconds">) {
    return drainingSettings(
        args.requestTimeoutSeconds ?? args.idleTimeoutSeconds ?? LOAD_BALANCER_DEFAULTS.idleTimeoutSeconds,
    );
}
