#!/usr/bin/python3
"""gen_xlsx_bank.py - write a large question-bank xlsx (columns A-H, as the manual's template).

For timing the xlsx reader against openpyxl; the output is not committed.
  /usr/bin/python3 test/office/gen_xlsx_bank.py OUT.xlsx [ROWS=10000]
  /usr/bin/python3 test/office/gen_xlsx_bank.py --read OUT.xlsx    # openpyxl read-only pass
"""
import random
import sys

import openpyxl

KINDS = ["基础知识", "相关知识"]
TYPES = ["单选题", "多选题", "判断题"]
WORDS = ("汽车 发动机 变速器 制动 转向 悬架 车桥 涂装 预处理 焊装 生产线 装调 模具 检验 安全 "
         "规程 扭矩 螺栓 气缸 曲轴 活塞 润滑 冷却 电气 线束 传感器 质量 工艺 设备 维护").split()


def sentence(rng, n):
    return "".join(rng.choice(WORDS) for _ in range(n))


def write(path, rows):
    rng = random.Random(7)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("题库")
    ws.append(["试题内容", "题型", "选项A", "选项B", "选项C", "选项D", "正确答案", "类型"])
    for i in range(rows):
        kind = TYPES[i % 3]
        stem = "%d. %s的%s是（　）。" % (i + 1, sentence(rng, 4), sentence(rng, 2))
        if kind == "判断题":
            ws.append([stem, kind, None, None, None, None, rng.choice(["对", "错"]), KINDS[i % 2]])
            continue
        opts = [sentence(rng, 3) for _ in range(4)]
        ans = rng.choice("ABCD") if kind == "单选题" else ",".join(sorted(rng.sample("ABCD", 2)))
        ws.append([stem, kind] + opts + [ans, KINDS[i % 2]])
    wb.save(path)


def read(path):
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb.worksheets[0]
    n = cells = 0
    for row in ws.iter_rows(values_only=True):
        n += 1
        cells += sum(1 for v in row if v is not None)
    print("openpyxl: %d rows, %d cells" % (n, cells))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--read":
        read(sys.argv[2])
    elif len(sys.argv) >= 2:
        write(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10000)
    else:
        sys.exit(__doc__)
