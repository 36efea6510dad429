#!/usr/bin/env bash
# Runs the stack's one-off schema migration ECS task and fails unless it exits 0.
#
#   tools/ci/run-migration.sh <stack> pre-up     before `pulumi up`: the deployed migration task
#                                                definition with the image the commit pins
#                                                (`migration-api:apiImageTag`), registered as a
#                                                temporary revision and deregistered afterwards
#   tools/ci/run-migration.sh <stack> deployed   the migration task definition exactly as deployed
#
# Reads the stack outputs migrationTaskDefinitionArn, clusterName, privateSubnetIds and
# taskSecurityGroupId. In pre-up mode a stack without them (never deployed) is not an error: the
# script prints a notice and writes `ran=false` to $GITHUB_OUTPUT; the first `pulumi up` then
# migrates through the service itself (each task's `migrate` container runs before the API
# starts). Needs pulumi, aws and jq on PATH, and AWS credentials.
set -euo pipefail

stack="${1:?usage: run-migration.sh <stack> pre-up|deployed}"
mode="${2:?usage: run-migration.sh <stack> pre-up|deployed}"
timeout_seconds="${MIGRATION_TIMEOUT_SECONDS:-1800}"
poll_seconds="${MIGRATION_POLL_SECONDS:-10}"
github_output="${GITHUB_OUTPUT:-/dev/null}"

case "$mode" in
  pre-up | deployed) ;;
  *) echo "run-migration.sh: mode must be pre-up or deployed; got \"$mode\"" >&2; exit 2 ;;
esac

outputs="$(pulumi stack output --stack "$stack" --json)"
output() { jq -r --arg k "$1" '.[$k] // empty | if type == "array" then join(",") else . end' <<<"$outputs"; }
task_definition="$(output migrationTaskDefinitionArn)"
cluster="$(output clusterName)"
subnets="$(output privateSubnetIds)"
security_group="$(output taskSecurityGroupId)"

if [[ -z "$task_definition" ]]; then
  if [[ "$mode" == "pre-up" ]]; then
    echo "::notice::stack $stack has no migrationTaskDefinitionArn output yet (first deploy): the service's tasks migrate before the API starts"
    echo "ran=false" >>"$github_output"
    exit 0
  fi
  echo "::error::stack $stack has no migrationTaskDefinitionArn output" >&2
  exit 1
fi
for name in clusterName privateSubnetIds taskSecurityGroupId; do
  if [[ -z "$(output "$name")" ]]; then
    echo "::error::stack $stack has no $name output; the migration task cannot be placed" >&2
    exit 1
  fi
done

temporary_revision=""
cleanup() {
  if [[ -n "$temporary_revision" ]]; then
    aws ecs deregister-task-definition --task-definition "$temporary_revision" >/dev/null ||
      echo "::warning::could not deregister $temporary_revision" >&2
  fi
}
trap cleanup EXIT

described="$(aws ecs describe-task-definition --task-definition "$task_definition" --include TAGS)"
essential_containers="$(jq -r '[.taskDefinition.containerDefinitions[] | select(.essential != false) | .name] | join(" ")' <<<"$described")"

if [[ "$mode" == "pre-up" ]]; then
  image_ref="$(pulumi config get migration-api:apiImageTag --stack "$stack")"
  # The app's container(s): essential, image in this account's private ECR. Sidecars from public
  # registries keep their image. A digest ("sha256:...") pins with "@", a tag with ":".
  registration="$(jq --arg ref "$image_ref" '
    def repository: sub("(@sha256:[0-9a-f]{64}|:[^:/@]+)$"; "");
    def pinned($repo): if ($ref | startswith("sha256:")) then "\($repo)@\($ref)" else "\($repo):\($ref)" end;
    (.tags // []) as $tags
    | .taskDefinition
    | del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities,
          .registeredAt, .registeredBy, .deregisteredAt)
    | .containerDefinitions |= map(
        if (.essential != false) and (.image | test("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/"))
        then .image = pinned(.image | repository) else . end)
    | if ($tags | length) > 0 then . + {tags: $tags} else . end' <<<"$described")"
  images="$(jq -r '[.containerDefinitions[].image] | join(" ")' <<<"$registration")"
  registered="$(aws ecs register-task-definition --cli-input-json "$registration")"
  temporary_revision="$(jq -r '.taskDefinition.taskDefinitionArn' <<<"$registered")"
  run_definition="$temporary_revision"
  echo "migrating with $images (temporary revision $temporary_revision)"
else
  run_definition="$task_definition"
  echo "migrating with the deployed task definition $task_definition"
fi

started="$(aws ecs run-task \
  --cluster "$cluster" \
  --task-definition "$run_definition" \
  --launch-type FARGATE \
  --count 1 \
  --started-by "migration-${GITHUB_RUN_ID:-manual}" \
  --network-configuration "awsvpcConfiguration={subnets=[$subnets],securityGroups=[$security_group],assignPublicIp=DISABLED}")"
if [[ "$(jq '.failures | length' <<<"$started")" != "0" ]]; then
  echo "::error::run-task failed: $(jq -c '.failures' <<<"$started")" >&2
  exit 1
fi
task="$(jq -r '.tasks[0].taskArn' <<<"$started")"
echo "started $task"

deadline=$((SECONDS + timeout_seconds))
while :; do
  described_task="$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task")"
  status="$(jq -r '.tasks[0].lastStatus' <<<"$described_task")"
  [[ "$status" == "STOPPED" ]] && break
  if ((SECONDS >= deadline)); then
    echo "::error::migration task $task still $status after ${timeout_seconds}s; stopping it" >&2
    aws ecs stop-task --cluster "$cluster" --task "$task" --reason "migration timed out in CI" >/dev/null || true
    exit 1
  fi
  sleep "$poll_seconds"
done

failed=0
for container in $essential_containers; do
  exit_code="$(jq -r --arg c "$container" '.tasks[0].containers[] | select(.name == $c) | .exitCode // "none"' <<<"$described_task")"
  echo "container $container exited with ${exit_code}"
  [[ "$exit_code" == "0" ]] || failed=1
done
if ((failed)); then
  echo "::error::migration task $task failed: $(jq -r '.tasks[0].stoppedReason // "no reason given"' <<<"$described_task"); see its log group" >&2
  exit 1
fi
echo "ran=true" >>"$github_output"
echo "migrations succeeded"
