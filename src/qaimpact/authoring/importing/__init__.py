"""Importing audits from the spreadsheets services keep (``qaimpact import``), and exporting them.

- :mod:`.sheets`: an Excel workbook or a CSV file read into rows of cells, with the findings about
  the sheet itself (openpyxl is imported here only, and only for a workbook);
- :mod:`.mapping`: the mapping file, checked, and compiled into the key each column fills;
- :mod:`.convert`: one cell to one value (words to ids, dates, numbers stored as text);
- :mod:`.run`: every row read, checked by the audit checker and located at its cells, then all the
  audits written or none; :mod:`.update` rewrites an existing audit where the sheet changed;
- :mod:`.emit`: an audit's text in ``fmt``'s canonical form;
- :mod:`.scaffold`: a first mapping guessed from the headers; :mod:`.export`: audits to a sheet.

May import: :mod:`qaimpact.authoring` (``fmt``, ``roundtrip``), :mod:`qaimpact.audits` and below.
"""
