import * as acm from "@pulumi/aws/acm";
import * as ec2 from "@pulumi/aws/ec2";
import * as lb from "@pulumi/aws/lb";
import * as route53 from "@pulumi/aws/route53";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { ArgProblems, cidrBlock, dnsName, httpPath, integerIn, matches } from "../shared/validation";

/** TLS 1.3 and 1.2 only: the AWS-recommended policy for HTTPS listeners. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The LoadBalancer's defaults: its constructor, the `@default`s below and ApiService read these. */
export const LOAD_BALANCER_DEFAULTS = {
    targetPort: 8000,
    healthCheckPath: "/health",
    allowedIngressCidrs: ["0.0.0.0/0"],
    idleTimeoutSeconds: 300,
    deletionProtection: true,
    sslPolicy: DEFAULT_SSL_POLICY,
    deregistrationDelaySeconds: 30,
    accessLogsPrefix: "alb",
    requireHttps: true,
    takeOverDomainRecord: false,
} as const;

/** The LoadBalancer's limits, as AWS sets them. */
export const LOAD_BALANCER_LIMITS = {
    targetPort: { min: 1, max: 65535 },
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout
    idleTimeoutSeconds: { min: 1, max: 4000 },
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
    deregistrationDelaySeconds: { min: 0, max: 3600 },
} as const;

export interface LoadBalancerArgs {
    /** VPC of the target group and the load balancer's security group. */
    readonly vpcId: pulumi.Input<string>;
    /** Public subnets, one per AZ, at least two AZs. */
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security group of the targets; the load balancer may reach it on `targetPort` only. */
    readonly targetSecurityGroupId: pulumi.Input<string>;
    /** Bucket for access logs (SSE-S3, with the ELB log-delivery policy for `accessLogsPrefix`). */
    readonly accessLogsBucket: pulumi.Input<string>;
    /**
     * Key prefix of the access logs in `accessLogsBucket`.
     * @default "alb"
     */
    readonly accessLogsPrefix?: pulumi.Input<string>;
    /**
     * Port the targets (Fargate tasks, type `ip`) listen on.
     * @default 8000
     */
    readonly targetPort?: number;
    /**
     * Path the target group's health check requests.
     * @default "/health"
     */
    readonly healthCheckPath?: string;
    /**
     * IPv4 CIDRs allowed to reach the load balancer on 80 and 443.
     * @default ["0.0.0.0/0"]
     */
    readonly allowedIngressCidrs?: readonly string[];
    /**
     * The API's domain. With it the load balancer serves HTTPS (80 redirects to 443) and gets an alias record.
     * @default - plain HTTP on the load balancer's own DNS name; allowed only with `requireHttps: false`
     */
    readonly domainName?: string;
    /**
     * Route 53 hosted zone of `domainName`, for the certificate's DNS validation and the alias record.
     * @default - none; required with `domainName`
     */
    readonly hostedZoneId?: string;
    /**
     * An existing ACM certificate for `domainName` in this region.
     * @default - a new certificate, DNS-validated in `hostedZoneId`
     */
    readonly certificateArn?: string;
    /**
     * Refuse to build without a domain (plain HTTP). Production sets it; staging may opt out.
     * @default true
     */
    readonly requireHttps?: boolean;
    /**
     * Idle timeout in seconds; large CSV uploads over slow links need minutes.
     * @default 300
     */
    readonly idleTimeoutSeconds?: number;
    /**
     * Deletion protection on the load balancer.
     * @default true
     */
    readonly deletionProtection?: boolean;
    /**
     * Let the alias record take over `domainName` when another stack's record holds it (Route 53
     * `allowOverwrite`): the one DNS switch of a DR stack (docs/runbooks/dr-region-recovery.md).
     * @default false
     */
    readonly takeOverDomainRecord?: boolean;
    /**
     * TLS policy of the HTTPS listener.
     * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
     */
    readonly sslPolicy?: string;
    /**
     * Seconds a draining target keeps its connections during a deploy.
     * @default 30
     */
    readonly deregistrationDelaySeconds?: number;
}

/** Longest component name whose children's auto-names (`<name>-tg` + 8) fit AWS's 32 characters. */
export const MAX_LOAD_BALANCER_NAME = 32 - "-tg".length - 8;

export const hostedZoneId = matches(/^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone id");
export const acmCertificateArn = matches(
    /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
    "an ACM certificate ARN",
);

/** Every problem with a LoadBalancer's args; also run by ApiService before it builds anything. */
export function loadBalancerArgProblems(
    args: Omit<LoadBalancerArgs, "vpcId" | "publicSubnetIds" | "targetSecurityGroupId" | "accessLogsBucket">,
    problems: ArgProblems = new ArgProblems(),
): ArgProblems {
    const requireHttps = args.requireHttps ?? LOAD_BALANCER_DEFAULTS.requireHttps;
    problems
        .check("healthCheckPath", args.healthCheckPath, httpPath)
        .check("targetPort", args.targetPort, integerIn(LOAD_BALANCER_LIMITS.targetPort))
        .check("idleTimeoutSeconds", args.idleTimeoutSeconds, integerIn(LOAD_BALANCER_LIMITS.idleTimeoutSeconds))
        .check(
            "deregistrationDelaySeconds",
            args.deregistrationDelaySeconds,
            integerIn(LOAD_BALANCER_LIMITS.deregistrationDelaySeconds),
        )
        .check("domainName", args.domainName, dnsName)
        .check("hostedZoneId", args.hostedZoneId, hostedZoneId)
        .check("certificateArn", args.certificateArn, acmCertificateArn)
        .check(
            "sslPolicy",
            args.sslPolicy,
            matches(/^ELBSecurityPolicy-TLS13-/, "a TLS 1.3 policy (ELBSecurityPolicy-TLS13-*)"),
        )
        .add(
            (args.domainName === undefined) !== (args.hostedZoneId === undefined),
            `\`domainName\` and \`hostedZoneId\` go together; got ${args.domainName === undefined ? "only the hosted zone" : "only the domain"}.`,
        )
        .add(
            args.certificateArn !== undefined && args.domainName === undefined,
            "`certificateArn` needs `domainName`, the name the certificate covers.",
        )
        .add(
            requireHttps && args.domainName === undefined,
            "`domainName` is required when `requireHttps` is true: without a domain the load balancer serves only plain HTTP; got nothing.",
        );
    const cidrs = args.allowedIngressCidrs ?? LOAD_BALANCER_DEFAULTS.allowedIngressCidrs;
    problems.add(cidrs.length === 0, "`allowedIngressCidrs` must list at least one CIDR block; got [].");
    cidrs.forEach((cidr, i) => problems.check(`allowedIngressCidrs[${i}]`, cidr, cidrBlock(0, 32)));
    return problems;
}

/**
 * The API's internet-facing Application Load Balancer: HTTPS on 443 with a TLS 1.3/1.2
 * policy and a DNS-validated certificate (port 80 redirects), or plain HTTP when there is no
 * domain; an `ip` target group with fast deploy settings; access logs; an alias record.
 */
export class LoadBalancer extends pulumi.ComponentResource {
    public readonly loadBalancer: lb.LoadBalancer;
    public readonly targetGroup: lb.TargetGroup;
    /** The listeners; an ECS service must depend on them before it registers targets. */
    public readonly listeners: lb.Listener[];
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    public readonly arnSuffix: pulumi.Output<string>;
    public readonly dnsName: pulumi.Output<string>;
    public readonly targetGroupArn: pulumi.Output<string>;
    public readonly targetGroupArnSuffix: pulumi.Output<string>;
    /** `https://<domain>` with a domain, else `http://<load balancer DNS name>`. */
    public readonly url: pulumi.Output<string>;
    public readonly httpsEnabled: pulumi.Output<boolean>;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("migration-api:api:LoadBalancer", name, {}, opts);
        const targetPort = args.targetPort ?? LOAD_BALANCER_DEFAULTS.targetPort;
        const healthCheckPath = args.healthCheckPath ?? LOAD_BALANCER_DEFAULTS.healthCheckPath;
        const allowedIngressCidrs = args.allowedIngressCidrs ?? LOAD_BALANCER_DEFAULTS.allowedIngressCidrs;
        const idleTimeoutSeconds = args.idleTimeoutSeconds ?? LOAD_BALANCER_DEFAULTS.idleTimeoutSeconds;
        const deletionProtection = args.deletionProtection ?? LOAD_BALANCER_DEFAULTS.deletionProtection;
        const sslPolicy = args.sslPolicy ?? LOAD_BALANCER_DEFAULTS.sslPolicy;
        const deregistrationDelaySeconds =
            args.deregistrationDelaySeconds ?? LOAD_BALANCER_DEFAULTS.deregistrationDelaySeconds;
        const accessLogsPrefix = args.accessLogsPrefix ?? LOAD_BALANCER_DEFAULTS.accessLogsPrefix;
        const httpsEnabled = args.domainName !== undefined;
        loadBalancerArgProblems(args)
            .add(
                !/^[a-z0-9-]+$/.test(name) || name.length > MAX_LOAD_BALANCER_NAME,
                `\`name\` must be at most ${MAX_LOAD_BALANCER_NAME} lowercase letters, digits or hyphens, so the target group's name (\`<name>-tg\` and Pulumi's 8-character suffix) fits AWS's 32; got ${JSON.stringify(name)}.`,
            )
            .throwIfAny(this, `LoadBalancer ${name}`);

        const sg = new ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: `Load balancer of ${name}: ${httpsEnabled ? "80/443" : "80"} in` },
            { parent: this },
        );
        const ports = httpsEnabled ? [80, 443] : [80];
        allowedIngressCidrs.forEach((cidr, i) =>
            ports.forEach(
                (port) =>
                    new vpc.SecurityGroupIngressRule(
                        `${name}-in-${port}-${i}`,
                        {
                            securityGroupId: sg.id,
                            ipProtocol: "tcp",
                            fromPort: port,
                            toPort: port,
                            cidrIpv4: cidr,
                            description: `Clients on ${port}`,
                        },
                        { parent: this },
                    ),
            ),
        );
        new vpc.SecurityGroupEgressRule(
            `${name}-to-targets`,
            {
                securityGroupId: sg.id,
                ipProtocol: "tcp",
                fromPort: targetPort,
                toPort: targetPort,
                referencedSecurityGroupId: args.targetSecurityGroupId,
                description: `Targets on ${targetPort}`,
            },
            { parent: this },
        );

        this.loadBalancer = new lb.LoadBalancer(
            name,
            {
                loadBalancerType: "application",
                internal: false,
                ipAddressType: "ipv4",
                securityGroups: [sg.id],
                subnets: args.publicSubnetIds,
                dropInvalidHeaderFields: true,
                idleTimeout: idleTimeoutSeconds,
                enableDeletionProtection: deletionProtection,
                enableHttp2: true,
                accessLogs: { bucket: args.accessLogsBucket, prefix: accessLogsPrefix, enabled: true },
            },
            { parent: this },
        );
        this.targetGroup = new lb.TargetGroup(
            `${name}-tg`,
            {
                vpcId: args.vpcId,
                targetType: "ip",
                port: targetPort,
                protocol: "HTTP",
                deregistrationDelay: deregistrationDelaySeconds,
                healthCheck: {
                    enabled: true,
                    path: healthCheckPath,
                    protocol: "HTTP",
                    port: "traffic-port",
                    matcher: "200-399",
                    interval: 15,
                    timeout: 5,
                    healthyThreshold: 2,
                    unhealthyThreshold: 3,
                },
            },
            { parent: this },
        );
        const forward = [{ type: "forward", targetGroupArn: this.targetGroup.arn }];

        if (httpsEnabled) {
            const certificateArn = args.certificateArn ?? this.issueCertificate(name, args);
            const https = new lb.Listener(
                `${name}-https`,
                {
                    loadBalancerArn: this.loadBalancer.arn,
                    port: 443,
                    protocol: "HTTPS",
                    sslPolicy,
                    certificateArn,
                    defaultActions: forward,
                    routingHttpResponseStrictTransportSecurityHeaderValue: "max-age=31536000; includeSubDomains",
                },
                { parent: this },
            );
            const http = new lb.Listener(
                `${name}-http`,
                {
                    loadBalancerArn: this.loadBalancer.arn,
                    port: 80,
                    protocol: "HTTP",
                    defaultActions: [
                        { type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } },
                    ],
                },
                { parent: this },
            );
            this.listeners = [https, http];
            new route53.Record(
                `${name}-alias`,
                {
                    zoneId: args.hostedZoneId as string,
                    name: args.domainName as string,
                    type: "A",
                    // Without it a second stack's record for the same name fails to create; with it
                    // the record is upserted (terraform-provider-aws route53_record `allow_overwrite`).
                    allowOverwrite: args.takeOverDomainRecord ?? LOAD_BALANCER_DEFAULTS.takeOverDomainRecord,
                    aliases: [
                        {
                            name: this.loadBalancer.dnsName,
                            zoneId: this.loadBalancer.zoneId,
                            evaluateTargetHealth: true,
                        },
                    ],
                },
                { parent: this },
            );
        } else {
            // Staging without a domain only: plain HTTP, said so by `httpsEnabled` and `url`.
            this.listeners = [
                new lb.Listener(
                    `${name}-http`,
                    { loadBalancerArn: this.loadBalancer.arn, port: 80, protocol: "HTTP", defaultActions: forward },
                    { parent: this },
                ),
            ];
        }

        this.securityGroupId = sg.id;
        this.arn = this.loadBalancer.arn;
        this.arnSuffix = this.loadBalancer.arnSuffix;
        this.dnsName = this.loadBalancer.dnsName;
        this.targetGroupArn = this.targetGroup.arn;
        this.targetGroupArnSuffix = this.targetGroup.arnSuffix;
        this.url = httpsEnabled
            ? pulumi.output(`https://${args.domainName}`)
            : pulumi.interpolate`http://${this.loadBalancer.dnsName}`;
        this.httpsEnabled = pulumi.output(httpsEnabled);
        this.registerOutputs({
            securityGroupId: this.securityGroupId,
            arn: this.arn,
            arnSuffix: this.arnSuffix,
            dnsName: this.dnsName,
            targetGroupArn: this.targetGroupArn,
            targetGroupArnSuffix: this.targetGroupArnSuffix,
            url: this.url,
            httpsEnabled: this.httpsEnabled,
        });
    }

    /** A DNS-validated ACM certificate for the domain; resolves once it is issued. */
    private issueCertificate(name: string, args: LoadBalancerArgs): pulumi.Output<string> {
        const certificate = new acm.Certificate(
            `${name}-cert`,
            { domainName: args.domainName as string, validationMethod: "DNS", keyAlgorithm: "RSA_2048" },
            { parent: this },
        );
        const option = certificate.domainValidationOptions[0];
        const record = new route53.Record(
            `${name}-cert-validation`,
            {
                zoneId: args.hostedZoneId as string,
                name: option.resourceRecordName,
                type: option.resourceRecordType,
                records: [option.resourceRecordValue],
                ttl: 300,
                allowOverwrite: true,
            },
            { parent: this },
        );
        return new acm.CertificateValidation(
            `${name}-cert-validation`,
            { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
            { parent: this },
        ).certificateArn;
    }
}
