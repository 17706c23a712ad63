"""The expediente of one contratante of a presented informativa (issue 25): a sealed PDF constancia, an XLSX
and a manifest with only that contratante's contratos and trabajadores."""
