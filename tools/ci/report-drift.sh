#!/usr/bin/env bash
# Reports the result of a drift check as a GitHub issue (label `drift`, one open issue per stack)
# and in the job summary.
#
#   tools/ci/report-drift.sh <stack> <preview output file>   drift (or a failed check): open or update
#   tools/ci/report-drift.sh <stack> --resolved              no drift: close the open issue, if any
# Needs the gh CLI with GH_TOKEN (issues: write).
set -euo pipefail

stack="${1:?usage: report-drift.sh <stack> <output file>|--resolved}"
source="${2:?usage: report-drift.sh <stack> <output file>|--resolved}"
title="Drift detected in the ${stack} stack"
run_url="${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY:-}/actions/runs/${GITHUB_RUN_ID:-}"
open_issue="$(gh issue list --state open --label drift --search "\"${title}\" in:title" --json number --jq '.[0].number // empty' || true)"

if [[ "$source" == "--resolved" ]]; then
  if [[ -n "$open_issue" ]]; then
    gh issue close "$open_issue" --comment "No drift in ${stack} as of ${run_url}."
  fi
  echo "No drift in ${stack}." >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
  exit 0
fi

body="$(mktemp)"
{
  echo "\`pulumi preview --refresh --expect-no-changes\` of **${stack}** found changes (or failed): ${run_url}"
  echo
  echo "Decide per resource (docs/gitops.md, \"Drift\"): change the code to match AWS, or re-apply git's"
  echo "state by running the drift workflow with \`remediate\` for ${stack}."
  echo
  echo '```diff'
  tail -c 60000 "$source"
  echo '```'
} >"$body"
cat "$body" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"

gh label create drift --color B60205 --description "AWS differs from git" --force >/dev/null || true
if [[ -n "$open_issue" ]]; then
  gh issue comment "$open_issue" --body-file "$body"
else
  gh issue create --title "$title" --label drift --body-file "$body"
fi
echo "::error::drift detected in ${stack}"
