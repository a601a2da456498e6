#!/usr/bin/python3
"""gen_bank.py - write a question-bank xlsx (the template's columns A-H) of N distinct questions.

The questions read like a trade's theory bank: a few dozen sentence patterns filled from a
vocabulary of automotive terms, so that different questions share the boilerplate that makes
trigram similarity hard ("下列关于…的说法中，正确的是（ ）。"). Single, multi and judge questions,
basic and related knowledge, in the mix a real bank has. Deterministic for a seed.

  /usr/bin/python3 bench/import/gen_bank.py OUT.xlsx [--count 10000] [--seed 1] [--csv]
  --csv        write CSV instead
"""
import argparse
import csv
import random

PARTS = ["发动机", "曲轴", "凸轮轴", "活塞", "活塞环", "连杆", "气门", "气门弹簧", "正时皮带", "水泵", "节温器",
         "散热器", "机油泵", "机油滤清器", "燃油泵", "喷油器", "节气门", "进气歧管", "排气歧管", "三元催化器",
         "氧传感器", "点火线圈", "火花塞", "蓄电池", "发电机", "起动机", "离合器", "离合器从动盘", "变速器",
         "同步器", "主减速器", "差速器", "半轴", "传动轴", "万向节", "驱动桥", "转向器", "转向节", "横拉杆",
         "减振器", "螺旋弹簧", "钢板弹簧", "稳定杆", "制动主缸", "制动轮缸", "制动盘", "制动钳", "制动鼓",
         "真空助力器", "驻车制动器", "轮胎", "轮辋", "轮毂轴承", "车架", "副车架", "车身", "焊点", "涂层",
         "密封条", "安全气囊", "空调压缩机", "冷凝器", "蒸发器", "膨胀阀", "雨刮电机", "组合仪表", "线束",
         "保险丝", "继电器", "电子控制单元", "CAN总线", "车速传感器", "曲轴位置传感器", "爆震传感器"]
PROPS = ["间隙", "预紧力", "拧紧力矩", "工作温度", "工作压力", "自由行程", "磨损量", "平面度", "圆度", "跳动量",
         "电阻值", "输出电压", "绝缘电阻", "流量", "转速", "扭矩", "装配顺序", "润滑方式", "检测周期", "更换周期"]
TOOLS = ["扭力扳手", "塞尺", "百分表", "千分尺", "游标卡尺", "万用表", "示波器", "故障诊断仪", "气缸压力表",
         "真空表", "轮胎气压表", "四轮定位仪", "制动试验台", "尾气分析仪", "兆欧表", "拉力计"]
ACTIONS = ["拆卸", "安装", "调整", "检查", "清洗", "润滑", "紧固", "更换", "测量", "校准"]
UNITS = [("N·m", (5, 260)), ("mm", (1, 90)), ("MPa", (1, 20)), ("℃", (60, 120)), ("V", (5, 28)), ("kPa", (50, 600))]
RELATED = ["安全生产法", "劳动合同法", "环境保护法", "职业道德", "质量管理体系", "5S管理", "安全色标", "消防器材",
           "劳动防护用品", "危险化学品", "特种设备", "有限空间作业", "电气安全", "机械制图", "公差与配合"]

SINGLE = [
    "{p}的{q}一般用（　）进行测量。",
    "{a}{p}时，首先应当（　）。",
    "下列关于{p}{q}的说法中，正确的是（　）。",
    "{p}的主要作用是（　）。",
    "装配{p}时，其{q}应符合（　）的要求。",
    "检测{p}的{q}时，应选用的工具是（　）。",
    "按照{r}的规定，下列做法正确的是（　）。",
    "{p}{q}过大会导致（　）。",
]
MULTI = [
    "下列属于{p}常见故障原因的有（　）。",
    "{a}{p}时，需要使用的工具有（　）。",
    "影响{p}{q}的因素包括（　）。",
    "依据{r}，下列说法正确的有（　）。",
    "{p}装配完成后，应检查的项目有（　）。",
]
JUDGE = [
    "{p}的{q}可以凭经验判断，不必使用{t}测量。",
    "{a}{p}前应先断开蓄电池负极。",
    "{p}的{q}超过规定值时必须{a}。",
    "{r}要求从业人员正确佩戴{w}。",
    "使用{t}前应检查其是否在检定有效期内。",
]
EFFECTS = ["异响", "过热", "漏油", "抖动", "跑偏", "功率下降", "油耗增加", "起动困难", "制动距离变长", "早期磨损"]


def options(rng, n):
    kind = rng.randrange(4)
    if kind == 0:
        return rng.sample(TOOLS, n)
    if kind == 1:
        unit, (lo, hi) = rng.choice(UNITS)
        vals = sorted(rng.sample(range(lo, hi + 1), n))
        return ["%d%s" % (v, unit) for v in vals]
    if kind == 2:
        return rng.sample(EFFECTS, n)
    return ["%s%s" % (a, p) for a, p in zip(rng.sample(ACTIONS, n), rng.sample(PARTS, n))]


def question(rng):
    r = rng.random()
    fill = dict(p=rng.choice(PARTS), q=rng.choice(PROPS), a=rng.choice(ACTIONS), t=rng.choice(TOOLS),
                r=rng.choice(RELATED), w=rng.choice(["安全帽", "防护眼镜", "绝缘手套", "防尘口罩", "工作服"]))
    kind = "相关知识" if rng.random() < 0.3 else "基础知识"
    if r < 0.6:
        n = rng.choice([4, 4, 4, 3, 2])
        return [rng.choice(SINGLE).format(**fill), "单选题"] + pad(options(rng, n)) + [chr(65 + rng.randrange(n)), kind]
    if r < 0.8:
        n = rng.choice([4, 4, 3])
        k = rng.randrange(2, n + 1)
        ans = ",".join(sorted(chr(65 + i) for i in rng.sample(range(n), k)))
        return [rng.choice(MULTI).format(**fill), "多选题"] + pad(options(rng, n)) + [ans, kind]
    return [rng.choice(JUDGE).format(**fill), "判断题", None, None, None, None, rng.choice(["对", "错"]), kind]


def pad(opts):
    return list(opts) + [None] * (4 - len(opts))


HEADER = ["题干", "题型(单选题、多选题、判断题)", "选项A", "选项B", "选项C", "选项D", "正确答案", "类型(基础知识、相关知识)"]


def bank(count, seed):
    rng = random.Random(seed)
    seen = set()
    out = []
    while len(out) < count:
        q = question(rng)
        key = (q[0],) + tuple(q[2:6])
        if key in seen:
            continue
        seen.add(key)
        out.append(q)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--csv", action="store_true")
    a = ap.parse_args()
    rows = bank(a.count, a.seed)
    if a.csv:
        with open(a.out, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(HEADER)
            for r in rows:
                w.writerow(["" if v is None else v for v in r])
        return
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("题库")
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(a.out)


if __name__ == "__main__":
    main()
