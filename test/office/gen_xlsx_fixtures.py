#!/usr/bin/python3
"""gen_xlsx_fixtures.py - write the xlsx reader's fixtures to test/fixtures/xlsx/.

The fixtures are committed, so the unit tests need none of this at run time. Each producer
writes the same small question bank (columns A-H, as the manual's template), so the C test
(test/unit/test_xlsx_reader.c) checks every file against one table:

  openpyxl.xlsx, openpyxl_write_only.xlsx   python3-openpyxl (Debian), normal and write-only
  libreoffice.xlsx, libreoffice_excel.xlsx  LibreOffice headless re-saving openpyxl.xlsx / excel.xlsx
  sheetjs_sst.xlsx, sheetjs_str.xlsx        SheetJS (npm "xlsx"): shared strings + deflate,
                                            and t="str" cells + stored entries
  excel.xlsx, wps.xlsx, strict.xlsx         hand-made from what Excel 2016, WPS Office and
                                            Excel's "Strict Open XML" write
  order.xlsx, hidden.xlsx                   the first (visible) sheet in workbook order is not
                                            sheet1.xml
  minimal.xlsx, norels.xlsx, empty.xlsx     rows/cells without r, inline rich text, escapes,
                                            number forms; no .rels parts; an empty sheet

Run with Debian's python (the one that has openpyxl):
  /usr/bin/python3 test/office/gen_xlsx_fixtures.py [--sheetjs /tmp/sheetjs] [--no-libreoffice]
SheetJS: `mkdir /tmp/sheetjs && cd /tmp/sheetjs && npm install xlsx` (outside the repo).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "fixtures", "xlsx"))

# The question bank every producer writes: (row number, [A..H]); None is an empty cell.
BANK = [
    (1, ["试题内容", "题型", "选项A", "选项B", "选项C", "选项D", "正确答案", "类型"]),
    (2, ["汽车发动机的四个冲程依次是？", "单选题", "进气、压缩、做功、排气", "压缩、进气、做功、排气",
         "进气、做功、压缩、排气", "排气、进气、压缩、做功", "A", "基础知识"]),
    (3, ["下列属于汽车制动系统部件的有（　）。", "多选题", "制动盘", "制动钳", "火花塞", "制动总泵",
         "A,B,D", "相关知识"]),
    (4, ["涂装前必须对工件表面进行预处理。", "判断题", None, None, None, None, "对", "基础知识"]),
    (6, ["数值", 3.0, 3.5, -0.25, 1234567890, 0.1, True, None]),
    (7, ["第一行\n第二行", "稀疏", None, None, None, None, None, " 前后空格 "]),
]

DATE = (2024, 3, 1, 8, 0, 0)

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
CT_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def write_zip(path, parts, method=zipfile.ZIP_DEFLATED):
    """Write parts [(name, text or bytes)] in order, with a fixed date so reruns match."""
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = method
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def content_types(overrides, defaults=True):
    d = ('<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
         'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
         if defaults else "")
    o = "".join('<Override PartName="%s" ContentType="%s"/>' % po for po in overrides)
    return (DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            + d + o + "</Types>")


def root_rels(target="xl/workbook.xml"):
    return (DECL + "<Relationships %s><Relationship Id=\"rId3\" Type=\"%s/extended-properties\" "
            "Target=\"docProps/app.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas."
            "openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\""
            "docProps/core.xml\"/><Relationship Id=\"rId1\" Type=\"%s/officeDocument\" Target=\""
            "%s\"/></Relationships>" % (PKG_REL, REL, REL, target))


def workbook_rels(rels):
    body = "".join('<Relationship Id="%s" Type="%s/%s" Target="%s"/>' % r for r in rels)
    return DECL + "<Relationships %s>%s</Relationships>" % (PKG_REL, body)


class SST:
    """Shared strings in first-use order; rich/phonetic forms can be given per text."""

    def __init__(self):
        self.items, self.index, self.count = [], {}, 0

    def add(self, text, xml=None):
        self.count += 1
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(xml or "<si><t%s>%s</t></si>" % (
                ' xml:space="preserve"' if text != text.strip() or "\n" in text else "",
                esc(text)))
        return self.index[text]

    def xml(self, ns=NS, prefix=""):
        p = prefix
        return (DECL + '<%ssst %s count="%d" uniqueCount="%d">%s</%ssst>' % (
            p, ns, self.count, len(self.items), "".join(self.items), p))


# ---- Excel 2016 (Windows, zh-CN) ----

EXCEL_RICH = {
    # A2 in two runs (bold "汽车发动机"), as Excel writes mixed formatting.
    BANK[1][1][0]: '<si><r><rPr><b/><sz val="11"/><color theme="1"/><rFont val="宋体"/><family val="3"/>'
                   '<charset val="134"/><scheme val="minor"/></rPr><t>汽车发动机</t></r><r><rPr>'
                   '<sz val="11"/><color theme="1"/><rFont val="宋体"/><family val="3"/><charset '
                   'val="134"/><scheme val="minor"/></rPr><t>的四个冲程依次是？</t></r></si>',
    # A4 with a phonetic run (Japanese Excel writes <rPh>; it is not part of the text).
    BANK[3][1][0]: '<si><t>涂装前必须对工件表面进行预处理。</t><rPh sb="0" eb="2"><t>トソウ</t></rPh>'
                   '<phoneticPr fontId="1" type="noConversion"/></si>',
}


def excel_sheet(sst, rows, extra_rows="", dims="A1:H8", prefix="", ns=NS, x14=True):
    p = prefix
    out = []
    for num, vals in rows:
        cells = []
        for i, v in enumerate(vals):
            ref = "%s%d" % (col_name(i), num)
            if v is None:
                continue
            if isinstance(v, bool):
                cells.append('<%sc r="%s" t="b"><%sv>%d</%sv></%sc>' % (p, ref, p, v, p, p))
            elif isinstance(v, (int, float)):
                text = repr(v) if isinstance(v, float) and v != int(v) else str(int(v))
                cells.append('<%sc r="%s" s="2"><%sv>%s</%sv></%sc>' % (p, ref, p, text, p, p))
            else:
                idx = sst.add(v, EXCEL_RICH.get(v))
                cells.append('<%sc r="%s" s="1" t="s"><%sv>%d</%sv></%sc>' % (p, ref, p, idx, p, p))
        dy = ' x14ac:dyDescent="0.15"' if x14 else ""
        out.append('<%srow r="%d" spans="1:8"%s>%s</%srow>' % (p, num, dy, "".join(cells), p))
    mc = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'mc:Ignorable="x14ac xr xr2 xr3" xmlns:x14ac="http://schemas.microsoft.com/office/'
          'spreadsheetml/2009/9/ac" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/'
          '2014/revision" xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/'
          'revision2" xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3" '
          'xr:uid="{00000000-0001-0000-0000-000000000000}"' if x14 else "")
    return (DECL + '<%sworksheet %s %s %s><%sdimension ref="%s"/><%ssheetViews><%ssheetView '
            'tabSelected="1" workbookViewId="0"><%sselection activeCell="A1" sqref="A1"/>'
            '</%ssheetView></%ssheetViews><%ssheetFormatPr defaultRowHeight="13.5"%s/>'
            '<%scols><%scol min="1" max="1" width="40.625" customWidth="1"/></%scols>'
            '<%ssheetData>%s%s</%ssheetData><%spageMargins left="0.7" right="0.7" top="0.75" '
            'bottom="0.75" header="0.3" footer="0.3"/><%spageSetup paperSize="9" '
            'orientation="portrait" r:id="rId1"/></%sworksheet>' % (
                p, ns, NS_R, mc, p, dims, p, p, p, p, p, p, dy, p, p, p, p, "".join(out),
                extra_rows, p, p, p, p))


EXCEL_ROW8 = ('<row r="8" spans="1:8" x14ac:dyDescent="0.15"><c r="A8" s="1" t="str"><f>CONCATENATE('
              '"合","并")</f><v>合并</v></c><c r="B8" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="C8">'
              '<f>1+2</f><v>3</v></c><c r="D8" t="b"><f>1&gt;2</f><v>0</v></c><c r="E8" s="2"/>'
              '<c r="F8"><v>0.30000000000000004</v></c></row>')

EXCEL_STYLES = (DECL + '<styleSheet %s xmlns:mc="http://schemas.openxmlformats.org/markup-'
                'compatibility/2006" mc:Ignorable="x14ac x16r2 xr" xmlns:x14ac="http://schemas.'
                'microsoft.com/office/spreadsheetml/2009/9/ac"><fonts count="1" x14ac:knownFonts="1">'
                '<font><sz val="11"/><color theme="1"/><name val="等线"/><family val="2"/><charset '
                'val="134"/><scheme val="minor"/></font></fonts><fills count="1"><fill><patternFill '
                'patternType="none"/></fill></fills><borders count="1"><border><left/><right/><top/>'
                '<bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" '
                'fontId="0" fillId="0" borderId="0"><alignment vertical="center"/></xf></cellStyleXfs>'
                '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>'
                % NS)

APP = (DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
       'properties"><Application>%s</Application></Properties>')
CORE = (DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>kaowu</dc:creator>'
        '</cp:coreProperties>')


def excel_workbook(sheets, extra=""):
    """sheets: [(name, rId, state or None)] in workbook (tab) order."""
    s = "".join('<sheet name="%s" sheetId="%d"%s r:id="%s"/>' % (
        esc(n), i + 1, ' state="%s"' % st if st else "", rid) for i, (n, rid, st) in enumerate(sheets))
    return (DECL + '<workbook %s %s xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/'
            '2006" mc:Ignorable="x15 xr xr6 xr10 xr2" xmlns:x15="http://schemas.microsoft.com/office/'
            'spreadsheetml/2010/11/main"><fileVersion appName="xl" lastEdited="7" lowestEdited="7" '
            'rupBuild="27328"/><workbookPr filterPrivacy="1" defaultThemeVersion="124226"/>'
            '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/'
            '2006"><mc:Choice Requires="x15"><x15ac:absPath url="C:\\Users\\kaowu\\Desktop\\" '
            'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/>'
            '</mc:Choice></mc:AlternateContent><bookViews><workbookView xWindow="0" yWindow="0" '
            'windowWidth="28800" windowHeight="12300"/></bookViews><sheets>%s</sheets>%s'
            '<calcPr calcId="191029"/></workbook>' % (NS, NS_R, s, extra))


def excel_package(path, sheets, sheet_parts, sst, app="Microsoft Excel", extra_parts=()):
    """sheets: [(name, part file under xl/worksheets/, state)] in workbook order."""
    rels, wb_sheets, overrides = [], [], [("/xl/workbook.xml", CT_MAIN)]
    for i, (name, part, state) in enumerate(sheets):
        rid = "rId%d" % (i + 1)
        rels.append((rid, REL, "worksheet" if part.startswith("sheet") else "chartsheet",
                     ("worksheets/" if part.startswith("sheet") else "chartsheets/") + part))
        wb_sheets.append((name, rid, state))
    n = len(sheets)
    rels += [("rId%d" % (n + 1), REL, "styles", "styles.xml"),
             ("rId%d" % (n + 2), REL, "sharedStrings", "sharedStrings.xml")]
    for part in sheet_parts:
        if part.startswith("sheet"):
            overrides.append(("/xl/worksheets/" + part, CT_SHEET))
        else:
            overrides.append(("/xl/chartsheets/" + part, CT_CHART))
    overrides += [("/xl/styles.xml", CT_STYLES), ("/xl/sharedStrings.xml", CT_SST)]
    parts = [("[Content_Types].xml", content_types(overrides)), ("_rels/.rels", root_rels()),
             ("docProps/app.xml", APP % app), ("docProps/core.xml", CORE),
             ("xl/workbook.xml", excel_workbook(wb_sheets)),
             ("xl/_rels/workbook.xml.rels", workbook_rels(rels)), ("xl/styles.xml", EXCEL_STYLES)]
    for part, xml in sheet_parts.items():
        folder = "xl/worksheets/" if part.startswith("sheet") else "xl/chartsheets/"
        parts.append((folder + part, xml))
    parts.append(("xl/sharedStrings.xml", sst.xml()))
    parts += list(extra_parts)
    write_zip(path, parts)


def gen_excel():
    sst = SST()
    sheet = excel_sheet(sst, BANK, EXCEL_ROW8)
    excel_package(os.path.join(OUT, "excel.xlsx"), [("题库", "sheet1.xml", None)],
                  {"sheet1.xml": sheet}, sst)


def gen_order():
    # The workbook lists sheet2.xml first: that is the sheet a user sees first.
    sst = SST()
    first = excel_sheet(sst, BANK[:2], dims="A1:H2")
    other = excel_sheet(sst, [(1, ["这是第二个工作表"])], dims="A1")
    excel_package(os.path.join(OUT, "order.xlsx"),
                  [("题库", "sheet2.xml", None), ("说明", "sheet1.xml", None)],
                  {"sheet1.xml": other, "sheet2.xml": first}, sst)


def gen_hidden():
    # A chart sheet and a hidden sheet come before the first visible worksheet.
    sst = SST()
    hidden = excel_sheet(sst, [(1, ["隐藏的下拉选项"])], dims="A1")
    visible = excel_sheet(sst, BANK[:2], dims="A1:H2")
    chart = (DECL + '<chartsheet %s %s><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
             '</chartsheet>' % (NS, NS_R))
    excel_package(os.path.join(OUT, "hidden.xlsx"),
                  [("图表", "chart1.xml", None), ("选项", "sheet1.xml", "hidden"),
                   ("题库", "sheet2.xml", None)],
                  {"chart1.xml": chart, "sheet1.xml": hidden, "sheet2.xml": visible}, sst)


# ---- WPS Office (Kingsoft, Windows) ----

def gen_wps():
    sst = SST()
    rows = []
    for num, vals in BANK:
        cells = []
        for i, v in enumerate(vals):
            ref = "%s%d" % (col_name(i), num)
            if v is None:
                cells.append('<c r="%s" s="3"/>' % ref)  # WPS keeps styled empty cells
            elif isinstance(v, bool):
                cells.append('<c r="%s" s="3" t="b"><v>%d</v></c>' % (ref, v))
            elif isinstance(v, (int, float)):
                text = repr(v) if isinstance(v, float) and v != int(v) else str(int(v))
                cells.append('<c r="%s" s="3"><v>%s</v></c>' % (ref, text))
            else:
                cells.append('<c r="%s" s="3" t="s"><v>%d</v></c>' % (ref, sst.add(v)))
        rows.append('<row r="%d" spans="1:8" ht="14.25" customHeight="1">%s</row>' % (
            num, "".join(cells)))
    rows.insert(4, '<row r="5" spans="1:8" ht="14.25" customHeight="1"><c r="A5" s="3"/>'
                   '<c r="B5" s="3"/></row>')
    sheet = (DECL + '<worksheet %s %s xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
             'spreadsheetDrawing" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/'
             '9/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
             'xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"><sheetPr/><dimension '
             'ref="A1:H7"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"><selection '
             'activeCell="A1" sqref="A1"/></sheetView></sheetViews><sheetFormatPr defaultColWidth='
             '"9" defaultRowHeight="14.25" outlineLevelCol="7"/><cols><col min="1" max="1" width='
             '"38.5" customWidth="1"/></cols><sheetData>%s</sheetData><pageMargins left="0.75" '
             'right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/><headerFooter/></worksheet>'
             % (NS, NS_R, "".join(rows)))
    workbook = (DECL + '<workbook %s %s><workbookPr/><bookViews><workbookView windowWidth="28125" '
                'windowHeight="12540"/></bookViews><sheets><sheet name="Sheet1" sheetId="1" '
                'r:id="rId1"/></sheets><calcPr calcId="144525"/></workbook>' % (NS, NS_R))
    rels = workbook_rels([("rId4", REL, "sharedStrings", "sharedStrings.xml"),
                          ("rId3", REL, "styles", "styles.xml"),
                          ("rId2", REL, "theme", "theme/theme1.xml"),
                          ("rId1", REL, "worksheet", "worksheets/sheet1.xml")])
    custom = (DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
              'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
              '<vt:lpwstr>2052-11.1.0.14309</vt:lpwstr></property></Properties>')
    theme = (DECL + '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
             'name="WPS"><a:themeElements/></a:theme>')
    parts = [
        ("[Content_Types].xml", content_types([
            ("/xl/workbook.xml", CT_MAIN), ("/xl/worksheets/sheet1.xml", CT_SHEET),
            ("/xl/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"),
            ("/xl/styles.xml", CT_STYLES), ("/xl/sharedStrings.xml", CT_SST),
            ("/docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml")])),
        ("_rels/.rels", DECL + "<Relationships %s><Relationship Id=\"rId1\" Type=\"%s/officeDocument\" "
         "Target=\"xl/workbook.xml\"/><Relationship Id=\"rId4\" Type=\"%s/custom-properties\" "
         "Target=\"docProps/custom.xml\"/></Relationships>" % (PKG_REL, REL, REL)),
        ("docProps/custom.xml", custom),
        ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", rels),
        ("xl/theme/theme1.xml", theme), ("xl/styles.xml", EXCEL_STYLES),
        ("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", sst.xml()),
    ]
    write_zip(os.path.join(OUT, "wps.xlsx"), parts)


# ---- Strict Open XML (Excel "Strict Open XML Spreadsheet"), with an x: prefix ----

def gen_strict():
    ns = 'xmlns:x="http://purl.oclc.org/ooxml/spreadsheetml/main"'
    rel = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    sst = SST()
    sheet = excel_sheet(sst, BANK, dims="A1:H7", prefix="x:", ns=ns, x14=False)
    sheet = sheet.replace(NS_R, 'xmlns:r="%s"' % rel)
    workbook = (DECL + '<x:workbook %s xmlns:r="%s" conformance="strict"><x:sheets><x:sheet '
                'name="题库" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>' % (ns, rel))
    rels = (DECL + "<Relationships %s><Relationship Id=\"rId1\" Type=\"%s/worksheet\" Target=\""
            "worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"%s/sharedStrings\" Target=\""
            "sharedStrings.xml\"/></Relationships>" % (PKG_REL, rel, rel))
    parts = [
        ("[Content_Types].xml", content_types([("/xl/workbook.xml", CT_MAIN),
                                               ("/xl/worksheets/sheet1.xml", CT_SHEET),
                                               ("/xl/sharedStrings.xml", CT_SST)])),
        ("_rels/.rels", DECL + "<Relationships %s><Relationship Id=\"rId1\" Type=\"%s/officeDocument\" "
         "Target=\"xl/workbook.xml\"/></Relationships>" % (PKG_REL, rel)),
        ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", rels),
        ("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", sst.xml(ns, "x:")),
    ]
    write_zip(os.path.join(OUT, "strict.xlsx"), parts)


# ---- minimal writers: no r attributes, inline rich text, escapes, odd numbers ----

MINIMAL_SHEET = (
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n'  # a wrong declaration: parts are read as UTF-8
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\n'
    '  <sheetData>\n'
    '    <row>\n'  # row 1: no r anywhere
    '      <c t="inlineStr"><is><t>无行号</t></is></c>\n'
    '      <c t="inlineStr"><is><r><rPr><b/></rPr><t>富</t></r><r><t xml:space="preserve"> 文本</t></r></is></c>\n'
    '      <c/>\n'  # empty cell without r, as LibreOffice writes
    '      <c t="inlineStr"><is><t>跳过一格</t></is></c>\n'
    '    </row>\n'
    '    <row r="3">\n'
    '      <c r="B3" t="inlineStr"><is><t>注音</t><rPh sb="0" eb="1"><t>ちゅう</t></rPh></is></c>\n'
    '      <c t="inlineStr"><is><t>回车_x000D_换行</t></is></c>\n'  # C3 from the previous cell
    '      <c r="E3" t="inlineStr"><is><t>_x005F_x0041_</t></is></c>\n'
    '      <c r="F3" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>\n'
    '      <c r="G3" t="inlineStr"><is><t><![CDATA[<不是标签>]]></t></is></c>\n'
    '      <c r="H3" t="d"><v>2024-03-01T00:00:00</v></c>\n'
    '    </row>\n'
    '    <row>\n'  # row 4, numbers as various writers store them
    '      <c><v>3.0</v></c><c><v>1E3</v></c><c><v>-0</v></c><c><v>0.30000000000000004</v></c>\n'
    '      <c><v>1.5E-7</v></c><c><v>123456789012345678</v></c><c><v> 42 </v></c><c><v>abc</v></c>\n'
    '    </row>\n'
    '    <row r="6"><c r="A6" t="b"><v>true</v></c><c r="B6" t="e"><v>#N/A</v></c>'
    '<c r="C6" t="inlineStr"><is><t></t></is></c><c r="XFD6" t="inlineStr"><is><t>最后一列</t></is></c></row>\n'
    '    <row r="7"/>\n'
    '    <row><c r="C8" t="inlineStr"><is><t>行号取自单元格</t></is></c></row>\n'
    '  </sheetData>\n'
    '</worksheet>\n')


def minimal_parts(sheet, rels=True, ct=True):
    parts = []
    if ct:
        parts.append(("[Content_Types].xml", content_types(
            [("/xl/workbook.xml", CT_MAIN), ("/xl/worksheets/sheet1.xml", CT_SHEET)])))
    if rels:
        parts.append(("_rels/.rels", DECL + "<Relationships %s><Relationship Id=\"rId1\" Type=\"%s/"
                      "officeDocument\" Target=\"/xl/workbook.xml\"/></Relationships>" % (PKG_REL, REL)))
        parts.append(("xl/_rels/workbook.xml.rels", workbook_rels(
            [("rId1", REL, "worksheet", "/xl/worksheets/sheet1.xml")])))
    parts.append(("xl/workbook.xml", DECL + '<workbook %s %s><sheets><sheet name="Sheet1" sheetId="1" '
                  'r:id="rId1"/></sheets></workbook>' % (NS, NS_R)))
    parts.append(("xl/worksheets/sheet1.xml", sheet))
    return parts


def gen_minimal():
    write_zip(os.path.join(OUT, "minimal.xlsx"), minimal_parts(MINIMAL_SHEET))
    write_zip(os.path.join(OUT, "empty.xlsx"), minimal_parts(
        DECL + '<worksheet %s><dimension ref="A1"/><sheetData/></worksheet>' % NS))
    # No _rels/.rels, no workbook relationships: found through [Content_Types].xml and the usual
    # names, shared strings included.
    sst = SST()
    idx = [sst.add(t) for t in ("没有关系部件", "共享字符串")]
    sheet = (DECL + '<worksheet %s><sheetData><row r="1"><c r="A1" t="s"><v>%d</v></c><c r="B1" '
             't="s"><v>%d</v></c><c r="C1"><v>7</v></c></row></sheetData></worksheet>' % (NS, *idx))
    parts = minimal_parts(sheet, rels=False)
    parts.append(("xl/sharedStrings.xml", sst.xml()))
    write_zip(os.path.join(OUT, "norels.xlsx"), parts)


# ---- openpyxl ----

def gen_openpyxl():
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "题库"
    for num, vals in BANK:
        for i, v in enumerate(vals):
            if v is not None:
                ws.cell(row=num, column=i + 1, value=v)
    wb.create_sheet("第二个").append(["不应读到"])
    wb.save(os.path.join(OUT, "openpyxl.xlsx"))

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("题库")
    last = 0
    for num, vals in BANK:
        while last + 1 < num:
            ws.append([])
            last += 1
        ws.append(vals)
        last = num
    wb.save(os.path.join(OUT, "openpyxl_write_only.xlsx"))
    for name in ("openpyxl.xlsx", "openpyxl_write_only.xlsx"):
        normalise_dates(os.path.join(OUT, name))


def normalise_dates(path):
    """Rewrite a zip with fixed entry dates and document dates so reruns give the same bytes."""
    stamp = b"2024-03-01T08:00:00Z"
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    for k, (name, data) in enumerate(parts):
        if name == "docProps/core.xml":
            data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            data = re.sub(rb"<cp:revision>[^<]*</cp:revision>", b"", data)
            parts[k] = (name, data)
    write_zip(path, parts)


# ---- LibreOffice ----

def gen_libreoffice():
    soffice = shutil.which("soffice")
    if not soffice:
        print("gen: soffice not found, LibreOffice fixtures kept as they are", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for src, dst in (("openpyxl.xlsx", "libreoffice.xlsx"), ("excel.xlsx", "libreoffice_excel.xlsx")):
            d = os.path.join(tmp, dst[:-5])
            os.mkdir(d)
            shutil.copy(os.path.join(OUT, src), os.path.join(d, "in.xlsx"))
            env = dict(os.environ, HOME=tmp)
            subprocess.run([soffice, "--headless", "--norestore", "-env:UserInstallation=file://" + tmp +
                            "/profile", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                            os.path.join(d, "out"), os.path.join(d, "in.xlsx")],
                           check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=120)
            shutil.copy(os.path.join(d, "out", "in.xlsx"), os.path.join(OUT, dst))
            normalise_dates(os.path.join(OUT, dst))


# ---- SheetJS ----

def gen_sheetjs(folder):
    mod = os.path.join(folder, "node_modules", "xlsx")
    if not os.path.isdir(mod):
        print("gen: SheetJS not found in %s, its fixtures kept as they are" % folder, file=sys.stderr)
        return
    script = os.path.join(OUT, "gen_sheetjs.js")
    subprocess.run(["node", script, OUT], input=json.dumps(BANK).encode(), check=True,
                   env=dict(os.environ, NODE_PATH=os.path.join(folder, "node_modules")), timeout=60)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sheetjs", default="/tmp/sheetjs", help="folder with node_modules/xlsx")
    ap.add_argument("--no-libreoffice", action="store_true")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    gen_excel()
    gen_order()
    gen_hidden()
    gen_wps()
    gen_strict()
    gen_minimal()
    gen_openpyxl()
    if not args.no_libreoffice:
        gen_libreoffice()
    gen_sheetjs(args.sheetjs)
    for name in sorted(os.listdir(OUT)):
        if name.endswith(".xlsx"):
            print("%-28s %6d bytes" % (name, os.path.getsize(os.path.join(OUT, name))))


if __name__ == "__main__":
    main()
