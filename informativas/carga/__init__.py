"""Carga masiva of trabajadores: the file engine (motor), the two-phase services, their Celery tasks and
the upload and progress screens."""
