"""Contratos en bloque: an XLSX template with one row per contrato (its contratante and the fields the wizard
asks), checked row by row with the wizard's own forms and rules, stored on confirmation (all or none)."""
