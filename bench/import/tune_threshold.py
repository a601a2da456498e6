#!/usr/bin/env python3
"""tune_threshold.py - choose the near-duplicate threshold of the bank import (R27) on labelled pairs.

A near-duplicate is the same question reworded: a word swapped for a synonym, a particle added,
the options reordered or one of them changed. A different question may still share most of its
words with another: the trades' banks are written from a few sentence patterns ("装配…时，其…应符合
（　）的要求"), and those pairs must not be flagged. This script builds both kinds of pairs:

  positives  each of 40 hand-written base questions, rewritten by the edits people make (one or two
             synonyms, a modifier added or dropped, options reordered, one option replaced, ...)
  negatives  every pair of different base questions, and pairs of bench questions
             (gen_bank.py) that share a sentence pattern but not the subject ("hard negatives")

normalises them as lib/paper_sheet.c does (paper_normalize: white space dropped, full-width
ASCII and CJK punctuation folded; stem and options joined by U+001F), asks PostgreSQL's pg_trgm
for similarity() of every pair, and prints precision, recall and F1 for each threshold.

  KAOWU_HOME=... KAOWU_PG_PORT=... python3 bench/import/tune_threshold.py
"""
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_bank  # noqa: E402

BASE = [
    ("车轮前束是为了调整（　）所带来的不良后果而设置的。", ["主销后倾", "主销内倾", "车轮外倾", "车轮内倾角"]),
    ("在一正常工作的白炽灯交流电路中串入一个电感线圈，白炽灯将（　）。", ["变暗", "不变", "变亮", "烧坏"]),
    ("汽车制动系的作用是将（　）由踏板输入的机械推力转换成液压力。", ["制动主缸推杆", "后活塞", "制动轮缸"]),
    ("发动机曲轴的轴向间隙一般用（　）进行测量。", ["塞尺", "百分表", "游标卡尺", "千分尺"]),
    ("装配气门弹簧时，其预紧力应符合（　）的要求。", ["维修手册", "经验数据", "同类车型", "操作习惯"]),
    ("离合器踏板自由行程过大会造成（　）。", ["离合器分离不彻底", "离合器打滑", "踏板沉重", "起步发抖"]),
    ("汽油发动机的点火顺序通常为（　）。", ["1-3-4-2", "1-2-3-4", "1-4-3-2", "1-2-4-3"]),
    ("蓄电池电解液液面应高出极板（　）。", ["5～10mm", "10～15mm", "15～20mm", "20～25mm"]),
    ("检查轮胎气压应在轮胎（　）状态下进行。", ["冷态", "热态", "行驶后", "任意"]),
    ("三元催化器的最佳工作温度约为（　）。", ["200℃", "400～800℃", "1000℃以上", "100℃"]),
    ("氧传感器安装在（　）。", ["进气歧管", "排气管", "燃油箱", "节气门体"]),
    ("液压制动系统中，制动液的沸点过低会导致（　）。", ["气阻", "制动跑偏", "制动拖滞", "制动噪声"]),
    ("下列属于汽车行驶系的部件有（　）。", ["车架", "车桥", "悬架", "转向器"]),
    ("发动机冷却系的主要部件包括（　）。", ["水泵", "节温器", "散热器", "机油泵"]),
    ("引起发动机过热的原因可能有（　）。", ["冷却液不足", "节温器失效", "风扇不转", "点火过早"]),
    ("下列关于ABS的说法中，正确的有（　）。", ["防止车轮抱死", "缩短所有路面制动距离", "保持转向能力", "提高制动稳定性"]),
    ("汽车电路中保险丝的作用包括（　）。", ["过载保护", "短路保护", "稳压", "整流"]),
    ("拆卸蓄电池时应先拆下负极接线。", []),
    ("发动机机油应在热车状态下检查油位。", []),
    ("转向横拉杆球头松旷会引起转向盘自由行程过大。", []),
    ("使用扭力扳手前应检查其是否在检定有效期内。", []),
    ("涂装前必须对工件表面进行预处理。", []),
    ("焊接作业时必须佩戴防护面罩。", []),
    ("汽车空调系统中膨胀阀的作用是（　）。", ["节流降压", "压缩制冷剂", "冷凝制冷剂", "储存制冷剂"]),
    ("在汽车总装线上，拧紧车轮螺母应采用（　）顺序。", ["对角交叉", "顺时针", "逆时针", "任意"]),
    ("电控燃油喷射系统中，确定基本喷油量的主要信号是（　）。", ["进气量和转速", "水温", "节气门位置", "车速"]),
    ("手动变速器中同步器的作用是（　）。", ["使换挡平顺", "增大扭矩", "减小噪声", "防止跳挡"]),
    ("主减速器的作用是（　）。", ["降速增扭", "增速减扭", "改变动力方向", "差速"]),
    ("差速器的作用是使左右车轮能以不同的（　）旋转。", ["转速", "扭矩", "方向", "角度"]),
    ("职业道德的基本要求包括（　）。", ["爱岗敬业", "诚实守信", "办事公道", "追求利润"]),
    ("《安全生产法》规定，从业人员有权拒绝（　）。", ["违章指挥", "强令冒险作业", "加班", "培训"]),
    ("5S管理的内容是整理、整顿、清扫、清洁和（　）。", ["素养", "安全", "节约", "学习"]),
    ("机械制图中，可见轮廓线用（　）绘制。", ["粗实线", "细实线", "虚线", "点画线"]),
    ("公差等级中，IT7比IT9的精度（　）。", ["高", "低", "相同", "无法比较"]),
    ("灭火器压力表指针在绿区表示（　）。", ["压力正常", "压力不足", "压力过高", "已失效"]),
    ("在有限空间作业前必须进行气体检测。", []),
    ("发电机不发电时，充电指示灯会一直点亮。", []),
    ("轮胎花纹深度低于1.6mm时应更换轮胎。", []),
    ("汽车前照灯的检测项目包括（　）。", ["发光强度", "光束照射位置", "灯泡功率", "灯罩颜色"]),
    ("下列工具中，用于测量气缸磨损的是（　）。", ["量缸表", "塞尺", "钢直尺", "卡钳"]),
]

SYN = [("一般", "通常"), ("应", "应当"), ("下列", "以下"), ("会造成", "会导致"), ("的作用是", "的功用是"),
       ("主要", ""), ("包括", "包含"), ("必须", "应"), ("进行", ""), ("可能有", "可能包括"), ("时，", "的时候，"),
       ("约为", "大约为"), ("安装在", "装在"), ("是为了", "是用来"), ("通常为", "一般为"), ("属于", "是"),
       ("其", "它的"), ("使用", "用"), ("检查", "检测"), ("作业", "工作")]


def normalize(s):
    """paper_normalize() of lib/paper_sheet.c."""
    fold = {0x3002: ".", 0xff61: ".", 0x00b7: ".", 0x30fb: ".", 0x3001: ",", 0xff64: ",",
            0x201c: '"', 0x201d: '"', 0x300c: '"', 0x300d: '"', 0x300e: '"', 0x300f: '"',
            0x2018: "'", 0x2019: "'", 0x3010: "[", 0x3016: "[", 0x3011: "]", 0x3017: "]",
            0x3014: "(", 0xfe59: "(", 0x3015: ")", 0xfe5a: ")", 0x300a: "<", 0x3008: "<",
            0x300b: ">", 0x3009: ">", 0x2026: "...", 0x2013: "-", 0x2014: "-", 0x2015: "-", 0x2212: "-"}
    out = []
    for ch in s:
        cp = ord(ch)
        if ch.isspace() or cp in (0x200b, 0xfeff):
            continue
        if 0xff01 <= cp <= 0xff5e:
            out.append(chr(cp - 0xfee0))
        elif cp in fold:
            out.append(fold[cp])
        else:
            out.append(ch)
    return "".join(out)


def norm(stem, options):
    return "\x1f".join([normalize(stem)] + [normalize(o) for o in options])


def rewrites(rng, stem, options):
    """Near-duplicates of one question, each with the name of the edit."""
    out = []
    subs = [(a, b) for a, b in SYN if a in stem]
    if subs:
        a, b = rng.choice(subs)
        out.append(("one synonym", stem.replace(a, b, 1), options))
    if len(subs) >= 2:
        (a1, b1), (a2, b2) = rng.sample(subs, 2)
        out.append(("two synonyms", stem.replace(a1, b1, 1).replace(a2, b2, 1), options))
    for word in ("汽车", "发动机"):
        if word in stem:
            out.append(("a word dropped", stem.replace(word, "", 1), options))
            break
    else:
        out.append(("a modifier added", "汽车" + stem, options))
    out.append(("punctuation and particles", stem.replace("（　）", "(  )").rstrip("。") + "。", options))
    if options:
        shuffled = options[:]
        while len(shuffled) > 1 and shuffled == options:
            rng.shuffle(shuffled)
        out.append(("options reordered", stem, shuffled))
        changed = options[:]
        changed[-1] = changed[-1] + "均可"
        out.append(("one option changed", stem, changed))
        if subs:
            a, b = subs[0]
            out.append(("synonym and option reordered", stem.replace(a, b, 1), list(reversed(options))))
    else:
        out.append(("judge reworded", stem.replace("。", "").replace("时", "的时候") + "。", options))
    return out


def pairs():
    rng = random.Random(7)
    pos, neg = [], []
    for stem, options in BASE:
        for edit, s2, o2 in rewrites(rng, stem, options):
            if norm(stem, options) != norm(s2, o2):
                pos.append((edit, norm(stem, options), norm(s2, o2)))
    for i, (s1, o1) in enumerate(BASE):
        for s2, o2 in BASE[i + 1:]:
            neg.append(("different questions", norm(s1, o1), norm(s2, o2)))
    # hard negatives: bench questions of one sentence pattern with other subjects
    bank = gen_bank.bank(3000, 11)
    by_pattern = {}
    for q in bank:
        key = q[0][:6] + q[0][-8:]
        by_pattern.setdefault(key, []).append(q)
    hard = []
    for group in by_pattern.values():
        for a, b in zip(group, group[1:]):
            hard.append(("same pattern, other subject", norm(a[0], [x for x in a[2:6] if x]),
                         norm(b[0], [x for x in b[2:6] if x])))
    rng.shuffle(hard)
    neg += hard[:2000]
    return pos, neg


def similarities(rows):
    """pg_trgm similarity() of each (label, a, b) on the instance's database."""
    home = os.environ.get("KAOWU_HOME")
    port = os.environ.get("KAOWU_PG_PORT")
    if not home or not port:
        sys.exit("set KAOWU_HOME and KAOWU_PG_PORT of a running instance")
    conn = "host=%s/run port=%s dbname=kaowu user=kaowu" % (home, port)
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as f:
        for i, (_, a, b) in enumerate(rows):
            f.write("%d\t%s\t%s\n" % (i, a.replace("\\", "\\\\"), b.replace("\\", "\\\\")))
        path = f.name
    sql = ("CREATE TEMP TABLE p (i int, a text, b text);\n\\copy p FROM '%s'\n"
           "SELECT i, similarity(a, b) FROM p ORDER BY i;\n" % path)
    out = subprocess.run(["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-d", conn], input=sql,
                         capture_output=True, text=True, check=True).stdout
    os.unlink(path)
    return [float(line.split("|")[1]) for line in out.splitlines() if "|" in line]


def main():
    pos, neg = pairs()
    sims = similarities(pos + neg)
    ps, ns = sims[: len(pos)], sims[len(pos):]
    print("pairs: %d near-duplicates, %d different questions (%d of them sharing a sentence pattern)"
          % (len(pos), len(neg), sum(1 for n in neg if n[0].startswith("same"))))
    print("\nsimilarity of near-duplicates by edit (min / median):")
    by_edit = {}
    for (edit, _, _), s in zip(pos, ps):
        by_edit.setdefault(edit, []).append(s)
    for edit, v in sorted(by_edit.items()):
        v.sort()
        print("  %-30s %3d pairs  %.3f / %.3f" % (edit, len(v), v[0], v[len(v) // 2]))
    by_kind = {}
    for (kind, _, _), s in zip(neg, ns):
        by_kind.setdefault(kind, []).append(s)
    print("similarity of different questions (max / 99th percentile):")
    for kind, v in sorted(by_kind.items()):
        v.sort()
        print("  %-30s %4d pairs  %.3f / %.3f" % (kind, len(v), v[-1], v[int(len(v) * 0.99)]))
    print("\nthreshold  flagged-near  flagged-different  precision  recall  F1")
    best = None
    for k in range(30, 91, 5):
        t = k / 100
        tp = sum(1 for s in ps if s >= t)
        fp = sum(1 for s in ns if s >= t)
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / len(ps)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0
        print("  %.2f     %4d/%d      %4d/%d       %.3f     %.3f   %.3f" % (t, tp, len(ps), fp, len(ns), prec, rec, f1))
        if best is None or f1 > best[1] + 1e-9:
            best = (t, f1)
    print("\nbest F1 at threshold %.2f (lib/paper.h PAPER_NEAR_THRESHOLD)" % best[0])


if __name__ == "__main__":
    main()
