FROM python:3.11-slim-bookworm
# STATIC_ROOT lives in the image (collected below), apart from /data, the volume of uploads and the sello.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 STATIC_ROOT=/app/staticfiles
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY . .
RUN pip install --no-cache-dir . \
 && msgfmt --check -o locale/es_MX/LC_MESSAGES/django.mo locale/es_MX/LC_MESSAGES/django.po \
 && msgfmt --check -o locale/es_MX/LC_MESSAGES/djangojs.mo locale/es_MX/LC_MESSAGES/djangojs.po \
 && DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput -v 0 \
 && useradd --system --home /app icsoe \
 && mkdir -p /app/var /data \
 && chown icsoe /app/var /data
# An empty named volume mounted at /data starts as a copy of this folder, so it is the app user's.
USER icsoe
EXPOSE 8000
CMD ["gunicorn", "icsoe.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-", "--no-control-socket"]
