# Shared by tests/load/run.sh and tests/load/db_restart.sh (sourced, not run).
# Production settings, PostgreSQL database unionportal_load with the demo data, gunicorn over
# TLS (self-signed) on 127.0.0.1 so that the production security settings (secure cookies,
# SSL redirect, HSTS) stay as they are.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
LOAD_DB="${LOAD_DB:-unionportal_load}"
PORT="${PORT:-8799}"
HOST_URL="https://127.0.0.1:$PORT"
OUT="${OUT:-$ROOT/bench-out/load-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"

export DJANGO_SETTINGS_MODULE=unionportal.settings.production
export DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/$LOAD_DB"
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-load-test-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')}"
export DJANGO_ALLOWED_HOSTS="127.0.0.1"
unset DJANGO_ALLOW_ASYNC_UNSAFE DJANGO_DEBUG

GUNICORN_PID=""

# Take the benchmark lock (one full-scale run at a time on this 2-core machine).
bench_lock() {
    if [ -z "${UNIONPORTAL_BENCH_LOCKED:-}" ]; then
        echo "Waiting for /tmp/unionportal-bench.lock ..."
        exec env UNIONPORTAL_BENCH_LOCKED=1 flock /tmp/unionportal-bench.lock "$0" "$@"
    fi
}

psql_admin() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -tAq "$@"; }

# Create and fill the load database once (demo data); later runs reuse it.
prepare_db() {
    if [ "${FRESH:-0}" = "1" ]; then
        psql_admin -c "DROP DATABASE IF EXISTS $LOAD_DB WITH (FORCE)"
    fi
    if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$LOAD_DB'")" != "1" ]; then
        echo "Creating database $LOAD_DB"
        psql_admin -c "CREATE DATABASE $LOAD_DB"
    fi
    "$PY" manage.py migrate --noinput -v 0
    "$PY" manage.py seed_demo --if-empty
    "$PY" manage.py collectstatic --noinput -v 0
    # Planner statistics after the bulk load (autovacuum is off on these machines; without
    # them PostgreSQL guesses 2 CĐCS per unit and picks nested loops: dashboards 5x slower).
    psql_admin -d "$LOAD_DB" -c "VACUUM ANALYZE"
    "$PY" manage.py shell -c "
from members.models import Member; from grassroots.models import GrassrootsUnion
print(f'Load database: {GrassrootsUnion.objects.count()} CĐCS, {Member.objects.count()} members')"
}

start_server() {
    # An EC key: cheaper TLS handshakes than RSA, as a production proxy would use.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
        -subj "/CN=127.0.0.1" \
        -keyout "$OUT/key.pem" -out "$OUT/cert.pem" >/dev/null 2>&1
    # Keep-alive like a browser behind a proxy (people pause a few seconds between clicks).
    GUNICORN_ACCESSLOG="$OUT/access.log" GUNICORN_KEEPALIVE=75 "$ROOT/.venv/bin/gunicorn" \
        -c unionportal/gunicorn.conf.py --bind "127.0.0.1:$PORT" \
        --certfile "$OUT/cert.pem" --keyfile "$OUT/key.pem" \
        unionportal.wsgi >"$OUT/gunicorn.log" 2>&1 &
    GUNICORN_PID=$!
    trap stop_server EXIT
    for _ in $(seq 1 60); do
        if curl -ksf -o /dev/null "$HOST_URL/dang-nhap/"; then
            echo "gunicorn (pid $GUNICORN_PID) answers on $HOST_URL"
            return 0
        fi
        sleep 0.5
    done
    echo "gunicorn did not start; see $OUT/gunicorn.log" >&2
    tail -20 "$OUT/gunicorn.log" >&2
    return 1
}

stop_server() {
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID"
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    GUNICORN_PID=""
}

# run_locust USERS SPAWN_RATE RUN_TIME PREFIX [extra locust options]
run_locust() {
    "$ROOT/.venv/bin/locust" -f tests/load/locustfile.py --headless \
        --host "$HOST_URL" -u "$1" -r "$2" --run-time "$3" "${@:5}" \
        --csv "$OUT/$4" --only-summary --stop-timeout 10 --exit-code-on-error 0 \
        >"$OUT/$4.log" 2>&1
}

# summarize PREFIX: requests/s, p50, p95, errors from locust's CSV (exit 1 if over target)
summarize() {
    "$PY" tests/load/summarize.py "$OUT/$1_stats.csv" "$OUT/$1_failures.csv"
}
