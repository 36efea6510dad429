import { loadBootstrapConfig } from "./config";
import { GitHubDeployRoles } from "./githubDeployRoles";
import { StateBackend } from "./stateBackend";
import { costAllocationTags } from "./costAllocationTags";

// Composition only: what the pipeline needs before the first `pulumi up` of any stack.
const config = loadBootstrapConfig();

const backend = new StateBackend(`${config.stackProject}-pulumi`, {
    stacks: config.environments,
    stackProject: config.stackProject,
    noncurrentVersionDays: config.stateNoncurrentVersionDays,
});

const github = new GitHubDeployRoles(`${config.stackProject}-github`, {
    githubOwner: config.githubOwner,
    githubRepo: config.githubRepo,
    environments: config.environments,
    secretsKeyArns: backend.secretsKeyArns,
    stateBucketArn: backend.bucketArn,
    stateKeyArn: backend.stateKeyArn,
    existingOidcProviderArn: config.existingOidcProviderArn,
    deployMaxSessionSeconds: config.deployRoleMaxSessionSeconds,
});

// The tag each stack's budget filters on; account-wide, so activated here (see the file for the delays).
const activeCostTags = costAllocationTags(config.stackProject, config.activateCostAllocationTag);

/** `pulumi login <backendUrl>`; the `PULUMI_BACKEND_URL` repository variable. */
export const backendUrl = backend.backendUrl;
export const stateBucketName = backend.bucketName;
/** Stack -> `--secrets-provider` value for `pulumi stack init`. */
export const secretsProviders = backend.secretsProviders;
export const oidcProviderArn = github.oidcProviderArn;
/** Environment -> the `AWS_DEPLOY_ROLE_ARN` variable of that GitHub environment. */
export const deployRoleArns = github.deployRoleArns;
/** The `AWS_PREVIEW_ROLE_ARN` repository variable. */
export const previewRoleArn = github.previewRoleArn;
/** Cost-allocation tags this account has activated for the stacks' budgets. */
export const activeCostAllocationTags = activeCostTags.map((tag) => tag.tagKey);
