import type * as ecs from "@pulumi/aws/ecs";
import * as pulumi from "@pulumi/pulumi";

/**
 * Container definitions of the API's task definitions, as pure builders so tests read the
 * JSON ECS gets. The API logs in with IAM database tokens (no password anywhere); the
 * migration gets the master secret only as ECS secrets (`valueFrom`), never as plain environment.
 */
export const API_PORT = 8000;
export const API_CONTAINER = "api";
/** The task-level scratch volume mounted on /tmp: the root filesystem is read-only. */
export const TMP_VOLUME = "tmp";
/** The container that runs the schema migration before the API container of the same task starts. */
export const MIGRATE_CONTAINER = "migrate";
/** The X-Ray daemon sidecar's container name. */
export const XRAY_CONTAINER = "xray-daemon";
/**
 * Where the image keeps the CA bundle that verifies the database's certificate: AWS's RDS global
 * bundle (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) for the cluster, plus
 * the Amazon Trust Services roots for RDS Proxy, whose certificates come from ACM.
 */
export const DB_CA_BUNDLE_PATH = "/etc/ssl/certs/rds-ca-bundle.pem";
/**
 * Writable directories of the ECS Exec agent, which ECS starts in every container of the
 * task: with a read-only root filesystem it does not start unless these are volumes.
 */
export const ECS_EXEC_PATHS: readonly { suffix: string; containerPath: string }[] = [
    { suffix: "ssm-lib", containerPath: "/var/lib/amazon" },
    { suffix: "ssm-log", containerPath: "/var/log/amazon" },
];

/** The ECS Exec agent's volumes of one container (each container's agent keeps its own state). */
function ecsExecVolumes(container: string): { name: string; containerPath: string }[] {
    // The API container's volumes keep their original names ("ssm-lib", "ssm-log").
    const prefix = container === API_CONTAINER ? "" : `${container}-`;
    return ECS_EXEC_PATHS.map((p) => ({ name: `${prefix}${p.suffix}`, containerPath: p.containerPath }));
}

/** The writable mounts of a container's ECS Exec agent, when ECS Exec is on. */
function ecsExecMounts(container: string, ecsExec: boolean) {
    return ecsExec
        ? ecsExecVolumes(container).map((v) => ({
              sourceVolume: v.name,
              containerPath: v.containerPath,
              readOnly: false,
          }))
        : [];
}

/** The task-level volumes the containers mount: /tmp, and with ECS Exec each agent's directories. */
export function taskVolumes(ecsExec: boolean, containers: readonly string[] = [API_CONTAINER]): { name: string }[] {
    return [
        { name: TMP_VOLUME },
        ...(ecsExec ? containers.flatMap((c) => ecsExecVolumes(c).map(({ name }) => ({ name }))) : []),
    ];
}

export interface ContainerInputs {
    readonly image: pulumi.Input<string>;
    readonly region: pulumi.Input<string>;
    readonly logGroupName: pulumi.Input<string>;
    readonly uploadsBucketName: pulumi.Input<string>;
    readonly uploadsPrefix: pulumi.Input<string>;
    readonly databaseHost: pulumi.Input<string>;
    readonly databasePort: pulumi.Input<number>;
    readonly databaseName: pulumi.Input<string>;
    /** The API's IAM-authenticated database user. */
    readonly databaseUser: pulumi.Input<string>;
    /** Where the migration connects as the master user (the writer). */
    readonly migrationDatabaseHost: pulumi.Input<string>;
    /** The master secret: the migration's credentials. */
    readonly databaseSecretArn: pulumi.Input<string>;
    /**
     * Seconds between SIGTERM and SIGKILL (at most Fargate's 120); see `./draining`.
     * @default 30
     */
    readonly stopTimeoutSeconds?: number;
    /**
     * Parameter Store path of the feature flags, handed to the API (not to one-off commands,
     * which run without the task role that may read it).
     * @default - no FEATURE_FLAGS_PATH
     */
    readonly featureFlagsPath?: string;
    /** Whether ECS Exec is on (adds the agent's writable volumes). */
    readonly ecsExec: boolean;
    /**
     * X-Ray tracing through the daemon sidecar: the share of requests sampled and the service
     * name the Observability sampling rule matches; undefined without tracing.
     */
    readonly tracing?: { readonly samplingPercent: number; readonly serviceName: string };
}

type Container = ecs.ContainerDefinition;

function logConfiguration(i: ContainerInputs, streamPrefix: string): pulumi.Output<ecs.LogConfiguration> {
    return pulumi.all([i.logGroupName, i.region]).apply(([group, region]): ecs.LogConfiguration => ({
        logDriver: "awslogs",
        options: { "awslogs-group": group, "awslogs-region": region, "awslogs-stream-prefix": streamPrefix },
    }));
}

/**
 * The API container: the server on 8000 without `command`, or a one-off run of `command`
 * (the schema migration) with the same image, environment and secrets.
 */
export function apiContainer(i: ContainerInputs, command?: readonly string[]): pulumi.Output<Container> {
    // A one-off command runs without the sidecar: no daemon to send traces to.
    const tracing = command === undefined ? i.tracing : undefined;
    return pulumi
        .output({
            image: i.image,
            region: i.region,
            bucket: i.uploadsBucketName,
            prefix: i.uploadsPrefix,
            host: command ? i.migrationDatabaseHost : i.databaseHost,
            user: i.databaseUser,
            port: i.databasePort,
            database: i.databaseName,
            secretArn: i.databaseSecretArn,
            log: logConfiguration(i, command ? "migrate" : "api"),
        })
        .apply(({ image, region, bucket, prefix, host, port, database, user, secretArn, log }): Container => ({
            name: API_CONTAINER,
            image,
            essential: true,
            ...(command ? { command: [...command] } : {}),
            portMappings: command ? [] : [{ containerPort: API_PORT, protocol: "tcp", name: "http" }],
            environment: [
                { name: "AWS_REGION", value: region },
                { name: "PORT", value: String(API_PORT) },
                { name: "UPLOADS_BUCKET", value: bucket },
                { name: "UPLOADS_PREFIX", value: prefix },
                { name: "DB_HOST", value: host },
                { name: "DB_PORT", value: String(port) },
                { name: "DB_NAME", value: database },
                // TLS with the server's certificate and host name checked (libpq's sslmode names).
                { name: "DB_SSLMODE", value: "verify-full" },
                { name: "DB_SSLROOTCERT", value: DB_CA_BUNDLE_PATH },
                ...(command
                    ? // The migration logs in as the master user and creates the API's role (docs/database-access.md).
                      [
                          { name: "DB_IAM_AUTH", value: "false" },
                          { name: "DB_APP_USER", value: user },
                      ]
                    : // The API generates a 15-minute IAM token per connection with its task role.
                      [
                          { name: "DB_USER", value: user },
                          { name: "DB_IAM_AUTH", value: "true" },
                      ]),
                { name: "TMPDIR", value: "/tmp" },
                ...(command === undefined && i.featureFlagsPath !== undefined
                    ? [{ name: "FEATURE_FLAGS_PATH", value: i.featureFlagsPath }]
                    : []),
                ...(tracing
                    ? [
                          { name: "AWS_XRAY_DAEMON_ADDRESS", value: "127.0.0.1:2000" },
                          { name: "AWS_XRAY_TRACING_NAME", value: tracing.serviceName },
                          { name: "TRACING_SAMPLING_PERCENT", value: String(tracing.samplingPercent) },
                      ]
                    : []),
            ],
            secrets: command
                ? [
                      { name: "DB_USER", valueFrom: `${secretArn}:username::` },
                      { name: "DB_PASSWORD", valueFrom: `${secretArn}:password::` },
                  ]
                : [],
            readonlyRootFilesystem: true,
            privileged: false,
            mountPoints: [
                { sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false },
                ...ecsExecMounts(API_CONTAINER, i.ecsExec),
            ],
            linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
            logConfiguration: log,
            stopTimeout: i.stopTimeoutSeconds ?? 30,
        }));
}

/**
 * The service's first step in every task: the migration command, same image and secrets, not
 * essential (ECS requires that of a container others wait on with `SUCCESS`). The API container
 * waits for it to exit 0 (`apiWaitsForMigration`), so a new stack's first deployment never serves
 * before its schema exists (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html).
 */
export function migrateFirstContainer(i: ContainerInputs, command: readonly string[]): pulumi.Output<Container> {
    return apiContainer(i, command).apply((c): Container => ({
        ...c,
        name: MIGRATE_CONTAINER,
        essential: false,
        mountPoints: [
            { sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false },
            ...ecsExecMounts(MIGRATE_CONTAINER, i.ecsExec),
        ],
    }));
}

/** The API container, started only once the migrate container has exited 0. */
export function apiWaitsForMigration(api: pulumi.Output<Container>): pulumi.Output<Container> {
    return api.apply((c): Container => ({
        ...c,
        dependsOn: [{ containerName: MIGRATE_CONTAINER, condition: "SUCCESS" }],
    }));
}

/**
 * The X-Ray daemon sidecar: receives segments on UDP 2000 and sends them to X-Ray with the
 * task role; the API's X-Ray SDK fetches the sampling rules through it.
 */
export function xrayDaemonContainer(i: ContainerInputs, image: string): pulumi.Output<Container> {
    return pulumi.all([logConfiguration(i, "xray"), i.region]).apply(([log, region]): Container => ({
        name: XRAY_CONTAINER,
        image,
        essential: false,
        cpu: 32,
        memoryReservation: 64,
        portMappings: [{ containerPort: 2000, protocol: "udp" }],
        // The daemon finds its region here: Fargate has no instance metadata to ask.
        environment: [{ name: "AWS_REGION", value: region }],
        readonlyRootFilesystem: true,
        privileged: false,
        mountPoints: ecsExecMounts(XRAY_CONTAINER, i.ecsExec),
        linuxParameters: { capabilities: { drop: ["ALL"] } },
        logConfiguration: log,
    }));
}
