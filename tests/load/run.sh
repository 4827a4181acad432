#!/usr/bin/env bash
# Load test: 50 concurrent users for 2 minutes against gunicorn + PostgreSQL with the demo data.
# Traffic to 127.0.0.1 only. Not part of `make test` or CI (it takes the machine for 3+ minutes).
#
#   tests/load/run.sh                       # 50 users, measured for 2 minutes
#   FRESH=1 tests/load/run.sh               # drop and re-seed the unionportal_load database first
#   THINK="1 3" tests/load/run.sh           # shorter pauses between clicks (a stress run)
#
# The users arrive one per second (a login costs ~1 s of CPU: PBKDF2 with 1.500.000
# iterations); once all 50 are logged in the figures are reset and the run stops 2 minutes later
# (locustfile): the measured 2 minutes are 50 logged-in people working, pausing THINK seconds
# between clicks.
#
# Prints requests/s, p50, p95 and errors; exits 1 when p95 >= 500 ms or any request failed.
# Files (locust CSV, gunicorn logs) go to bench-out/load-<time>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
bench_lock "$@"

USERS="${USERS:-50}"
SPAWN_RATE="${SPAWN_RATE:-1}"
MEASURE_SECONDS="${MEASURE_SECONDS:-120}"
# An upper bound only: the locustfile stops the run MEASURE_SECONDS after the last login.
RUN_TIME="$(( USERS / SPAWN_RATE + 120 + MEASURE_SECONDS ))s"
export UNIONPORTAL_THINK="${THINK:-3 6}" UNIONPORTAL_MEASURE_SECONDS="$MEASURE_SECONDS"

prepare_db
start_server
echo "locust: $USERS users (arriving $SPAWN_RATE/s), measured for ${MEASURE_SECONDS}s once all are" \
    "in, pauses of $UNIONPORTAL_THINK s between clicks, against $HOST_URL"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
run_locust "$USERS" "$SPAWN_RATE" "$RUN_TIME" locust
# Other work on the machine competes for its 2 cores: say how busy it was.
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "CPU seconds used by gunicorn: $(ps -o cputimes= --ppid "$GUNICORN_PID" -p "$GUNICORN_PID" \
    | awk '{s += $1} END {print s}') during the run (logins included)"
stop_server
grep -h -E "LOGINS:|MEASURED:" "$OUT/locust.log" | sed 's/^.*\(LOGINS\|MEASURED\)/\1/' || true
grep -q "MEASURED:" "$OUT/locust.log" || echo "WARNING: the run ended before all users were logged in"
echo "HTTP 5xx in the access log: $(awk '$9 ~ /^5/' "$OUT/access.log" | wc -l)"
summarize locust
