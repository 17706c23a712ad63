#!/usr/bin/env bash
# `make test`: check the import contracts, lint and types, then run the suite in two passes at the same time:
#
#   postgresql  the whole suite on the real services (PostgreSQL, Redis, a Celery worker, an SMTP sink), started
#               here and stopped at the end (also on failure);
#   make_run    on `make run`'s configuration: SQLite, Celery tasks in-process, console email and the dev
#               mailbox, DEBUG on, the test clock (the Makefile's RUN_ENV), with ICSOE_PASADA=make_run; which
#               tests run in it is decided in one place, tests/conftest.py (README, "The two configurations").
#
# Each pass writes its own log, printed when both are done, with its closing line; then one plain line adds them
# up: `N passed, N failed`. The exit status fails if either pass fails; pytest's exit 5 (no test collected) counts
# as a failure. Arguments go to pytest in both passes (scripts/test.sh tests/core -k sesion).
#   ICSOE_PASADAS=postgresql|make_run   run that pass only
#   ICSOE_PASADAS_EN_SERIE=1            one pass after the other (to compare the time)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
py="$root/.venv/bin/python"
# The layers between the apps (pyproject.toml, [tool.importlinter]): an upward import fails the run first.
"$root/.venv/bin/lint-imports" --no-cache || { echo "make test: import-linter found a broken contract" >&2; exit 1; }
# Lint (pyproject.toml, [tool.ruff]) and types ([tool.mypy]: services, selectors, firma/).
"$root/.venv/bin/ruff" check --quiet || { echo "make test: ruff found problems (ruff check --fix fixes most)" >&2; exit 1; }
"$root/.venv/bin/mypy" || { echo "make test: mypy found type errors" >&2; exit 1; }
mkdir -p var
# The portal's wording of the stock messages (locale/), compiled as `make install-test` does, for a direct run.
for po in locale/es_MX/LC_MESSAGES/django.po locale/es_MX/LC_MESSAGES/djangojs.po; do
  [ "${po%.po}.mo" -nt "$po" ] || msgfmt --check -o "${po%.po}.mo" "$po" || exit 1
done

pasadas=${ICSOE_PASADAS:-postgresql make_run}
# One state file and one folder per run, so two runs on one machine never touch each other's services or files.
state=$(mktemp "$root/var/test-services.XXXXXX")
work=$(mktemp -d /tmp/icsoe-make-test-XXXXXX)
trap '"$root/scripts/services.sh" stop "$state"; rm -rf "$work"' EXIT INT TERM

pasada_postgresql() { # in a subshell: the services' environment stays out of the other pass
  (
    "$root/scripts/services.sh" start "$state" || exit 1
    # shellcheck disable=SC1090
    source "$state"
    export ICSOE_PASADA=postgresql
    "$py" -m pytest --reuse-db -p no:cacheprovider --durations=10 "$@"
    status=$?
    if [ "$status" -ne 0 ] && [ -n "${ICSOE_SERVICES_DIR:-}" ]; then
      echo "---- celery worker log (tail) ----"; tail -n 40 "$ICSOE_SERVICES_DIR/celery.log" 2>/dev/null || true
    fi
    exit "$status"
  )
}

pasada_make_run() { # make run's environment (Makefile, RUN_ENV) and nothing of the services
  mkdir -p "$work/make_run/var"
  env -u DATABASE_URL -u REDIS_URL -u EMAIL_URL -u ICSOE_SERVICES_DIR -u SMTP_SINK_DIR \
    DJANGO_SETTINGS_MODULE=icsoe.settings_test \
    DEBUG=true ICSOE_TRUST_TEST_CAS=true ICSOE_RELOJ_PRUEBA=true \
    ICSOE_PASADA=make_run ICSOE_VAR_DIR="$work/make_run/var" \
    "$py" -m pytest -p no:cacheprovider --durations=10 -o django_debug_mode=keep "$@"
}

correr() { # correr PASADA ARGS...: the pass to its log, its status and seconds beside it
  local pasada=$1 inicio=$SECONDS status; shift
  "pasada_$pasada" "$@" >"$work/$pasada.log" 2>&1
  status=$?
  echo "$status" >"$work/$pasada.rc"
  echo $((SECONDS - inicio)) >"$work/$pasada.s"
}

inicio=$SECONDS
for pasada in $pasadas; do
  case "$pasada" in postgresql|make_run) ;; *) echo "make test: unknown pass $pasada" >&2; exit 2 ;; esac
  echo "make test: pass $pasada started"
  if [ -n "${ICSOE_PASADAS_EN_SERIE:-}" ]; then correr "$pasada" "$@"; else correr "$pasada" "$@" & fi
done
wait
"$root/scripts/services.sh" stop "$state" >/dev/null  # now, so the summary below is the last thing printed

# pytest's closing line: "=== 3 failed, 1700 passed, 28 skipped in 500.01s (0:08:20) ===" (or without the ===)
cierre() { grep -E '^=*[ ]*[0-9]+ [a-z]+.* in [0-9.]+s' "$1" | tail -n 1; }
cuenta() { # cuenta LOG WORD-REGEX: the number before it in the closing line, 0 when absent
  local n; n=$(cierre "$1" | grep -oE "\b[0-9]+ $2\b" | head -n 1 | cut -d' ' -f1); echo "${n:-0}"
}

total_passed=0 total_failed=0 status=0
for pasada in $pasadas; do
  log="$work/$pasada.log"
  echo; echo "================================ make test: pass $pasada ================================"
  cat "$log"
  rc=$(cat "$work/$pasada.rc" 2>/dev/null || echo 1)
  passed=$(cuenta "$log" passed); failed=$(( $(cuenta "$log" failed) + $(cuenta "$log" 'errors?') ))
  if [ "$rc" -eq 5 ]; then
    echo "make test: pass $pasada collected no test (ICSOE_PASADAS=postgresql or make_run runs one pass only)" >&2
    rc=1
  fi
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a pass that stopped short never reads as green
  [ "$rc" -ne 0 ] && status=1
  echo "make test: pass $pasada: exit $rc in $(cat "$work/$pasada.s" 2>/dev/null || echo '?') s"
  total_passed=$((total_passed + passed)); total_failed=$((total_failed + failed))
done
echo
for pasada in $pasadas; do
  echo "make test: pass $pasada: $(cierre "$work/$pasada.log") ($(cat "$work/$pasada.s" 2>/dev/null || echo '?') s)"
done
echo "make test: both passes in $((SECONDS - inicio)) s"
echo "$total_passed passed, $total_failed failed"
exit "$status"
