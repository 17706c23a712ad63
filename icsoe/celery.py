"""Celery application.

With ``REDIS_URL`` unset (``make run``) every task runs in-process (``task_always_eager``); with it set,
tasks go to Redis and a worker runs them.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icsoe.settings")

app = Celery("icsoe")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["informativas.carga"])  # informativas' tasks live in its carga sub-package
