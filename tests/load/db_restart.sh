#!/usr/bin/env bash
# Fault test: restart the local PostgreSQL while 50 users work (NOT in CI: the restart also
# cuts every other connection to the server for a few seconds, other test runs included).
#
#   tests/load/db_restart.sh
#
# 1. gunicorn + the load database as in run.sh; locust traffic (50 users) for RUN_TIME;
# 2. a probe user (tests/load/probe.py) opens pages and admits members every 0.1 s;
# 3. after RESTART_AFTER seconds: pg_ctlcluster --skip-systemctl-redirect 15 main stop, then
#    start OUTAGE_SECONDS (5) later (a server that takes a few seconds to come back: a plain
#    `restart` here takes 0,2 s, too short to see requests meet the outage); OUTAGE_SECONDS=0
#    runs `pg_ctlcluster ... restart` itself;
# 4. checks: during the outage every answer is the Vietnamese 503 page (no traceback, no
#    bare 500); afterwards the portal answers normally again by itself (same gunicorn, no
#    restart of it); nothing half-written (tests/load/check_consistency.py).
# Exits 1 if a check fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
bench_lock "$@"

PG_VERSION="${PG_VERSION:-15}"
# The run length is set by RUN_TIME here, not by the locustfile's measuring window.
export UNIONPORTAL_MEASURE_SECONDS=600
RUN_TIME="${RUN_TIME:-125s}"
PROBE_SECONDS="${PROBE_SECONDS:-70}"
RESTART_AFTER="${RESTART_AFTER:-35}"
OUTAGE_SECONDS="${OUTAGE_SECONDS:-5}"

prepare_db
start_server
workers_booted_before=$(grep -c "Booting worker" "$OUT/gunicorn.log" || true)

echo "locust: 50 users for $RUN_TIME; probe for ${PROBE_SECONDS}s; restart after ${RESTART_AFTER}s"
run_locust 50 5 "$RUN_TIME" locust &
locust_pid=$!
sleep 20  # most users are logged in before the probe starts its clock
"$PY" tests/load/probe.py "$HOST_URL" "$PROBE_SECONDS" "$OUT/probe.json" &
probe_pid=$!
probe_started=$(date +%s.%N)

sleep "$RESTART_AFTER"
restart_at=$(date +%s.%N)
echo "Restarting PostgreSQL $PG_VERSION main at +$(echo "$restart_at - $probe_started" | bc)s" \
    "(down for ${OUTAGE_SECONDS}s)"
# Through Python's subprocess (close_fds): the restarted server must not inherit this script's
# open files, the benchmark lock above all (else PostgreSQL holds it for ever).
cluster() {
    python3 -c 'import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))' \
        pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main "$1"
}
# Whatever happens to this script, PostgreSQL is started again (other work depends on it).
trap 'cluster start >/dev/null 2>&1 || true; stop_server' EXIT
if [ "$OUTAGE_SECONDS" = "0" ]; then
    cluster restart
else
    cluster stop
    sleep "$OUTAGE_SECONDS"
    cluster start
fi
restart_done=$(date +%s.%N)
echo "PostgreSQL was down for $(echo "$restart_done - $restart_at" | bc)s"

wait "$probe_pid" || echo "probe exited with status $?"
wait "$locust_pid" || true
gunicorn_alive=no
kill -0 "$GUNICORN_PID" 2>/dev/null && gunicorn_alive=yes
stop_server
workers_booted_after=$(grep -c "Booting worker" "$OUT/gunicorn.log" || true)

set +e
"$PY" - "$OUT/probe.json" "$probe_started" "$restart_at" "$restart_done" <<'PYEOF'
import json, sys
probe = json.load(open(sys.argv[1], encoding="utf-8"))
start, r0, r1 = float(probe["started"]), float(sys.argv[3]), float(sys.argv[4])
timeline = probe["timeline"]
restart_from, restart_to = r0 - start, r1 - start
before = [e for e in timeline if e["t"] < restart_from]
not_ok = [e for e in timeline if e["kind"] != "ok"]
last_bad = max((e["t"] for e in not_ok), default=None)
after = [e for e in timeline if last_bad is not None and e["t"] > last_bad]
count = lambda items, kind: sum(1 for e in items if e["kind"] == kind)
print(f"probe: {len(timeline)} requests; before the restart {count(before, 'ok')}/{len(before)} ok")
print(f"outage answers: {count(timeline, '503-vi')} Vietnamese 503 pages, {count(timeline, 'bad')} bad")
if not_ok:
    first_bad = min(e["t"] for e in not_ok)
    first_ok = min((e["t"] for e in after if e["kind"] == "ok"), default=None)
    print(f"pg_ctlcluster restart ran from +{restart_from:.1f}s to +{restart_to:.1f}s (probe clock);"
          f" answers other than ok from +{first_bad:.1f}s to +{last_bad:.1f}s;"
          f" first ok again at {'never' if first_ok is None else f'+{first_ok:.1f}s'};"
          f" {count(after, 'ok')}/{len(after)} ok afterwards")
for kind, sample in probe["samples"].items():
    print(f"  sample {kind}: {sample[:200]}")
ok = count(timeline, "bad") == 0 and (not after or count(after, "ok") == len(after)) and len(after) > 20
sys.exit(0 if ok else 1)
PYEOF
probe_rc=$?
set -e

echo "gunicorn still running after the restart: $gunicorn_alive; workers booted: $workers_booted_before before, $workers_booted_after at the end"
echo "HTTP status counts in the access log:"; awk '{print $9}' "$OUT/access.log" | sort | uniq -c | sort -rn | head
summarize locust || true  # errors are expected here: the requests during the outage
set +e
"$PY" tests/load/check_consistency.py "$OUT/probe.json"
consistency_rc=$?
set -e
if [ "$probe_rc" -eq 0 ] && [ "$consistency_rc" -eq 0 ] && [ "$gunicorn_alive" = yes ]; then
    echo "DB RESTART RESULT: OK (Vietnamese 503 during the outage, recovered by itself, nothing half-written)"
else
    echo "DB RESTART RESULT: FAILED (probe $probe_rc, consistency $consistency_rc, gunicorn alive $gunicorn_alive)"
    exit 1
fi
