#!/usr/bin/env bash
# Load test: 50 concurrent users for 2 minutes against gunicorn + PostgreSQL with the demo data.
# Traffic to 127.0.0.1 only. Not part of `make test` or CI (it takes the machine for 3+ minutes).
#
#   tests/load/run.sh                       # 50 users, measured for 2 minutes
#   FRESH=1 tests/load/run.sh               # drop and re-seed the unionportal_load database first
#   THINK="1 3" tests/load/run.sh           # shorter pauses between clicks (a stress run)
#
# The users arrive one per second (a login costs ~1 s of CPU: PBKDF2 with 1.500.000
# iterations), and the figures are reset once all 50 are in (locust --reset-stats): the
# measured 2 minutes are 50 logged-in people working, pausing THINK seconds between clicks.
#
# Prints requests/s, p50, p95 and errors; exits 1 when p95 >= 500 ms or any request failed.
# Files (locust CSV, gunicorn logs) go to bench-out/load-<time>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
bench_lock "$@"

USERS="${USERS:-50}"
SPAWN_RATE="${SPAWN_RATE:-1}"
MEASURE_SECONDS="${MEASURE_SECONDS:-120}"
RUN_TIME="$(( USERS / SPAWN_RATE + MEASURE_SECONDS ))s"
export UNIONPORTAL_THINK="${THINK:-3 6}"

prepare_db
start_server
echo "locust: $USERS users (arriving $SPAWN_RATE/s), measured for ${MEASURE_SECONDS}s once all are" \
    "in, pauses of $UNIONPORTAL_THINK s between clicks, against $HOST_URL"
run_locust "$USERS" "$SPAWN_RATE" "$RUN_TIME" locust --reset-stats
stop_server
echo "HTTP 5xx in the access log: $(awk '$9 ~ /^5/' "$OUT/access.log" | wc -l)"
summarize locust
