#!/usr/bin/env bash
# Smoke test after a deploy: the health endpoint must answer 2xx, first within a grace period
# (DNS and the target group settle), then on several consecutive requests.
#
#   tools/ci/smoke-test.sh https://api.example.com/health
set -euo pipefail

url="${1:?usage: smoke-test.sh <health URL>}"
grace_seconds="${SMOKE_GRACE_SECONDS:-300}"
consecutive="${SMOKE_CONSECUTIVE:-5}"

deadline=$((SECONDS + grace_seconds))
until curl --fail --silent --show-error --max-time 10 --output /dev/null "$url"; do
  if ((SECONDS >= deadline)); then
    echo "::error::$url did not answer 2xx within ${grace_seconds}s" >&2
    exit 1
  fi
  sleep 10
done
for ((i = 1; i <= consecutive; i++)); do
  code="$(curl --silent --max-time 10 --output /dev/null --write-out '%{http_code}' "$url" || true)"
  if [[ "$code" != 2* ]]; then
    echo "::error::$url answered $code on check $i of $consecutive" >&2
    exit 1
  fi
  sleep 2
done
echo "smoke test passed: $url answered 2xx $consecutive times in a row"
