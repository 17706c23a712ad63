#!/usr/bin/env bash
# `make test`: check the import contracts, lint and types, start the real services, run the whole suite against them, stop
# them (also on failure), and exit with pytest's status. pytest's exit 5 (no test collected) counts as a failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
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
# One state file per run, so two runs on one machine never stop each other's services.
state=$(mktemp "$root/var/test-services.XXXXXX")
trap '"$root/scripts/services.sh" stop "$state"' EXIT INT TERM

"$root/scripts/services.sh" start "$state" || exit 1
# shellcheck disable=SC1090
source "$state"

"$root/.venv/bin/python" -m pytest --reuse-db -p no:cacheprovider "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "make test: pytest collected no test" >&2
  status=1
fi
if [ "$status" -ne 0 ] && [ -n "${ICSOE_SERVICES_DIR:-}" ]; then
  echo "---- celery worker log (tail) ----"; tail -n 40 "$ICSOE_SERVICES_DIR/celery.log" 2>/dev/null || true
fi
exit "$status"
