import type * as pulumi from "@pulumi/pulumi";
import { routeTableIdsOf } from "./awsxVpc";
import { ACCOUNT_ID, hexId, PARTITION, zonesOf } from "./ids";
import { renderPolicyDocument, PolicyDocumentArgs } from "./policyDocument";
import type { SimulationOptions } from "./options";

/** The ELB log-delivery accounts of the regions the simulation knows. */
const ELB_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "eu-west-1": "156460612806",
    "eu-central-1": "054676820928",
};

/** Aurora PostgreSQL versions the simulation offers, newest last per major. */
export const AURORA_POSTGRES_VERSIONS: Readonly<Record<string, readonly string[]>> = {
    "14": ["14.12", "14.13", "14.15"],
    "15": ["15.8", "15.10"],
    "16": ["16.4", "16.6"],
    "17": ["17.4"],
};

/** Simulated answers to the invokes (data sources) the program makes; unknown ones fail loudly. */
export function answerInvoke(args: pulumi.runtime.MockCallArgs, options: SimulationOptions): Record<string, unknown> {
    const { region } = options;
    const inputs = args.inputs as Record<string, unknown>;
    switch (args.token) {
        case "aws:index/getRegion:getRegion":
            return {
                id: region,
                name: region,
                region,
                description: region,
                endpoint: `ec2.${region}.amazonaws.com`,
            };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                id: ACCOUNT_ID,
                accountId: ACCOUNT_ID,
                arn: `arn:${PARTITION}:sts::${ACCOUNT_ID}:assumed-role/deployer/session`,
                userId: "AROAEXAMPLE:session",
            };
        case "aws:index/getPartition:getPartition":
            return {
                id: PARTITION,
                partition: PARTITION,
                dnsSuffix: "amazonaws.com",
                reverseDnsPrefix: "com.amazonaws",
            };
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            // AZ ID: the first three letters of the Region code, its closing number, "-az", a number
            // (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html).
            const prefix = `${region.replace(/-/g, "").slice(0, 3)}${/\d+$/.exec(region)?.[0] ?? ""}`;
            const names = zonesOf(region);
            return { id: region, names, zoneIds: names.map((_, i) => `${prefix}-az${i + 1}`), groupNames: [region] };
        }
        case "aws:index/getDefaultTags:getDefaultTags":
            return { id: "default", tags: { ...options.defaultTags } };
        case "aws:elb/getServiceAccount:getServiceAccount": {
            const target = String(inputs.region ?? region);
            const account = ELB_ACCOUNTS[target];
            if (!account) throw new Error(`simulated AWS has no ELB log-delivery account for region ${target}`);
            return { id: account, arn: `arn:${PARTITION}:iam::${account}:root`, region: target };
        }
        case "aws:iam/getPolicyDocument:getPolicyDocument": {
            const json = renderPolicyDocument(inputs as PolicyDocumentArgs);
            return { id: hexId(json, 10), json, minifiedJson: JSON.stringify(JSON.parse(json)) };
        }
        case "aws:ec2/getRouteTables:getRouteTables": {
            // The route tables of a simulated awsx VPC: AWS's main table and one per subnet.
            const vpcId = String(inputs.vpcId);
            const ids = routeTableIdsOf(vpcId);
            if (!ids) throw new Error(`simulated AWS has no VPC ${vpcId} to list route tables of`);
            return { id: vpcId, vpcId, ids };
        }
        case "aws:ecr/getRepository:getRepository":
            return ecrRepository(String(inputs.name), options);
        case "aws:ecr/getImage:getImage":
            return ecrImage(inputs, options);
        case "aws:rds/getEngineVersion:getEngineVersion":
            return engineVersion(inputs);
        case "aws:rds/getOrderableDbInstance:getOrderableDbInstance":
            return {
                id: String(inputs.instanceClass),
                instanceClass: inputs.instanceClass,
                engine: inputs.engine,
                engineVersion: inputs.engineVersion,
                availabilityZones: zonesOf(region),
            };
        default:
            throw new Error(`simulated AWS has no answer for invoke ${args.token}; add one in tools/sim/awsMocks.ts`);
    }
}

function engineVersion(inputs: Record<string, unknown>): Record<string, unknown> {
    if (inputs.engine !== "aurora-postgresql") {
        throw new Error(
            `simulated AWS only offers aurora-postgresql engine versions; asked for ${String(inputs.engine)}`,
        );
    }
    const requested = String(inputs.version ?? "");
    const major = requested.split(".")[0];
    const versions = AURORA_POSTGRES_VERSIONS[major] ?? [];
    // DescribeDBEngineVersions matches a major ("16") to all its minors and an exact version to
    // itself. With nothing found, or several without `latest`, the provider's data source fails
    // (terraform-provider-aws internal/service/rds/engine_version_data_source.go).
    const found = requested.includes(".") ? versions.filter((v) => v === requested) : [...versions];
    const criteria = `{Engine: ${String(inputs.engine)}, EngineVersion: ${requested}}`;
    if (found.length === 0) throw new Error(`no RDS engine versions found: ${criteria}`);
    if (found.length > 1 && inputs.latest !== true) {
        throw new Error(`multiple RDS engine versions (${found.join(", ")}) match the criteria: ${criteria}`);
    }
    const version = found[found.length - 1];
    return {
        id: version,
        engine: "aurora-postgresql",
        version,
        versionActual: version,
        parameterGroupFamily: `aurora-postgresql${major}`,
        supportsParallelQuery: false,
        supportsGlobalDatabases: true,
        validUpgradeTargets: [],
        status: "available",
    };
}

/**
 * A repository the account holds, as `aws.ecr.getRepository` reports it. Any other fails as the
 * provider fails (terraform-provider-aws internal/service/ecr/repository_data_source.go: "reading ECR
 * Repository (%s): %s", after DescribeRepositories answered RepositoryNotFoundException).
 */
function ecrRepository(name: string, options: SimulationOptions): Record<string, unknown> {
    const { region, repositories } = options;
    if (!repositories.includes(name)) {
        // AWS's own message text after the code is not reproduced: it was not checked.
        throw new Error(`reading ECR Repository (${name}): RepositoryNotFoundException (simulated AWS)`);
    }
    return {
        id: name,
        name,
        arn: `arn:${PARTITION}:ecr:${region}:${ACCOUNT_ID}:repository/${name}`,
        registryId: ACCOUNT_ID,
        repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${name}`,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfigurations: [{ scanOnPush: true }],
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "" }],
        mostRecentImageTags: [],
        tags: {},
    };
}

/**
 * `aws.ecr.getImage` as terraform-provider-aws answers it (internal/service/ecr/image_data_source.go):
 * DescribeImages by tag or digest; `imageUri` is `<repositoryUri>@<digest>`; an image that is not
 * there fails the invoke with ECR's ImageNotFoundException.
 */
function ecrImage(inputs: Record<string, unknown>, options: SimulationOptions): Record<string, unknown> {
    const { region, missingImages: missing = [] } = options;
    const repositoryName = String(inputs.repositoryName);
    const repository = ecrRepository(repositoryName, options); // DescribeImages in no repository fails too
    const tag = inputs.imageTag as string | undefined;
    const asked = inputs.imageDigest as string | undefined;
    if (missing.includes(tag ?? "") || missing.includes(asked ?? "")) {
        const imageId = `{imageDigest:'${asked ?? "null"}', imageTag:'${tag ?? "null"}'}`;
        throw new Error(
            `reading ECR Images: ImageNotFoundException: The image with imageId ${imageId} does not exist within ` +
                `the repository with name '${repositoryName}' in the registry with id '${ACCOUNT_ID}'`,
        );
    }
    const digest = asked ?? `sha256:${hexId(`${repositoryName}:${tag}`, 64)}`;
    return {
        id: digest,
        repositoryName,
        registryId: ACCOUNT_ID,
        region,
        imageDigest: digest,
        imageTag: tag,
        imageTags: tag ? [tag] : [],
        imagePushedAt: 1764000000,
        imageSizeInBytes: 104857600,
        imageUri: `${String(repository.repositoryUrl)}@${digest}`,
    };
}
