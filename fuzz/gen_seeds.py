#!/usr/bin/env python3
"""gen_seeds.py - refresh the fuzz seeds from test/fixtures/xlsx (python stdlib only).

corpus/xlsx/        small fixtures as they are (whole uploads, for fuzz_xlsx)
corpus/xlsx_parts/  the same packages as NUL-separated parts for fuzz_xlsx_parts:
                    sheet, shared strings, workbook, workbook relationships, root relationships
"""
import os
import shutil
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "test", "fixtures", "xlsx")
WHOLE = ["excel.xlsx", "minimal.xlsx", "norels.xlsx", "wps.xlsx", "strict.xlsx", "hidden.xlsx",
         "openpyxl.xlsx", "libreoffice.xlsx", "sheetjs_sst.xlsx", "empty.xlsx"]
PARTS = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml",
         "xl/_rels/workbook.xml.rels", "_rels/.rels"]


def main():
    whole = os.path.join(HERE, "corpus", "xlsx")
    parts = os.path.join(HERE, "corpus", "xlsx_parts")
    os.makedirs(whole, exist_ok=True)
    os.makedirs(parts, exist_ok=True)
    for name in WHOLE:
        shutil.copy(os.path.join(FIX, name), os.path.join(whole, name))
        with zipfile.ZipFile(os.path.join(FIX, name)) as z:
            names = {n.lower(): n for n in z.namelist()}
            data = [z.read(names[p.lower()]) if p.lower() in names else b"" for p in PARTS]
        with open(os.path.join(parts, name[:-5] + ".bin"), "wb") as f:
            f.write(b"\0".join(data))


if __name__ == "__main__":
    main()
