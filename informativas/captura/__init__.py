"""Capture of an informativa: the draft, its contratos and contratantes, its trabajadores one by one, the
wizard that walks through them, and the bandeja and consulta screens."""
