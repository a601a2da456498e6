"""test_file.py - uploads (lib/file, fcgi/h_file.c): kinds recognised by content, size caps, scope."""
import hashlib
import io
import struct
import unittest
import urllib.parse
import zipfile

import kw

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ooxml(main_part, extra=()):
    """A minimal OOXML package: [Content_Types].xml and the main part (word/document.xml, xl/workbook.xml)."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types/>')
        if main_part:
            z.writestr(main_part, '<?xml version="1.0" encoding="UTF-8"?><root/>')
        for name in extra:
            z.writestr(name, "x")
    return b.getvalue()


def docx():
    return ooxml("word/document.xml")


def cfb(stream_name="WordDocument"):
    """A minimal OLE2 compound file (512-byte sectors): sector 0 the FAT, sector 1 the directory with
    the root entry and one stream named stream_name. Word 97-2003 files hold a WordDocument stream."""
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, 1)            # FAT sectors
    struct.pack_into("<I", header, 0x30, 1)            # first directory sector
    struct.pack_into("<I", header, 0x38, 4096)         # mini stream cutoff
    struct.pack_into("<IIII", header, 0x3C, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    for i in range(109):
        struct.pack_into("<I", header, 0x4C + 4 * i, 0 if i == 0 else 0xFFFFFFFF)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)
    directory = bytearray(512)

    def entry(i, name, kind):
        raw = name.encode("utf-16-le") + b"\0\0"
        directory[128 * i:128 * i + len(raw)] = raw
        struct.pack_into("<HB", directory, 128 * i + 0x40, len(raw), kind)
        struct.pack_into("<III", directory, 128 * i + 0x44, 0xFFFFFFFF, 0xFFFFFFFF, 1 if i == 0 else 0xFFFFFFFF)
        struct.pack_into("<I", directory, 128 * i + 0x74, 0xFFFFFFFE)

    entry(0, "Root Entry", 5)
    entry(1, stream_name, 2)
    return bytes(header + fat + directory)


def png(size=0):
    """A PNG signature and IHDR chunk, padded with an ancillary chunk to `size` bytes when asked."""
    data = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0) + b"\0\0\0\0"
    if size > len(data):
        data += b"\0" * (size - len(data))
    return data


def jpg(width=1, height=1):
    """A JFIF header and a baseline frame header (SOF0) of width x height, then end of image."""
    sof = b"\xff\xc0\x00\x0b\x08" + struct.pack(">HH", height, width) + b"\x01\x01\x11\x00"
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + sof + b"\0" * 64 + b"\xff\xd9"


def upload(s, data, name, mime):
    headers = {"X-File-Name": urllib.parse.quote(name)}
    if mime:
        headers["Content-Type"] = mime
    return s.request("POST", "/api/files", body=data, headers=headers)


def fields(r):
    return {(f.get("field"), f.get("rule")) for f in r.json()["error"].get("fields", [])}


class Kinds(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = kw.org_account("benz")

    def test_docx_is_stored_and_comes_back_unchanged(self):
        data = docx()
        r = upload(self.s, data, "培训大纲.docx", DOCX)
        self.assertEqual(r.status, 201, r)
        body = r.json()
        self.assertEqual(body["name"], "培训大纲.docx")
        self.assertEqual(body["size"], len(data))
        self.assertEqual(body["mime"], DOCX)
        self.assertEqual(body["sha256"], hashlib.sha256(data).hexdigest())
        d = self.s.get("/api/files/%d" % body["id"])
        self.assertEqual(d.status, 200)
        self.assertEqual(d.body, data)
        self.assertEqual(d.header("content-type"), DOCX)
        cd = d.header("content-disposition")
        self.assertTrue(cd.startswith("attachment;"), cd)
        self.assertIn("filename*=UTF-8''" + urllib.parse.quote("培训大纲.docx"), cd)

    def test_doc_by_ole2_magic_and_word_stream(self):
        r = upload(self.s, cfb(), "大纲.doc", "application/msword")
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["kind"], "doc")

    def test_ole2_without_word_stream_is_not_a_doc(self):
        # An .xls (OLE2 with a Workbook stream) renamed to .doc: the content is an xls.
        r = upload(self.s, cfb("Workbook"), "大纲.doc", "application/msword")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(fields(r), {("file", "mime"), ("name", "extension")})
        r = upload(self.s, cfb("Other"), "大纲.doc", "application/msword")
        self.assertEqual(r.status, 422, r)
        self.assertIn(("file", "file_type"), fields(r))

    def test_other_office_kinds_and_pdf(self):
        # 通知公告 attachments may be any office document or a PDF, each recognised by its content.
        pdf = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
        for data, name, kind in ((cfb("Workbook"), "名单.xls", "xls"), (cfb("Book"), "旧名单.xls", "xls"),
                                 (cfb("PowerPoint Document"), "讲义.ppt", "ppt"),
                                 (ooxml("ppt/presentation.xml"), "讲义.pptx", "pptx"), (pdf, "通知.pdf", "pdf")):
            r = upload(self.s, data, name, None)
            self.assertEqual(r.status, 201, (name, r))
            self.assertEqual(r.json()["kind"], kind)
        r = upload(self.s, ooxml("ppt/presentation.xml", ["word/document.xml"]), "混合.pptx", None)
        self.assertEqual(r.status, 422, r)

    def test_xlsx_jpg_png(self):
        for data, name, mime, kind in ((ooxml("xl/workbook.xml"), "题库.xlsx", XLSX, "xlsx"),
                                       (jpg(), "照片.jpg", "image/jpeg", "jpg"),
                                       (jpg(), "照片.jpeg", "image/jpeg", "jpg"),
                                       (png(), "照片.png", "image/png", "png")):
            r = upload(self.s, data, name, mime)
            self.assertEqual(r.status, 201, (name, r))
            self.assertEqual(r.json()["kind"], kind)

    def test_docx_name_on_a_png_is_refused(self):
        # The content decides: a PNG named .docx (declared as docx or as png) is a 422.
        r = upload(self.s, png(), "大纲.docx", DOCX)
        self.assertEqual(r.status, 422, r)
        self.assertIn(("file", "mime"), fields(r))
        self.assertIn(("name", "extension"), fields(r))
        r = upload(self.s, png(), "大纲.docx", "image/png")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(fields(r), {("name", "extension")})

    def test_declared_type_must_match_content(self):
        r = upload(self.s, docx(), "大纲.docx", "image/png")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(fields(r), {("file", "mime")})
        # Without a declared type (or octet-stream) the name's extension must still match.
        self.assertEqual(upload(self.s, docx(), "大纲.docx", "application/octet-stream").status, 201)
        self.assertEqual(upload(self.s, docx(), "大纲.docx", None).status, 201)

    def test_unknown_content_is_refused(self):
        for data, name in ((b"hello, world, plain text", "a.doc"), (b"%PDF-1.4\n" + b"0" * 100, "a.docx"),
                           (ooxml(None, ["word/other.xml"]), "a.docx"), (b"PK\x03\x04" + b"\0" * 40, "a.docx")):
            r = upload(self.s, data, name, "application/octet-stream")
            self.assertEqual(r.status, 422, (name, r))
            self.assertIn(("file", "file_type"), fields(r))

    def test_name_and_body_are_required(self):
        r = self.s.request("POST", "/api/files", body=docx(), headers={"Content-Type": DOCX})
        self.assertEqual(r.status, 422, r)
        self.assertIn(("name", "required"), fields(r))
        r = upload(self.s, b"", "a.docx", DOCX)
        self.assertEqual(r.status, 422, r)
        self.assertIn(("file", "required"), fields(r))

    def test_path_in_name_is_cut(self):
        r = upload(self.s, docx(), "C:\\Users\\站\\大纲.docx", DOCX)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["name"], "大纲.docx")

    def test_csrf_and_login_required(self):
        self.assertEqual(kw.request("POST", "/api/files", body=docx(),
                                    headers={"Content-Type": DOCX, "X-File-Name": "a.docx"}).status, 401)
        r = self.s.request("POST", "/api/files", body=docx(),
                           headers={"Content-Type": DOCX, "X-File-Name": "a.docx", "X-CSRF-Token": "wrong"})
        self.assertEqual(r.status, 403)


class Caps(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = kw.org_account("benz")

    def test_R13_images_at_most_1_mb(self):
        self.assertEqual(upload(self.s, png(1024 * 1024), "a.png", "image/png").status, 201)
        r = upload(self.s, png(1024 * 1024 + 1), "a.png", "image/png")
        self.assertEqual(r.status, 413, r)
        self.assertEqual(r.json()["error"]["code"], "too_large")

    def test_documents_above_1_mb_are_fine(self):
        data = ooxml("word/document.xml", [])
        big = io.BytesIO()
        with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w:document/>")
            z.writestr("word/media/image1.bin", b"\1" * (3 * 1024 * 1024))
        self.assertGreater(len(big.getvalue()), 1024 * 1024)
        self.assertEqual(upload(self.s, big.getvalue(), "大.docx", DOCX).status, 201)
        self.assertEqual(upload(self.s, data, "小.docx", DOCX).status, 201)

    def test_documents_above_20_mb_are_refused(self):
        big = io.BytesIO()
        with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w:document/>")
            z.writestr("word/media/image1.bin", b"\1" * (20 * 1024 * 1024))
        r = upload(self.s, big.getvalue(), "大.docx", DOCX)
        self.assertEqual(r.status, 413, r)

    def test_zip_with_too_many_entries_is_refused(self):
        r = upload(self.s, ooxml("word/document.xml", ["e/%d" % i for i in range(2001)]), "多.docx", DOCX)
        self.assertEqual(r.status, 413, r)

    def test_zip_bomb_is_refused_without_inflating(self):
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w:document/>")
            for i in range(2):
                z.writestr("word/media/zero%d.bin" % i, b"\0" * (200 * 1024 * 1024))
        self.assertLess(len(bomb.getvalue()), 2 * 1024 * 1024)
        r = upload(self.s, bomb.getvalue(), "炸弹.docx", DOCX)
        self.assertEqual(r.status, 413, r)


class Scope(unittest.TestCase):
    """Downloads: the uploader, its org's accounts and the reviewers above (level-2 parent, center)."""

    @classmethod
    def setUpClass(cls):
        cls.benz = kw.org_account("benz")
        r = upload(cls.benz, docx(), "奔驰站大纲.docx", DOCX)
        assert r.status == 201, r
        cls.fid = r.json()["id"]

    def test_uploader_parent_and_center_see_it(self):
        for s in (self.benz, kw.org_account("beiqi"), kw.center_staff(), kw.center_director()):
            self.assertEqual(s.get("/api/files/%d" % self.fid).status, 200, s.user)

    def test_others_get_404(self):
        for s in (kw.org_account("baic"), kw.org_account("robot"), kw.login("assessor", "422201199001176250"),
                  kw.login("candidate", "shentong")):
            self.assertEqual(s.get("/api/files/%d" % self.fid).status, 404, s.user)
        self.assertEqual(self.benz.get("/api/files/999999999").status, 404)
        self.assertEqual(self.benz.get("/api/files/abc").status, 404)
        self.assertEqual(kw.get("/api/files/%d" % self.fid).status, 401)

    def test_candidate_sees_own_upload_only(self):
        cand = kw.login("candidate", "shentong")
        r = upload(cand, jpg(), "证件照.jpg", "image/jpeg")
        self.assertEqual(r.status, 201, r)
        fid = r.json()["id"]
        d = cand.get("/api/files/%d" % fid)
        self.assertEqual(d.status, 200)
        self.assertTrue(d.header("content-disposition").startswith("inline;"))
        self.assertEqual(self.benz.get("/api/files/%d" % fid).status, 404)
        username, password, _, reg = kw.register_candidate()
        self.assertEqual(reg.status, 201, reg)
        other = kw.login("candidate", username, password)
        self.assertEqual(other.get("/api/files/%d" % fid).status, 404)


if __name__ == "__main__":
    unittest.main()
