#!/usr/bin/env bash
# `make bench`: every bench/bench_*.py against the same real services as the suite, then the load scenario
# (bench/load) against gunicorn on a free loopback port. Figures are printed; nothing here is a pass/fail test.
# BENCH_SOLO_LOAD=1 runs only the load scenario; BENCH_USUARIOS (a count or a list: 50,100), BENCH_SEGUNDOS
# (per phase) and BENCH_REPETICIONES (runs of the ratio phases 1b and 2, judged on the median) bound it.
# BENCH_SOLO=bench/bench_x.py runs only that benchmark (no load scenario).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p var
state=$(mktemp "$root/var/bench-services.XXXXXX")
gunicorn_pid=""
worker_pid=""
pgbouncer_pid=""
parar() {
  for pid in $gunicorn_pid $worker_pid $pgbouncer_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $gunicorn_pid $worker_pid $pgbouncer_pid; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  # The logs of gunicorn and the worker outlive the throwaway services, to explain any error the run printed.
  if [ -n "${ICSOE_SERVICES_DIR:-}" ]; then
    mkdir -p "$root/var/bench-logs"
    cp "$ICSOE_SERVICES_DIR"/*.log "$root/var/bench-logs/" 2>/dev/null && echo "registros: var/bench-logs/"
  fi
  "$root/scripts/services.sh" stop "$state"
}
trap parar EXIT INT TERM
# No worker of services.sh (it would serve the test database): the load scenario starts its own on the bench
# database below, the only consumer of the queue.
SERVICES_NO_WORKER=1 "$root/scripts/services.sh" start "$state" || exit 1
# shellcheck disable=SC1090
source "$state"
# Benchmarks use the real database name, not pytest's.
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/icsoe_bench"
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres icsoe_bench
"$root/.venv/bin/python" manage.py migrate --noinput -v 0 || exit 1
status=0
# cpu_ms: CPU milliseconds of this shell's finished children (user + system), from bash's `times` (run here,
# not in a subshell, which would count only its own children).
cpu_hijos() {
  times >"$state.cpu"
  local linea
  linea=$(tail -1 "$state.cpu")
  cpu_ms=0
  [[ $linea =~ ([0-9]+)m([0-9]+)\.([0-9]+)s\ ([0-9]+)m([0-9]+)\.([0-9]+)s ]] || return 0
  local r=("${BASH_REMATCH[@]}")
  cpu_ms=$(( (10#${r[1]} * 60 + 10#${r[2]}) * 1000 + 10#${r[3]} + (10#${r[4]} * 60 + 10#${r[5]}) * 1000 + 10#${r[6]} ))
}
if [ -z "${BENCH_SOLO_LOAD:-}" ]; then
  # Each benchmark's wall time and CPU time (its process and children; PostgreSQL's share is not in it), then
  # the total: the budget of `make bench` (20 minutes with the load scenario) at a glance.
  duraciones=()
  inicio_total=$(date +%s%N)
  for b in ${BENCH_SOLO:-bench/bench_*.py}; do
    echo "=== $b"
    inicio=$(date +%s%N)
    cpu_hijos
    cpu_antes=$cpu_ms
    "$root/.venv/bin/python" "$b" || status=1
    ms=$(( ($(date +%s%N) - inicio) / 1000000 ))
    cpu_hijos
    cpu=$(( cpu_ms - cpu_antes ))
    printf -v linea "%-40s %5d.%d s de reloj, %4d.%d s de CPU" "$b" $((ms / 1000)) $((ms % 1000 / 100)) \
      $((cpu / 1000)) $((cpu % 1000 / 100))
    duraciones+=("$linea")
  done
  ms=$(( ($(date +%s%N) - inicio_total) / 1000000 ))
  echo "=== duración de cada benchmark (máquina compartida: carga $(cut -d' ' -f1 /proc/loadavg))"
  printf '  %s\n' "${duraciones[@]}"
  printf '  %-40s %5d.%d s de reloj\n' "total" $((ms / 1000)) $((ms % 1000 / 100))
  rm -f "$state.cpu"
fi

[ -n "${BENCH_SOLO:-}" ] && exit "$status"

# ---- Load scenario: gunicorn (production settings, DEBUG off) + a worker on the bench database ----------
echo "=== bench/load (locust contra gunicorn en 127.0.0.1)"
web_env=(
  DJANGO_SETTINGS_MODULE=icsoe.settings DEBUG=false
  SECRET_KEY="clave-solo-para-el-benchmark-0123456789-abcdefghijklmnopqrstuvwxyz"
  ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false
  CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 STATIC_MANIFEST=false ICSOE_TRUST_TEST_CAS=true
  CONN_MAX_AGE=60 LOG_LEVEL=WARNING
  # Every simulated user comes from 127.0.0.1: allauth's 30 CURP logins a minute per address would refuse
  # the deadline-day crowd. Raised here only; production keeps the default (icsoe/settings.py).
  ICSOE_LOGIN_RATE_LIMIT=100000/m/ip
)
# The static files gunicorn serves (whitenoise, from STATIC_ROOT), for the browser journeys of the capacity step.
env "${web_env[@]}" "$root/.venv/bin/python" manage.py collectstatic --noinput -v 0 || status=1
port=$("$root/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
workers=$(( $(nproc) * 2 + 1 ))
(exec env "${web_env[@]}" "$root/.venv/bin/gunicorn" icsoe.wsgi:application --bind "127.0.0.1:$port" \
   --workers "$workers" --log-level warning >"$ICSOE_SERVICES_DIR/gunicorn.log" 2>&1) &
gunicorn_pid=$!
# The worker runs at a lower CPU priority, as docs/operations.md advises where web and worker share a host: on
# the deadline the pages people wait for come first, the cargas in the background take the rest of the CPU.
(exec env "${web_env[@]}" nice -n 10 "$root/.venv/bin/celery" -A icsoe worker --pool=prefork --concurrency=2 -l WARNING \
   --hostname "icsoe-bench@%h" >"$ICSOE_SERVICES_DIR/celery-bench.log" 2>&1) &
worker_pid=$!
for _ in $(seq 100); do
  "$root/.venv/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/salud/', timeout=1)" \
    >/dev/null 2>&1 && break
  sleep 0.2
done
echo "gunicorn: $workers workers en 127.0.0.1:$port"
sembrado="$ICSOE_SERVICES_DIR/sembrado.json"
env "${web_env[@]}" "$root/.venv/bin/python" bench/load/sembrar.py "$sembrado" || status=1
# Before the load: CPU and queries of one request inside Django, with the machine as quiet as it gets.
env "${web_env[@]}" "$root/.venv/bin/python" bench/load/perfil.py "$sembrado" || status=1
# Only loopback is ever targeted.
# The portal's processes whose CPU (with their children) is counted per phase, apart from locust's own.
env "${web_env[@]}" "$root/.venv/bin/python" bench/load/correr.py "http://127.0.0.1:$port" "$sembrado" \
  --usuarios "${BENCH_USUARIOS:-50,100}" --segundos "${BENCH_SEGUNDOS:-15}" --repeticiones "${BENCH_REPETICIONES:-3}" \
  --proceso "gunicorn=$gunicorn_pid" --proceso "postgres=$PG_PID" --proceso "redis=$REDIS_PID" \
  --proceso "celery=$worker_pid" || status=1
# Capacity per filing: the requests of whole filings in Chromium times each kind's server CPU, and the cores
# for the deadline (docs/capacity.md). Writes var/capacidad.json.
env "${web_env[@]}" "$root/.venv/bin/python" bench/load/capacidad.py "http://127.0.0.1:$port" \
  --proceso "gunicorn=$gunicorn_pid" --proceso "postgres=$PG_PID" --proceso "redis=$REDIS_PID" \
  --proceso "celery=$worker_pid" || status=1

# ---- The deadline mix again through PgBouncer in transaction mode, as docker-compose.yml runs it -------------
# Debian's pgbouncer between a fresh gunicorn + worker (ICSOE_PGBOUNCER: no prepared statements, server-side
# cursors only inside a transaction) and the same PostgreSQL, with fewer server connections than clients.
# BENCH_PGBOUNCER=0 leaves it out.
if [ "${BENCH_PGBOUNCER:-1}" = 1 ]; then
  echo "=== bench/load a través de PgBouncer (modo transacción, como en docker-compose.yml)"
  for pid in $gunicorn_pid $worker_pid; do kill "$pid" 2>/dev/null; done
  for pid in $gunicorn_pid $worker_pid; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  pgb_dir="$ICSOE_SERVICES_DIR/pgbouncer"
  mkdir -p "$pgb_dir"
  pgb_port=$("$root/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  echo '"postgres" ""' >"$pgb_dir/usuarios.txt"
  cat >"$pgb_dir/pgbouncer.ini" <<INI
[databases]
icsoe_bench = host=127.0.0.1 port=$PG_PORT dbname=icsoe_bench
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $pgb_port
unix_socket_dir =
auth_type = trust
auth_file = $pgb_dir/usuarios.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = 4
max_client_conn = 200
ignore_startup_parameters = extra_float_digits
logfile = $pgb_dir/pgbouncer.log
pidfile = $pgb_dir/pgbouncer.pid
INI
  [ "$(id -u)" = 0 ] && chown -R postgres "$pgb_dir"
  if [ "$(id -u)" = 0 ]; then
    (exec runuser -u postgres -- /usr/sbin/pgbouncer -q "$pgb_dir/pgbouncer.ini") &
  else
    (exec /usr/sbin/pgbouncer -q "$pgb_dir/pgbouncer.ini") &
  fi
  pgbouncer_pid=$!
  pgb_env=("${web_env[@]}" DATABASE_URL="postgres://postgres@127.0.0.1:$pgb_port/icsoe_bench" ICSOE_PGBOUNCER=true)
  (exec env "${pgb_env[@]}" "$root/.venv/bin/gunicorn" icsoe.wsgi:application --bind "127.0.0.1:$port" \
     --workers "$workers" --log-level warning >"$ICSOE_SERVICES_DIR/gunicorn-pgbouncer.log" 2>&1) &
  gunicorn_pid=$!
  (exec env "${pgb_env[@]}" nice -n 10 "$root/.venv/bin/celery" -A icsoe worker --pool=prefork --concurrency=2 \
     -l WARNING --hostname "icsoe-bench-pgb@%h" >"$ICSOE_SERVICES_DIR/celery-pgbouncer.log" 2>&1) &
  worker_pid=$!
  for _ in $(seq 100); do
    "$root/.venv/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/salud/', timeout=1)" \
      >/dev/null 2>&1 && break
    sleep 0.2
  done
  echo "pgbouncer :$pgb_port (modo transacción, 4 conexiones al servidor); gunicorn: $workers workers, worker: 2 procesos"
  env "${pgb_env[@]}" "$root/.venv/bin/python" bench/load/correr.py "http://127.0.0.1:$port" "$sembrado" \
    --usuarios "${BENCH_PGBOUNCER_USUARIOS:-50}" --segundos "${BENCH_SEGUNDOS:-15}" --repeticiones 1 --serie 1 \
    --proceso "gunicorn=$gunicorn_pid" --proceso "postgres=$PG_PID" --proceso "redis=$REDIS_PID" \
    --proceso "celery=$worker_pid" --proceso "pgbouncer=$pgbouncer_pid" || status=1
  echo "--- PgBouncer al terminar: clientes y conexiones al servidor (SHOW POOLS), totales (SHOW STATS)"
  "$PG_BIN/psql" -h 127.0.0.1 -p "$pgb_port" -U postgres pgbouncer -X -q -P pager=off \
    -c "SHOW POOLS" -c "SHOW STATS" 2>&1 | grep -v "^$" || true
  kill "$pgbouncer_pid" 2>/dev/null
  [ -s "$pgb_dir/pgbouncer.pid" ] && kill "$(cat "$pgb_dir/pgbouncer.pid" 2>/dev/null)" 2>/dev/null
fi
exit "$status"
