import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Container definitions of the API's task definitions, as pure builders so tests read the
 * JSON ECS gets. Credentials reach the container only as ECS secrets (`valueFrom` with the
 * secret's JSON keys), never as plain environment.
 */
export const API_PORT = 8000;
export const API_CONTAINER = "api";
/** The task-level scratch volume mounted on /tmp: the root filesystem is read-only. */
export const TMP_VOLUME = "tmp";
/**
 * Writable volumes the ECS Exec agent needs when the root filesystem is read-only
 * (ECS Exec does not start otherwise); mounted only with ECS Exec on.
 */
export const ECS_EXEC_VOLUMES: readonly { name: string; containerPath: string }[] = [
    { name: "ssm-lib", containerPath: "/var/lib/amazon" },
    { name: "ssm-log", containerPath: "/var/log/amazon" },
];

/** The task-level volumes the containers mount. */
export function taskVolumes(ecsExec: boolean): { name: string }[] {
    return [{ name: TMP_VOLUME }, ...(ecsExec ? ECS_EXEC_VOLUMES.map(({ name }) => ({ name })) : [])];
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
    readonly databaseSecretArn: pulumi.Input<string>;
    /** Whether ECS Exec is on (adds the agent's writable volumes). */
    readonly ecsExec: boolean;
    /** Sampling percent when tracing is on; undefined without tracing. */
    readonly tracingSamplingPercent?: number;
}

type Container = aws.ecs.ContainerDefinition;

function logConfiguration(i: ContainerInputs, streamPrefix: string): pulumi.Output<aws.ecs.LogConfiguration> {
    return pulumi.all([i.logGroupName, i.region]).apply(([group, region]): aws.ecs.LogConfiguration => ({
        logDriver: "awslogs",
        options: { "awslogs-group": group, "awslogs-region": region, "awslogs-stream-prefix": streamPrefix },
    }));
}

/**
 * The API container: the server on 8000 without `command`, or a one-off run of `command`
 * (the schema migration) with the same image, environment and secrets.
 */
export function apiContainer(i: ContainerInputs, command?: readonly string[]): pulumi.Output<Container> {
    const tracing = i.tracingSamplingPercent !== undefined;
    return pulumi
        .output({
            image: i.image,
            region: i.region,
            bucket: i.uploadsBucketName,
            prefix: i.uploadsPrefix,
            host: i.databaseHost,
            port: i.databasePort,
            database: i.databaseName,
            secretArn: i.databaseSecretArn,
            log: logConfiguration(i, command ? "migrate" : "api"),
        })
        .apply(({ image, region, bucket, prefix, host, port, database, secretArn, log }): Container => ({
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
                { name: "TMPDIR", value: "/tmp" },
                ...(tracing
                    ? [
                          { name: "AWS_XRAY_DAEMON_ADDRESS", value: "127.0.0.1:2000" },
                          { name: "TRACING_SAMPLING_PERCENT", value: String(i.tracingSamplingPercent) },
                      ]
                    : []),
            ],
            secrets: [
                { name: "DB_USER", valueFrom: `${secretArn}:username::` },
                { name: "DB_PASSWORD", valueFrom: `${secretArn}:password::` },
            ],
            readonlyRootFilesystem: true,
            privileged: false,
            mountPoints: [
                { sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false },
                ...(i.ecsExec
                    ? ECS_EXEC_VOLUMES.map((v) => ({
                          sourceVolume: v.name,
                          containerPath: v.containerPath,
                          readOnly: false,
                      }))
                    : []),
            ],
            linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
            logConfiguration: log,
            stopTimeout: 30,
        }));
}

/** The X-Ray daemon sidecar: receives segments on UDP 2000 and sends them to X-Ray. */
export function xrayDaemonContainer(i: ContainerInputs, image: string): pulumi.Output<Container> {
    return logConfiguration(i, "xray").apply((log): Container => ({
        name: "xray-daemon",
        image,
        essential: false,
        cpu: 32,
        memoryReservation: 64,
        portMappings: [{ containerPort: 2000, protocol: "udp" }],
        readonlyRootFilesystem: true,
        privileged: false,
        logConfiguration: log,
    }));
}
