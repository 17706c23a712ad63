"""The listado público (Lineamientos 6.1): each month's presented filings without RFCs or worker data, an XLSX
published once in the default storage, its beat task, and the public page that lists every month's file."""
