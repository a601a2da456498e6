#!/usr/bin/python3
"""gen_bank_xlsx.py - write an xlsx from JSON rows with openpyxl (Debian's python3-openpyxl).

The bank API tests run under any python3 and call this with /usr/bin/python3, the one that has
openpyxl:

  /usr/bin/python3 test/office/gen_bank_xlsx.py OUT.xlsx < spec.json

spec: {"rows": [[A, B, ...], ...],          cells: text, number, true/false or null
       "sheet": "题库",                       optional sheet title
       "before": [{"title": "说明", "rows": [...], "hidden": true}],
                                             optional sheets before the bank sheet
       "write_only": false,                  openpyxl's streaming writer instead
       "append_to": "IN.xlsx"}               or: open IN.xlsx, append rows to its active sheet
"""
import json
import sys

from openpyxl import Workbook, load_workbook


def main():
    out = sys.argv[1]
    spec = json.load(sys.stdin)
    if spec.get("append_to"):
        wb = load_workbook(spec["append_to"])
        for r in spec["rows"]:
            wb.active.append(r)
        wb.save(out)
        return
    wb = Workbook(write_only=bool(spec.get("write_only")))
    if not spec.get("write_only"):
        wb.remove(wb.active)
    for extra in spec.get("before", []):
        ws = wb.create_sheet(extra.get("title", "Sheet"))
        for r in extra.get("rows", []):
            ws.append(r)
        if extra.get("hidden"):
            ws.sheet_state = "hidden"
    ws = wb.create_sheet(spec.get("sheet", "题库"))
    for r in spec["rows"]:
        ws.append(r)
    wb.save(out)


if __name__ == "__main__":
    main()
