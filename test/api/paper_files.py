"""paper_files.py - test files of batch papers without a database or openpyxl: a theory paper as a
minimal xlsx (inline strings) of the bank template's rows, for test_papers.py and test/e2e/life_enroll.mjs:

  python3 test/api/paper_files.py theory N > paper.xlsx
"""
import io
import sys
import zipfile
from xml.sax.saxutils import escape


def single(stem, answer="A", kind="基础知识", options=("甲", "乙", "丙", "丁")):
    return [stem, "单选题"] + list(options) + [None] * (4 - len(options)) + [answer, kind]


def multi(stem, answer="A,B", kind="基础知识", options=("甲", "乙", "丙", "丁")):
    return [stem, "多选题"] + list(options) + [None] * (4 - len(options)) + [answer, kind]


def judge(stem, answer="对", kind="基础知识"):
    return [stem, "判断题", None, None, None, None, answer, kind]


def xlsx(rows):
    """A minimal xlsx (inline strings, one sheet) of rows A..H, written here: openpyxl in a
    subprocess costs seconds per file and these tests upload dozens."""
    def cell(r, c, v):
        ref = "%s%d" % ("ABCDEFGH"[c], r)
        return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(v)) if v is not None else ""
    sheet = "".join('<row r="%d">%s</row>' % (i + 1, "".join(cell(i + 1, c, v) for c, v in enumerate(row)))
                    for i, row in enumerate(rows))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>' % rel,
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook %s xmlns:r="%s"><sheets><sheet name="题库" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel),
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%s/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>' % rel,
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>%s</sheetData>'
        '</worksheet>' % (ns, sheet),
    }
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return b.getvalue()


def questions(n, tag="题"):
    """n valid template rows (single, multi and judge mixed)."""
    rows = []
    for i in range(n):
        stem = "%s第%d题（ ）" % (tag, i + 1)
        rows.append([single, multi, judge][i % 3](stem))
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "theory":
        sys.stdout.buffer.write(xlsx(questions(int(sys.argv[2]))))
    else:
        sys.exit(__doc__)
