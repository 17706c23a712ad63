#!/usr/bin/env bash
# Starts and stops the real services the test suite runs against, all on loopback:
# a throwaway PostgreSQL cluster, Redis, a Celery worker and an aiosmtpd SMTP sink.
#
#   scripts/services.sh start STATE_FILE   # writes the environment (ports, pids, dirs) to STATE_FILE
#   scripts/services.sh stop  STATE_FILE   # stops everything it started, by pid (beats too)
#   scripts/services.sh beat-start NAME DB # with the environment of STATE_FILE: a Celery beat on database DB
#   scripts/services.sh beat-stop  NAME    # stops that beat
#
# Celery beat is not started with the rest: a beat running through the whole suite would fire its periodic
# tasks into other tests. The test that needs one (tests/recordatorios/test_beat.py) starts it, as many as it
# wants (two beats by mistake), with the reminders every ICSOE_RECORDATORIOS_CADA seconds (0.5 by default here:
# each step of the test's clock waits for two runs), and stops it; `stop` stops any left behind.
#
# SERVICES_NO_WORKER=1 skips the Celery worker (on the test database): `make bench` starts its own worker on
# the bench database, and two workers on one queue would take each other's tasks.
set -euo pipefail

cmd=${1:?start|stop|beat-start|beat-stop}
state=${2:?state file or beat name}
root=$(cd "$(dirname "$0")/.." && pwd)
py="$root/.venv/bin/python"

free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

wait_for() { # wait_for SECONDS command...
  local n=$(( $1 * 10 )); shift
  for _ in $(seq "$n"); do if "$@" >/dev/null 2>&1; then return 0; fi; sleep 0.1; done
  echo "services: timed out waiting for: $*" >&2; return 1
}

start() {
  local dir pg_port redis_port smtp_port bin
  dir=$(mktemp -d /tmp/icsoe-test-XXXXXX)
  chmod 755 "$dir"
  pg_port=$(free_port); redis_port=$(free_port); smtp_port=$(free_port)
  bin=$(pg_bin)

  # PostgreSQL: a folder owned by postgres (initdb refuses to run as root).
  mkdir -p "$dir/pg"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir/pg"; fi
  chmod 700 "$dir/pg"
  as_postgres "$bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  as_postgres "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/postgres.log" \
    -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    -w start >/dev/null
  local pg_pid; pg_pid=$(head -n 1 "$dir/pg/data/postmaster.pid")

  redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
  wait_for 10 test -s "$dir/redis.pid"
  wait_for 10 redis-cli -p "$redis_port" ping

  cat >"$state" <<ENV
export ICSOE_SERVICES_DIR=$dir
export PG_BIN=$bin
export PG_PORT=$pg_port
export PG_DATA=$dir/pg/data
export REDIS_PORT=$redis_port
export SMTP_PORT=$smtp_port
export SMTP_SINK_DIR=$dir/smtp
export DATABASE_URL=postgres://postgres@127.0.0.1:$pg_port/icsoe
export REDIS_URL=redis://127.0.0.1:$redis_port/0
export EMAIL_URL=smtp://127.0.0.1:$smtp_port
export DJANGO_SETTINGS_MODULE=icsoe.settings_test
export ICSOE_VAR_DIR=$dir/var
ENV
  # shellcheck disable=SC1090
  source "$state"

  (cd "$root" && exec "$py" scripts/smtp_sink.py "$smtp_port" "$SMTP_SINK_DIR" >"$dir/smtp.log" 2>&1) &
  echo "export SMTP_PID=$!" >>"$state"
  echo "$!" >"$dir/smtp.pid"
  wait_for 10 "$py" -c "import socket; socket.create_connection(('127.0.0.1', $smtp_port), 1)"

  echo "export PG_PID=$pg_pid" >>"$state"
  echo "export REDIS_PID=$(cat "$dir/redis.pid")" >>"$state"
  if [ -n "${SERVICES_NO_WORKER:-}" ]; then
    echo "services: postgres :$pg_port, redis :$redis_port, smtp :$smtp_port, no celery worker ($dir)"
    return 0
  fi
  # The worker talks to the database pytest-django creates (test_icsoe): the suite runs with --reuse-db
  # against a cluster that lives only for this run.
  # ICSOE_RELOJ_PRUEBA: the worker reads "today" from the test clock in the database when a test sets it.
  (cd "$root" && DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/test_icsoe" ICSOE_RELOJ_PRUEBA=true \
     exec "$root/.venv/bin/celery" -A icsoe worker --pool=prefork --concurrency=2 -l INFO \
     --hostname "icsoe-test@%h" >"$dir/celery.log" 2>&1) &
  echo "export CELERY_PID=$!" >>"$state"
  # Fault tests restart the worker and the sink: they write the new pids here, and stop reads them too.
  echo "$!" >"$dir/celery.pid"
  wait_for 30 grep -q "ready" "$dir/celery.log"
  echo "services: postgres :$pg_port, redis :$redis_port, smtp :$smtp_port, celery worker ready ($dir)"
}

stop() {
  [ -f "$state" ] || return 0
  # shellcheck disable=SC1090
  source "$state"
  local pids="${CELERY_PID:-} ${SMTP_PID:-}"
  for f in celery.pid smtp.pid; do
    if [ -s "$ICSOE_SERVICES_DIR/$f" ]; then pids="$pids $(cat "$ICSOE_SERVICES_DIR/$f")"; fi
  done
  for f in "$ICSOE_SERVICES_DIR"/beat-*.pid; do
    if [ -s "$f" ]; then pids="$pids $(cat "$f")"; fi
  done
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  for pid in $pids; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ -f "$ICSOE_SERVICES_DIR/redis.pid" ]; then kill "$(cat "$ICSOE_SERVICES_DIR/redis.pid")" 2>/dev/null || true; fi
  if [ -n "${REDIS_PID:-}" ]; then kill "$REDIS_PID" 2>/dev/null || true; fi
  if [ -d "${PG_DATA:-/nonexistent}" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "${PG_PID:-}" ]; then kill "$PG_PID" 2>/dev/null || true; fi
  rm -rf "$ICSOE_SERVICES_DIR" "$state"
  echo "services: stopped"
}

beat_starts() { local n; n=$(grep -c "beat: Starting" "$1" 2>/dev/null || true); echo "${n:-0}"; }
beat_started() { [ "$(beat_starts "$1")" -gt "$2" ]; }

beat_start() { # a Celery beat on the running services (their environment: source the state file first)
  local name=$state db=${3:?database name} dir=${ICSOE_SERVICES_DIR:?run with the environment of services.sh start}
  [[ $name =~ ^[a-z0-9-]+$ ]] || { echo "services: beat name must be [a-z0-9-]" >&2; return 1; }
  local starts; starts=$(beat_starts "$dir/beat-$name.log")
  (cd "$root" && DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$db" ICSOE_RELOJ_PRUEBA=true \
     ICSOE_RECORDATORIOS_CADA="${ICSOE_RECORDATORIOS_CADA:-0.5}" \
     exec "$root/.venv/bin/celery" -A icsoe beat -l INFO --schedule "$dir/beat-$name.schedule" \
     --pidfile "$dir/beat-$name.celerypid" >>"$dir/beat-$name.log" 2>&1) &
  echo "$!" >"$dir/beat-$name.pid"
  # The log is appended to (a restarted beat keeps the first one's lines): wait for this start's line.
  wait_for 30 beat_started "$dir/beat-$name.log" "$starts"
  echo "services: celery beat $name started"
}

beat_stop() {
  local name=$state dir=${ICSOE_SERVICES_DIR:?run with the environment of services.sh start} pid
  [ -s "$dir/beat-$name.pid" ] || return 0
  pid=$(cat "$dir/beat-$name.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/beat-$name.pid" "$dir/beat-$name.celerypid"  # its schedule file stays: a restart reads it
  echo "services: celery beat $name stopped"
}

case "$cmd" in
  start|stop) "$cmd" ;;
  beat-start) beat_start "$@" ;;
  beat-stop) beat_stop ;;
  *) echo "services: unknown command $cmd" >&2; exit 2 ;;
esac
