"""Catálogo de contratantes: each contratista's clients (RFC, razón social, contact, domicilios) kept once,
filled into the Contratante tab from the RFC and updated by every contrato saved. A contrato keeps its own
copy, so what a presented informativa filed never changes when the catalog does."""
