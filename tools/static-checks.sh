#!/usr/bin/env bash
# `npm run build` (tsc) and `npm run lint` (ESLint, Prettier) side by side: each is mostly one
# thread, and the machines this runs on have two cores or more. Each one's output is printed whole,
# in that order; the exit status is non-zero when either fails.
set -u
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

npm run -s build >"$out/build" 2>&1 &
build=$!
npm run -s lint >"$out/lint" 2>&1 &
lint=$!

status=0
for check in build lint; do
  pid="${!check}"
  if wait "$pid"; then
    cat "$out/$check"
  else
    cat "$out/$check"
    echo "npm run $check failed" >&2
    status=1
  fi
done
exit "$status"
