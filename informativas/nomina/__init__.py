"""Importar nómina (CFDI): the trabajadores of an informativa built from the contratista's payroll CFDIs
(CFDI 4.0 or 3.3 with the Complemento de Nómina 1.2), read safely from a ZIP, checked in two phases like the
carga masiva. ``cfdi`` reads, ``revision`` checks and assigns, ``services`` drives the two phases."""
