#!/usr/bin/env bash
# `make bench`: every bench/bench_*.py against the same real services as the suite. Figures are printed;
# nothing here is a pass/fail test.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p var
state=$(mktemp "$root/var/bench-services.XXXXXX")
trap '"$root/scripts/services.sh" stop "$state"' EXIT INT TERM
"$root/scripts/services.sh" start "$state" || exit 1
# shellcheck disable=SC1090
source "$state"
# Benchmarks use the real database name, not pytest's.
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/icsoe_bench"
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres icsoe_bench
"$root/.venv/bin/python" manage.py migrate --noinput -v 0 || exit 1
status=0
for b in bench/bench_*.py; do
  echo "=== $b"
  "$root/.venv/bin/python" "$b" || status=1
done
exit "$status"
