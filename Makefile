# ICSOE portal. Two commands do everything on a fresh machine:
#   make run    the portal with demo data on http://127.0.0.1:8000 (SQLite, tasks in-process, dev mailbox)
#   make test   the whole suite on real PostgreSQL, Redis, a Celery worker, an SMTP sink and Chromium
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
APT_RUNTIME := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext
APT_TEST := $(APT_RUNTIME) redis-server postgresql chromium poppler-utils zbar-tools pgbouncer
RUN_ENV := DEBUG=true ICSOE_TRUST_TEST_CAS=true ICSOE_RELOJ_PRUEBA=true
# The portal's wording of Django's and allauth's stock messages (tú), compiled from the .po (never committed):
# django.po for the server's messages, djangojs.po for the admin's JavaScript catalog (/admin/jsi18n/).
MESSAGES_MO := locale/es_MX/LC_MESSAGES/django.mo locale/es_MX/LC_MESSAGES/djangojs.mo

.PHONY: run test bench install install-test system-runtime system-test demo clean check-deploy manage messages

define apt_install_missing
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Instalando paquetes del sistema:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-runtime:
	$(call apt_install_missing,$(APT_RUNTIME))

system-test:
	$(call apt_install_missing,$(APT_TEST))

$(VENV)/.installed-run: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e ".[test]"
	touch $@ $(VENV)/.installed-run

locale/es_MX/LC_MESSAGES/%.mo: locale/es_MX/LC_MESSAGES/%.po
	msgfmt --check -o $@ $<

messages: $(MESSAGES_MO)

install: system-runtime $(VENV)/.installed-run $(MESSAGES_MO)

install-test: system-test $(VENV)/.installed-test $(MESSAGES_MO)

demo: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput -v 0
	$(RUN_ENV) $(PY) manage.py cargar_demo

run: demo
	@echo "Portal ICSOE en http://127.0.0.1:8000/  (Ctrl+C para detener)"
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Any manage.py command with the settings `make run` uses (DEBUG, the demo CAs trusted, SQLite in var/):
#   make manage ARGS="efirma confiar ca.cer"      make manage ARGS=createsuperuser
manage: install
	$(RUN_ENV) $(PY) manage.py $(ARGS)

test: install-test
	scripts/test.sh

bench: install-test
	scripts/bench.sh

check-deploy: install
	DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=icsoe.example.gob.mx DATABASE_URL=sqlite:////tmp/icsoe-check.sqlite3 \
	  $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var
