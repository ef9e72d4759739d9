"""Measures in and out of spreadsheets, in the report's own table shape.

- `shape`: the six columns, read from cell text into data and written back (pure).
- `tables`: bytes of an XLSX or CSV file into rows of cells, with the file checks.
- `exporters`: XLSX and CSV exporters, one sheet per organization × fiscal year.
- `importer`: the all-or-nothing import service, with per-row Thai errors.

See `shape` for how each column is written and read.
"""
