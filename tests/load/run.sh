#!/usr/bin/env bash
# Load test: 50 concurrent users for 2 minutes against gunicorn + PostgreSQL with the demo data.
# Traffic to 127.0.0.1 only. Not part of `make test` or CI (it takes the machine for 2+ minutes).
#
#   tests/load/run.sh                 # USERS=50 SPAWN_RATE=5 RUN_TIME=2m by default
#   FRESH=1 tests/load/run.sh         # drop and re-seed the unionportal_load database first
#
# Prints requests/s, p50, p95 and errors; exits 1 when p95 >= 500 ms or any request failed.
# Files (locust CSV, gunicorn logs) go to bench-out/load-<time>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
bench_lock "$@"

USERS="${USERS:-50}"
SPAWN_RATE="${SPAWN_RATE:-5}"
RUN_TIME="${RUN_TIME:-2m}"

prepare_db
start_server
echo "locust: $USERS users (spawn $SPAWN_RATE/s) for $RUN_TIME against $HOST_URL"
run_locust "$USERS" "$SPAWN_RATE" "$RUN_TIME" locust
stop_server
echo "HTTP 5xx in the access log: $(awk '$9 ~ /^5/' "$OUT/access.log" | wc -l)"
summarize locust
