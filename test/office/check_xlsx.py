#!/usr/bin/python3
"""check_xlsx.py - read an .xlsx back with openpyxl and print its sheets, cells, types and styles as JSON.

Run with Debian's python (apt-get install python3-openpyxl):

    /usr/bin/python3 test/office/check_xlsx.py FILE.xlsx [--max-rows N]

Output (one JSON object on stdout):
    {"zip_ok": true, "sheets": [{"name", "freeze_panes", "auto_filter", "max_row",
      "max_column", "widths": {"A": 12.0, ...},
      "rows": [[{"ref", "type", "value", "number_format", "bold", "is_date"}, ...], ...]}]}
"type" is openpyxl's data type: s (text), n (number), b (boolean), d (date/time,
its value as ISO text). Empty cells are left out of a row. Exit status 1 when the
file is not a valid zip or openpyxl cannot read it (the message goes to stderr).
An API test calls it on a downloaded export and compares the JSON.
"""
import argparse
import datetime
import json
import sys
import warnings
import zipfile


def cell_json(cell):
    """One cell as a JSON-ready dict."""
    value = cell.value
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        value = value.isoformat()
    return {
        "ref": cell.coordinate,
        "type": cell.data_type,
        "value": value,
        "number_format": cell.number_format,
        "bold": bool(cell.font and cell.font.b),
        "is_date": bool(cell.is_date),
    }


def sheet_json(ws, max_rows):
    """A worksheet: view settings, widths and the non-empty cells of its first max_rows rows."""
    rows = []
    for i, row in enumerate(ws.iter_rows()):
        if max_rows is not None and i >= max_rows:
            break
        rows.append([cell_json(c) for c in row if c.value is not None])
    widths = {}
    for key, dim in sorted(ws.column_dimensions.items()):
        if dim.width:
            widths[key] = dim.width
    return {
        "name": ws.title,
        "freeze_panes": ws.freeze_panes,
        "auto_filter": ws.auto_filter.ref,
        "max_row": ws.max_row,
        "max_column": ws.max_column,
        "widths": widths,
        "rows": rows,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--max-rows", type=int, default=None, help="rows per sheet to print")
    args = ap.parse_args()

    try:
        with zipfile.ZipFile(args.file) as z:
            bad = z.testzip()
            if bad is not None:
                print(f"check_xlsx: bad CRC in {bad}", file=sys.stderr)
                return 1
            entries = z.namelist()
    except zipfile.BadZipFile as e:
        print(f"check_xlsx: not a zip: {e}", file=sys.stderr)
        return 1

    import openpyxl  # Debian's python3-openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any "repaired"/unknown-content warning is a failure
        try:
            wb = openpyxl.load_workbook(args.file)
        except Exception as e:  # noqa: BLE001 - report whatever openpyxl refuses
            print(f"check_xlsx: openpyxl cannot read it: {e!r}", file=sys.stderr)
            return 1
    out = {
        "zip_ok": True,
        "entries": entries,
        "sheets": [sheet_json(ws, args.max_rows) for ws in wb.worksheets],
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
