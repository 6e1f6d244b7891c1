#!/usr/bin/env python3
"""Build data/catalog/*.csv from the real-report fixtures, and check them.

Reads ONLY:
  fixtures/reports/*.txt                      (the eight real 决算 reports)
  fixtures/budget/*.txt                       (the eleven real 预算 reports, 2017-2026)
  data/catalog/sources/economic_*_PARTIAL.csv (copies of the partial official lists)

Usage (from the repository root, Python 3.11):
  python3 tools/catalog/extract.py dump    # every code occurrence with its reconstructed name
  python3 tools/catalog/extract.py build   # (re)write data/catalog/{function,economic,economic_gov,function_descriptions}.csv
  python3 tools/catalog/extract.py check   # self-check of the CSVs against the fixtures; exit 1 on failure

The name reconstruction is heuristic (see PROVENANCE.md); every row it writes was
reviewed by hand against the text, and the hand decisions (conflicts, extraction
artefacts, misprinted codes) are the explicit tables RESOLVED_FUNCTION / RESOLVED_ECONOMIC /
GARBLED / MISPRINTED below.
"""
from __future__ import annotations

import csv
import re
import sys
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "fixtures" / "reports"
BUD = ROOT / "fixtures" / "budget"
OUT = ROOT / "data" / "catalog"
SRC = OUT / "sources"

SEED = "wuhan-hongshan-kjj-2023.txt"
CORPUS = [
    "01_shanghai-putuo-czj-2024.txt",
    "02_shanghai-putuo-ghzyj-2024.txt",
    "03_shanghai-putuo-shgzb-2024.txt",
    "04_shanghai-putuo-sthjj-2025.txt",
    "05_shanghai-putuo-wlj-2025.txt",
    "06_shanghai-putuo-sqljd-2025.txt",
    "07_shanghai-putuo-ycljd-2025.txt",
]
# Budget reports: every text in fixtures/budget, read by table shape (parse_budget), whatever
# the region or year. The year is the one the file name gives (`…-2025-budget.txt`).
BUDGET = sorted(p.name for p in BUD.glob("*.txt"))
FILES = [SEED] + CORPUS + BUDGET
YEAR = {SEED: 2023, **{f: int(f[-8:-4]) for f in CORPUS},
        **{f: int(re.search(r"-(\d{4})-budget\.txt$", f).group(1)) for f in BUDGET}}
# 01-03: pypdfium2 (a wrapped label continues on the following line(s));
# 04-07: pdfplumber (label lines are vertically centred on the row: as many lines above as below).
LAYOUT = {f: ("A" if f[:2] in ("01", "02", "03") else "B") for f in CORPUS}

FUNC_TITLES = [
    "收入决算表",
    "支出决算表",
    "一般公共预算财政拨款支出决算表",
    "政府性基金预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款收入支出决算表",
]
ECON_TITLES = ["一般公共预算财政拨款基本支出决算表"]
TOTAL_TITLES = ["收入支出决算总表", "财政拨款收入支出决算总表"]
OTHER_TITLES = ['财政拨款“三公”经费支出决算表']
ALL_TITLES = FUNC_TITLES + ECON_TITLES + TOTAL_TITLES + OTHER_TITLES

# The 26 function 类 printed, in this fixed order and without codes, in the 总表s
# (seed 公开01/公开04; corpus 收入支出决算总表/财政拨款收入支出决算总表: the 2024/2025 corpus
# template prints 24 of them, without 债务还本/债务付息). The code of each position is the
# one given in the project's DOMAIN.md; 15 of the 26 are also printed with their code in
# a 类 row of a function table (the check verifies those agree).
TOTAL_LEI = [
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"),
    ("204", "公共安全支出"), ("205", "教育支出"), ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"), ("211", "节能环保支出"), ("212", "城乡社区支出"),
    ("213", "农林水支出"), ("214", "交通运输支出"), ("215", "资源勘探工业信息等支出"),
    ("216", "商业服务业等支出"), ("217", "金融支出"), ("219", "援助其他地区支出"),
    ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"), ("229", "其他支出"), ("231", "债务还本支出"),
    ("232", "债务付息支出"), ("234", "抗疫特别国债安排的支出"),
]
CN_NUM = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
          "十四", "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三",
          "二十四", "二十五", "二十六"]

# ---------------------------------------------------------------------------------------
# Hand decisions (reviewed against the text; every one is listed in PROVENANCE.md)
# ---------------------------------------------------------------------------------------
# Occurrences whose label the PDF extraction garbled (interleaved characters) or truncated
# (the wrapped second line was dropped). They still attest the CODE, but are not used as
# evidence for the name; the check verifies the chosen name is a subsequence of the window.
GARBLED = {
    # corpus 04 page 14 (一般公共预算财政拨款支出决算表): wrapped labels interleaved
    ("04_shanghai-putuo-sthjj-2025.txt", 280): "tail 险缴费支出 interleaved into line 282",
    ("04_shanghai-putuo-sthjj-2025.txt", 281): "label interleaved on line 282 with the tail of 2080505",
    ("04_shanghai-putuo-sthjj-2025.txt", 284): "label interleaved on line 285 with the tail of 2080506",
    ("04_shanghai-putuo-sthjj-2025.txt", 287): "label 抚恤 printed as 出抚恤 (tail 出 of 2080599 interleaved)",
    ("04_shanghai-putuo-sthjj-2025.txt", 301): "tail 出 of the label printed on line 303 before 污染防治",
    ("04_shanghai-putuo-sthjj-2025.txt", 302): "label 污染防治 printed as 出污染防治 (tail 出 of 2110199 interleaved)",
    # corpus 04 page 8 (收入决算表): the wrapped second line of two labels is missing
    ("04_shanghai-putuo-sthjj-2025.txt", 150): "label truncated: 机关事业单位基本养老保险 (缴费支出 lost)",
    ("04_shanghai-putuo-sthjj-2025.txt", 151): "label truncated: 机关事业单位职业年金缴费 (支出 lost)",
}

# code -> (chosen name, reason). Only codes whose printed names disagree.
RESOLVED_FUNCTION: dict[str, tuple[str, str]] = {
    "20805": ("行政事业单位养老支出",
              "行政事业单位离退休 is the older name: the Jiangsu budgets of 2017-2019 print it (08b, 09b, 10b, 11b); "
              "every 2023-2026 report prints 行政事业单位养老支出 (the seed, 01-05 and 07 决算, Shanghai budgets 01b-07b) "
              "except 06 决算 (2025; lines 168, 270, 440-441), which still prints the older name; "
              "the current name is kept"),
    "2111101": ("生态环境监测与信息",
                "04 (2025, the ecology-environment bureau) prints 2111101 生态环境监测与信息 (lines 173, 220, 309); "
                "06 (2025) prints 2111101 减排专项支出 (lines 198, 302, 483), while 07 (2025) prints "
                "减排专项支出 under 2111103 (lines 189, 303, 489): 06 most likely mis-coded 2111103. "
                "The name printed by 04 is kept; 06's pair is recorded as a conflict"),
    "22198": ("超长期特别国债安排的支出",
              "07 决算 (2025) prints 22198 超长期特别国债安排的支出 (lines 215, 329, 627); 07b (2026 budget, a text "
              "without its PDF) prints 22198 其他住房保障支出 (lines 275, 359, 488), the name of the 项 2219899 below it. "
              "In every table of the fixtures a 款 named 其他…支出 is coded 99 (so 其他住房保障支出 would be 22199), and a "
              "款 named like the one 项 under it is otherwise unknown; 07b's label is taken for a misprint and 07's name is kept"),
}
RESOLVED_ECONOMIC: dict[str, tuple[str, str]] = {
    "30108": ("机关事业单位基本养老保险缴费",
              "05b (2024 budget, line 300) prints 机关事业单位基本养老保险费; every other report, 2018-2026, prints "
              "机关事业单位基本养老保险缴费 (16 rows); 05b's label is a misprint"),
    "30307": ("医疗费补助",
              "10b (2017 budget, pre-2018 economic classification) prints 30307 医疗费 (lines 409, 476); the seed (2023) "
              "and 01-04 决算 (2024-2025) print 医疗费补助; the current name is kept"),
    "30311": ("代缴社会保险费",
              "10b (2017 budget, pre-2018 classification) prints 30311 住房公积金 (lines 411, 478; from 2018 住房公积金 is "
              "30113, printed by 08b-11b and every later report); the seed (2023) and 01-03 决算 (2024) print "
              "代缴社会保险费; the current name is kept"),
    "310": ("资本性支出",
            "10b (2017 budget, pre-2018 classification) prints 310 其他资本性支出 (line 503); the seed, 01-03 and 05 决算 "
            "and the 2025 budgets 01b, 02b, 06b print 资本性支出; the current name is kept"),
}

CODE_FUNC_START = re.compile(r"^(2\d{2})(?: (\d{2}))?(?: (\d{2}))?(?=\s|$)|^(2\d{4}|2\d{6})(?=\s|$)")
AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
PAGE = re.compile(r"^=== 第\d+页 ===$")


def read(name: str) -> list[str]:
    return ((BUD if name in BUDGET else FIX) / name).read_text(encoding="utf-8").split("\n")


def nospace(s: str) -> str:
    return re.sub(r"\s+", "", s)


def level_of(code: str) -> str:
    return {3: "类", 5: "款", 7: "项"}[len(code)]


def parent_of(code: str) -> str:
    return {3: "", 5: code[:3], 7: code[:5]}[len(code)]


@dataclass
class Occ:
    code: str
    file: str
    line: int            # 1-based
    table: str
    kind: str            # "function" | "economic" | "total"
    name: str            # reconstructed label ("" if none could be reconstructed)
    window: list[str] = field(default_factory=list)  # text pieces near the row, for checking
    col: int = 0         # economic tables: column index on the printed line
    above: list[list[str]] = field(default_factory=list)  # free label lines above (nearest last), as alternative pieces
    below: list[list[str]] = field(default_factory=list)  # free label lines below (nearest first)
    seg: str = ""        # label text printed on the code line itself

    @property
    def loc(self) -> str:
        return f"{self.file}:{self.line}"


# ---------------------------------------------------------------------------------------
# Seed (tab-separated tables, 公开01-09)
# ---------------------------------------------------------------------------------------
def seed_sections(lines: list[str]) -> list[tuple[str, int, int]]:
    """[(表号, first line index, end index)] for 公开01..09 (0-based, end exclusive)."""
    marks = [(i, l.strip()) for i, l in enumerate(lines) if re.fullmatch(r"公开0\d表", l.strip())]
    end_all = next(i for i, l in enumerate(lines) if l.startswith("第三部分"))
    out = []
    for k, (i, t) in enumerate(marks):
        j = marks[k + 1][0] if k + 1 < len(marks) else end_all
        out.append((t, i, j))
    return out


def parse_seed() -> list[Occ]:
    lines = read(SEED)
    occs: list[Occ] = []
    for t, a, b in seed_sections(lines):
        for i in range(a, b):
            cells = lines[i].split("\t")
            if t in ("公开01表", "公开04表"):
                if len(cells) > 3:
                    m = re.fullmatch(r"(一|二|三|四|五|六|七|八|九|十|十一|十二|十三|十四|十五|十六|十七|十八|十九|二十|二十一|二十二|二十三|二十四|二十五|二十六)、(.+)", cells[3].strip())
                    if m:
                        pos = CN_NUM.index(m.group(1))
                        occs.append(Occ(TOTAL_LEI[pos][0], SEED, i + 1, t, "total", m.group(2)))
            elif t == "公开06表":
                for k in (0, 3, 6):
                    if len(cells) > k + 1 and re.fullmatch(r"3\d{2}(\d{2})?", cells[k].strip()):
                        occs.append(Occ(cells[k].strip(), SEED, i + 1, t, "economic", cells[k + 1].strip(), col=k // 3))
            else:
                c0 = cells[0].strip()
                if re.fullmatch(r"2\d{2}(\d{2}){0,2}", c0):
                    name = next(c.strip() for c in cells[1:] if c.strip())
                    occs.append(Occ(c0, SEED, i + 1, t, "function", name))
    for o in occs:
        o.window = [o.name]
        o.seg = o.name
    return occs


# ---------------------------------------------------------------------------------------
# Corpus (space-separated text extracted from PDF)
# ---------------------------------------------------------------------------------------
def corpus_sections(lines: list[str]) -> list[tuple[str, int, int]]:
    """Table sections between the first 收入支出决算总表 and 第三部分 (0-based, end exclusive)."""
    starts = []
    for i, l in enumerate(lines):
        s = l.strip()
        if s in ALL_TITLES:
            starts.append((i, s))
    first = starts[0][0]
    end_all = next(i for i, l in enumerate(lines) if i > first and l.startswith("第三部分"))
    out = []
    for k, (i, t) in enumerate(starts):
        j = starts[k + 1][0] if k + 1 < len(starts) else end_all
        out.append((t, i, j))
    return out


def is_amount_line(s: str) -> bool:
    toks = s.split()
    return bool(toks) and all(AMOUNT.match(t) for t in toks)


def split_text_amounts(s: str) -> tuple[str, bool]:
    """Text part of a line (amount tokens removed) and whether it carried amounts."""
    toks = s.split()
    txt = [t for t in toks if not AMOUNT.match(t)]
    return "".join(txt), len(txt) != len(toks)


def func_code(s: str):
    m = CODE_FUNC_START.match(s)
    if not m:
        return None
    if m.group(4):
        return m.group(4), s[m.end():]
    return "".join(g for g in m.groups()[:3] if g), s[m.end():]


HEADER_HINT = re.compile(r"科目|编码|^码$|^编$|合计|类 款|决算数|功能分|^项目|^经济分|^类$|^款$|^类科目|单位：")


def parse_function_table(fname: str, lines: list[str], title: str, a: int, b: int) -> list[Occ]:
    """Rows of one function-classification table."""
    rows = []          # (idx, code, text on code line, has_amounts)
    free = {}          # idx -> text of a free label line (no code, not amounts-only)
    end = b
    for i in range(a + 1, b):
        s = lines[i].strip()
        if s.startswith("注：") or s.startswith("说明："):
            end = i
            break
        if rows and (s.startswith("合计") and is_amount_line(s[2:].strip() or "0")):
            end = i
            break
        fc = func_code(s)
        if fc:
            txt, has_amt = split_text_amounts(fc[1])
            rows.append((i, fc[0], txt, has_amt))
        elif s and not PAGE.match(s) and not is_amount_line(s):
            txt, has_amt = split_text_amounts(s)
            free[i] = (txt, has_amt)
    if not rows:
        return []
    # header: the last header-looking free line before the first row
    first = rows[0][0]
    hdr = max([i for i in free if i < first and HEADER_HINT.search(lines[i])] + [a])
    for i in list(free):
        if i <= hdr:
            del free[i]
    occs = []
    layout = LAYOUT[fname]
    row_idx = [r[0] for r in rows]

    def free_between(lo, hi):
        return [i for i in sorted(free) if lo < i < hi]

    taken: set[int] = set()
    for k, (i, code, txt, has_amt) in enumerate(rows):
        prev_i = row_idx[k - 1] if k else hdr
        next_i = row_idx[k + 1] if k + 1 < len(rows) else end
        before = [j for j in free_between(prev_i, i) if j not in taken]
        after = free_between(i, next_i)
        pieces_before: list[int] = []
        pieces_after: list[int] = []
        if layout == "A":
            # label continues on the following lines until amounts are met
            if not has_amt:
                for j in range(i + 1, next_i):
                    s = lines[j].strip()
                    if not s or PAGE.match(s):
                        continue
                    if is_amount_line(s):
                        break
                    if j in free:
                        pieces_after.append(j)
                        if free[j][1]:
                            break
        else:
            if fname.startswith("04"):
                # 04: label starts on the code line (or the next line) and continues below
                pieces_after = after
            else:
                pieces_before = before
                n = len(before)
                pieces_after = after[:n]
        for j in pieces_before + pieces_after:
            taken.add(j)
        name = "".join([free[j][0] for j in pieces_before] + [txt] + [free[j][0] for j in pieces_after])
        window = [free[j][0] for j in before] + [txt] + [free[j][0] for j in after]
        occs.append(Occ(code, fname, i + 1, title, "function", nospace(name), window=window,
                        above=[[free[j][0]] for j in before], below=[[free[j][0]] for j in after], seg=txt))
    return occs


def econ_entries(s: str):
    """Split a basic-expenditure line into entries [(code, label text, has_amount)]; plus leading text."""
    toks = s.split()
    out = []
    lead = []
    cur = None
    i = 0
    while i < len(toks):
        t = toks[i]
        if re.fullmatch(r"3\d{2}", t) and i + 1 < len(toks) and re.fullmatch(r"\d{2}", toks[i + 1]):
            code = t + toks[i + 1]
            i += 2
        elif re.fullmatch(r"3\d{4}", t) or (re.fullmatch(r"3\d{2}", t)):
            code = t
            i += 1
        else:
            code = None
        if code:
            cur = [code, [], False]
            out.append(cur)
            continue
        if AMOUNT.match(t):
            if cur is not None:
                cur[2] = True
            i += 1
            continue
        if cur is None:
            lead.append(t)
        else:
            if cur[2]:
                lead.append(t)   # text after an amount without a code: stray
            else:
                cur[1].append(t)
        i += 1
    return [(c, "".join(t), h) for c, t, h in out], "".join(lead)


def parse_economic_table(fname: str, lines: list[str], title: str, a: int, b: int) -> list[Occ]:
    occs = []
    layout = LAYOUT[fname]
    entries_at = {}
    free = {}
    for i in range(a + 1, b):
        s = lines[i].strip()
        if s.startswith("注：") or s.startswith("人员经费合计"):
            b = i
            break
        if not s or PAGE.match(s):
            continue
        ents, lead = econ_entries(s)
        if ents:
            entries_at[i] = (ents, lead)
        elif not is_amount_line(s):
            free[i] = s
    first = min(entries_at)
    for i in list(free):
        if i < first and HEADER_HINT.search(free[i]):
            del free[i]
    first_hdr = max([i for i in range(a, first) if HEADER_HINT.search(lines[i])] + [a])
    for i in list(free):
        if i <= first_hdr:
            del free[i]
    idxs = sorted(entries_at)
    for k, i in enumerate(idxs):
        ents, lead = entries_at[i]
        prev_i = idxs[k - 1] if k else first_hdr
        next_i = idxs[k + 1] if k + 1 < len(idxs) else b
        before = [free[j] for j in sorted(free) if prev_i < j < i]
        after = [free[j] for j in sorted(free) if i < j < next_i]
        for col, (code, txt, has_amt) in enumerate(ents):
            name = txt
            if layout == "A" and not has_amt and col == len(ents) - 1:
                # continuation on the next line(s): first text token(s) of the next line(s)
                for j in range(i + 1, next_i + 1):
                    s = lines[j].strip()
                    if not s or PAGE.match(s):
                        continue
                    if j in entries_at:
                        if entries_at[j][1]:
                            name += entries_at[j][1]
                        break
                    if j in free:
                        t2, amt2 = split_text_amounts(free[j])
                        name += t2
                        if amt2:
                            break
                    elif is_amount_line(s):
                        break
            if layout == "B" and (before or after or not has_amt):
                # pdfplumber: labels wrap above/below in two columns; not reconstructed here
                # (the check verifies the catalog name can be re-formed from the pieces)
                name = ""

            def parts(s):
                p = s.split()
                return [nospace(s)] + p if len(p) > 1 else [nospace(s)]
            window = [x for s in before for x in parts(s)] + [txt] + [x for s in after for x in parts(s)]
            if lead:
                window.append(lead)
            below = [parts(x) for x in after]
            if next_i in entries_at and entries_at[next_i][1]:
                below.append([entries_at[next_i][1]])   # label text leading the next entry line
            occs.append(Occ(code, fname, i + 1, title, "economic", nospace(name), window=window, col=col,
                            above=[parts(x) for x in before], below=below, seg=txt))
    return occs


def parse_total(fname: str, lines: list[str], title: str, a: int, b: int) -> list[Occ]:
    """类 rows (Chinese-numbered, no code) of the two 总表s; labels may wrap onto the next line."""
    occs = []
    pat = re.compile(r"(?:^|\s)(" + "|".join(sorted(CN_NUM, key=len, reverse=True)) + r")、(\S+)")
    for i in range(a + 1, b):
        s = lines[i].strip()
        for m in pat.finditer(s):
            num, lab = m.group(1), m.group(2)
            # only the expenditure side (the income side names 财政拨款/收入)
            if "财政拨" in lab or "收入" in lab:
                continue
            lab2 = lab
            if not lab.endswith("支出"):
                # wrapped: the first token of the next non-empty line
                for j in range(i + 1, min(i + 4, b)):
                    t = lines[j].strip()
                    if not t or PAGE.match(t) or is_amount_line(t):
                        continue
                    lab2 = lab + t.split()[0]
                    break
                if "财政拨" in lab2:
                    continue
            pos = CN_NUM.index(num)
            # corpus template: 24 items, 二十四 = 抗疫特别国债安排的支出
            lei = TOTAL_LEI[pos]
            if pos == 23 and "抗疫" in lab2:
                lei = TOTAL_LEI[25]
            occs.append(Occ(lei[0], fname, i + 1, title, "total", nospace(lab2), window=[nospace(lab2)],
                            seg=nospace(lab2)))
    return occs


def parse_corpus(fname: str) -> list[Occ]:
    lines = read(fname)
    occs = []
    for t, a, b in corpus_sections(lines):
        if t in FUNC_TITLES:
            occs += parse_function_table(fname, lines, t, a, b)
        elif t in ECON_TITLES:
            occs += parse_economic_table(fname, lines, t, a, b)
        elif t in TOTAL_TITLES:
            occs += parse_total(fname, lines, t, a, b)
    return occs


# ---------------------------------------------------------------------------------------
# Budget reports (fixtures/budget: pdftotext -layout texts, and one text that glues cells)
# ---------------------------------------------------------------------------------------
# Read by table shape, whatever the template: a coded table starts at a header line naming
# the code column (功能分类科目编码, 部门预算经济分类科目 编码, 功能科目代码, 科目编码, 科目代码) and
# ends at the next table title, a note (注：/说明：), a 合计 row after its rows, or a new part.
# In between, a row is a line that starts with a code: 类/款/项 split over three columns
# (`201   06   01`, `301   01`), compact (`2010601`, `30101`) or glued to its label
# (`2010506统计管理`); its label is the text between the code and the amounts. A label too
# long for its cell is printed on the lines next to the row (`label pieces`):
# - the row's own line empty, the pieces above and below it (a cell centred on two lines:
#   `机关事业单位基本养老保险` / `30108   1,064.46` / `缴费`);
# - the row's line with the label's start, the rest on the line(s) below (`…缴费支` / `出`).
# A piece belongs to a row when it touches it (no blank line, page break or other row in
# between); a row without a label claims its neighbours first. A piece no row claims is an
# error of the check, so nothing printed is dropped silently.
B_HEADER = re.compile(r"编码|代码")
B_TITLE = re.compile(r"表(?:（[^）]*）)?$|^公开\s*\d+\s*表|^第[一二三四五六七八九十]+部分")
B_CODE = re.compile(r"^\s*(?:(?P<s>[23]\d{2})(?:[ \t]+(?P<k>\d{2}))?(?:[ \t]+(?P<x>\d{2}))?|(?P<c>[23]\d{4}(?:\d{2})?))"
                    r"(?=\s|[\u4e00-\u9fff]|$)")
# a row whose code is not a well-formed code: a one- or two-digit 类 (`7    11   02`), or a
# one-digit 款 (`301   2`). Each must be listed in MISPRINTED.
B_BADCODE = re.compile(r"^\s*(?:\d{1,2}(?:[ \t]+\d{1,2}){1,2}|[23]\d{2}[ \t]+\d(?:[ \t]+\d{1,2})?)[ \t]+[\u4e00-\u9fff]")
# header words repeated inside a table (a new page's column heads) and rows that are no code
B_NOT_PIECE = re.compile(r"科目|^项目|^类\s*款|合\s*计|为空|^单位[：:]|^部门[：:]|^编制")

# Rows printed with a code that is not a well-formed code: (file, line) -> (code meant, reason).
# Not evidence for the catalog (the code meant is printed correctly elsewhere in the same file);
# the check verifies that the code meant is in the catalog under the label printed. These are
# also findings an audit of the budget report should make.
MISPRINTED: dict[tuple[str, int], tuple[str, str]] = {
    ("04_shanghai-putuo-wljd-2024-budget.txt", 749): ("30102", "款 printed as `2` without its leading zero (`301   2     津贴补贴`)"),
    ("04_shanghai-putuo-wljd-2024-budget.txt", 751): ("30107", "款 printed as `7` without its leading zero (`301   7     绩效工资`)"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 184): ("2101102", "类 printed as `7` for 210 (`7    11   02   事业单位医疗`, 支出预算总表; 收入预算总表 line 145 prints 210 11 02)"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 243): ("2101102", "类 printed as `7` for 210 (`7    11   02   事业单位医疗`, 一般公共预算支出功能分类预算表)"),
    # 05's 一般公共预算基本支出部门预算经济分类预算表 numbers the 款 of 302 in order (01, 02, ... 13) instead of
    # printing their codes, and names 303 and its row otherwise; 302 01 办公费 and 302 09 物业管理费 happen to be right.
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 316): ("30203", "302 02 咨询费: 咨询费 is 30203 (30202 is 印刷费)"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 318): ("30205", "302 03 水费: 水费 is 30205 (30203 is 咨询费)"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 320): ("30206", "302 04 电费: 电费 is 30206 (30204 is 手续费)"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 322): ("30207", "302 05 邮电费: 邮电费 is 30207 (30205 is 水费)"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 324): ("", "302 06 办公设备购置费: no 302 款 of that name (30206 is 电费; 31002 is 办公设备购置, a 资本性支出)"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 326): ("30228", "302 07 工会经费: 工会经费 is 30228 (30207 is 邮电费)"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 328): ("30229", "302 08 福利费: 福利费 is 30229 (30208 is 取暖费)"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 332): ("", "302 10 车辆运行费: no 款 30210 is printed anywhere else; no 302 款 of that name (30231 is 公务用车运行维护费)"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 334): ("", "302 11 事业单位离退休人员福利费: 30211 is 差旅费; no 款 of that name"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 336): ("", "302 12 机关事业单位退休人员活动费: 30212 is 因公出国（境）费用; no 款 of that name"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 338): ("30299", "302 13 其他商品和服务支出: it is 30299 (30213 is 维修（护）费)"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 340): ("", "303 离退休人员经费: the 类 303 is 对个人和家庭的补助"),
    ("05_shanghai-putuo-flyuan-2024-budget.txt", 342): ("30302", "303 01 退休费: 退休费 is 30302 (30301 is 离休费)"),
}


def budget_code(m: re.Match) -> str:
    return m.group("c") or "".join(g for g in (m.group("s"), m.group("k"), m.group("x")) if g)


def budget_regions(lines: list[str]) -> list[tuple[str, int, int]]:
    """Coded tables: [(title, header line index, end index)] (0-based, end exclusive)."""
    out = []
    title = ""
    start = None
    rows = 0

    def close(i):
        nonlocal start
        if start is not None:
            out.append((title, start, i))
        start = None

    for i, l in enumerate(lines):
        s = l.strip()
        if B_HEADER.search(s) and "。" not in s and len(nospace(s)) < 40:
            close(i)
            start, rows = i, 0
            continue
        if B_TITLE.search(s) or s.startswith("注") or s.startswith("说明"):
            close(i)
            if B_TITLE.search(s):
                title = nospace(s)
            continue
        if start is None:
            continue
        if B_CODE.match(l) or B_BADCODE.match(l):
            rows += 1
        elif rows and re.match(r"^合\s*计", s):
            close(i)
    close(len(lines))
    return out


def parse_budget(fname: str) -> tuple[list[Occ], list[str], list[tuple[str, int, str]]]:
    """Code rows of a budget report's coded tables; the label pieces no row claimed (locations);
    and the rows with a malformed code [(file, line, text)]."""
    lines = read(fname)
    occs: list[Occ] = []
    loose: list[str] = []
    bad: list[tuple[str, int, str]] = []
    for title, a, b in budget_regions(lines):
        kind = {}      # idx -> "row" | "piece" | "other" | "blank"
        label = {}     # idx -> label text on the line (rows and pieces)
        code = {}
        seen_row = False
        for i in range(a + 1, b):
            l = lines[i]
            s = l.strip()
            m = B_CODE.match(l)
            if m and not B_BADCODE.match(l):
                txt, _ = split_text_amounts(l[m.end():])
                kind[i], label[i], code[i] = "row", txt, budget_code(m)
                seen_row = True
            elif B_BADCODE.match(l):
                kind[i] = "other"
                bad.append((fname, i + 1, s))
            elif not s:
                kind[i] = "blank"
            elif PAGE.match(s) or is_amount_line(s) or not seen_row or B_NOT_PIECE.search(s):
                kind[i] = "other"       # page marks and numbers, the header zone, repeated heads
            else:
                kind[i] = "piece"
                label[i] = split_text_amounts(s)[0]

        def chain(i, step):
            out = []
            j = i + step
            while a < j < b and kind.get(j) == "piece" and j not in owner:
                out.append(j)
                j += step
            return out

        owner: dict[int, int] = {}
        rows = [i for i in range(a + 1, b) if kind.get(i) == "row"]
        for i in rows:                      # rows without a label: pieces above and below
            if not label[i]:
                for j in chain(i, -1) + chain(i, +1):
                    owner[j] = i
        for i in rows:                      # rows with a label: the rest below
            if label[i]:
                for j in chain(i, +1):
                    owner[j] = i
        for i in rows:
            if (fname, i + 1) in MISPRINTED:
                bad.append((fname, i + 1, lines[i].strip()))
                continue
            above = sorted(j for j, o in owner.items() if o == i and j < i)
            below = sorted(j for j, o in owner.items() if o == i and j > i)
            name = "".join([label[j] for j in above] + [label[i]] + [label[j] for j in below])
            kind_ = "economic" if code[i].startswith("3") else "function"
            occs.append(Occ(code[i], fname, i + 1, title, kind_, nospace(name),
                            window=[label[j] for j in above] + [label[i]] + [label[j] for j in below],
                            above=[[label[j]] for j in above], below=[[label[j]] for j in below],
                            seg=label[i]))
        loose += [f"{fname}:{j + 1}" for j in range(a + 1, b) if kind.get(j) == "piece" and j not in owner]
    return occs, loose, bad


def all_occurrences() -> list[Occ]:
    occs = parse_seed()
    for f in CORPUS:
        occs += parse_corpus(f)
    for f in BUDGET:
        occs += parse_budget(f)[0]
    return occs


# ---------------------------------------------------------------------------------------
# Narrative: descriptions of function 项 (seed 第五部分 (十))
# ---------------------------------------------------------------------------------------
def seed_descriptions() -> list[tuple[str, str, str, str, int]]:
    """[(类 name, 款 name, 项 name, description, line)] from seed 名词解释 (十)."""
    lines = read(SEED)
    start = next(i for i, l in enumerate(lines) if l.startswith("(十) 本部门使用的支出功能分类科目"))
    end = next(i for i, l in enumerate(lines) if i > start and l.startswith("(十一)"))
    items = []
    cur = None
    for i in range(start + 1, end):
        s = lines[i].strip()
        if not s:
            continue
        m = re.match(r"^(\d+)\.\s*", s)
        if m:
            cur = [i + 1, s[m.end():]]
            items.append(cur)
        elif cur is not None:
            cur[1] += s       # a line broken by page/line wrapping: rejoin with nothing
    out = []
    pat = re.compile(r"^(.+?)[(（]类[)）](.+?)[(（]款[)）](.+?)[(（]项[)）]\s*[:：]\s*(.+)$")
    for line, text in items:
        m = pat.match(text)
        if not m:
            raise SystemExit(f"unparsed description at {SEED}:{line}: {text}")
        out.append((m.group(1).strip(), m.group(2).strip(), m.group(3).strip(), m.group(4).strip(), line))
    return out


# ---------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------
def pick_sources(occs: list[Occ], n: int = 3) -> list[str]:
    """Up to n locations from the 决算 reports (seed first, then 01..07) and up to n from the
    budget reports (01..11), one per file, the first printed row of each."""
    by_file = OrderedDict()
    for o in sorted(occs, key=lambda o: (FILES.index(o.file), o.line)):
        if o.file not in by_file:
            by_file[o.file] = o
    reports = [o.loc for f, o in by_file.items() if f not in BUDGET]
    budgets = [o.loc for f, o in by_file.items() if f in BUDGET]
    return reports[:n] + budgets[:n]


def fullwidth_parens(name: str) -> str:
    return name.replace("(", "（").replace(")", "）")


def choose_name(code: str, occs: list[Occ], resolved: dict) -> tuple[str, list[tuple[str, list[str]]]]:
    """Chosen name and the list of distinct printed variants [(name, [locs])]."""
    variants: dict[str, list[str]] = OrderedDict()
    for o in sorted(occs, key=lambda o: (FILES.index(o.file), o.line)):
        if (o.file, o.line) in GARBLED or not o.name:
            continue
        variants.setdefault(o.name, []).append(o.loc)
    if code in resolved:
        return resolved[code][0], list(variants.items())
    # group variants that differ only in () vs （）
    keys = {fullwidth_parens(v) for v in variants}
    if len(keys) != 1:
        raise SystemExit(f"unresolved conflict for {code}: {dict(variants)}")
    name = keys.pop()
    # keep fullwidth parentheses if any source prints them, else as printed
    if not any(v == name for v in variants):
        name = next(iter(variants))
    return name, list(variants.items())


def write_csv(path: Path, header: list[str], rows: list[list[str]]):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def load_partial(name: str) -> list[dict]:
    with (SRC / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def build(verbose: bool = True):
    occs = all_occurrences()
    func = defaultdict(list)
    econ = defaultdict(list)
    for o in occs:
        (econ if o.kind == "economic" else func)[o.code].append(o)
    conflicts = []

    # --- function.csv
    rows = []
    for code in sorted(func):
        table_occs = [o for o in func[code] if o.kind == "function"]
        total_occs = [o for o in func[code] if o.kind == "total"]
        use = table_occs or total_occs
        name, variants = choose_name(code, use, RESOLVED_FUNCTION)
        if table_occs and total_occs:
            tn = {fullwidth_parens(o.name) for o in total_occs}
            if tn != {name}:
                raise SystemExit(f"总表 label of {code} {tn} differs from table label {name}")
        if len(variants) > 1:
            conflicts.append(("function", code, name, variants))
        srcs = pick_sources([o for o in use if (o.file, o.line) not in GARBLED and o.name == name] or use)
        rows.append([code, name, level_of(code), parent_of(code), ";".join(srcs)])
    write_csv(OUT / "function.csv", ["code", "name", "level", "parent", "source"], rows)
    func_rows = {r[0]: r for r in rows}

    # --- economic.csv
    partial = {r["code"]: r for r in load_partial("economic_dept_PARTIAL.csv")}
    codes = sorted(set(partial) | set(econ))
    erows = []
    for code in codes:
        occ = econ.get(code, [])
        if occ:
            name, variants = choose_name(code, occ, RESOLVED_ECONOMIC)
        else:
            name, variants = partial[code]["name"], []
        if code in partial and partial[code]["name"] != name:
            raise SystemExit(f"economic {code}: partial list {partial[code]['name']} vs reports {name}")
        if len(variants) > 1:
            conflicts.append(("economic", code, name, variants))
        src = []
        if code in partial:
            src.append(partial[code]["source"])
        src += pick_sources([o for o in occ if o.name == name] or occ)
        erows.append([code, name, level_of(code), parent_of(code), ";".join(src)])
    write_csv(OUT / "economic.csv", ["code", "name", "level", "parent", "source"], erows)

    # --- economic_gov.csv: the partial list, unchanged in content
    gov = load_partial("economic_gov_PARTIAL.csv")
    write_csv(OUT / "economic_gov.csv", ["code", "name", "level", "parent", "source"],
              [[r["code"], r["name"], r["level"], r["parent"], r["source"]] for r in gov])

    # --- function_descriptions.csv
    drows = []
    by_name = {}
    for code, r in func_rows.items():
        by_name.setdefault((len(code), r[1]), []).append(code)
    for lei, kuan, xiang, desc, line in seed_descriptions():
        cands = [c for c in func_rows
                 if len(c) == 7 and func_rows[c][1] == xiang
                 and func_rows.get(c[:5], [None, None])[1] == kuan
                 and func_rows.get(c[:3], [None, None])[1] == lei]
        if len(cands) != 1:
            raise SystemExit(f"description at {SEED}:{line} ({lei}/{kuan}/{xiang}) maps to {cands}")
        drows.append([cands[0], desc, f"{SEED}:{line}"])
    drows.sort()
    write_csv(OUT / "function_descriptions.csv", ["code", "description", "source"], drows)

    if verbose:
        for kind, code, name, variants in conflicts:
            print(f"CONFLICT {kind} {code} -> {name}")
            for v, locs in variants:
                print(f"    {v}: {', '.join(locs)}")
        print(f"function.csv {len(rows)} rows; economic.csv {len(erows)}; economic_gov.csv {len(gov)}; "
              f"function_descriptions.csv {len(drows)}")
    return conflicts


def dump():
    for o in all_occurrences():
        flag = " GARBLED" if (o.file, o.line) in GARBLED else ""
        print(f"{o.kind[:4]}\t{o.code}\t{o.name}\t{o.loc}\t{o.table}\t{'|'.join(o.window)}{flag}")


# ---------------------------------------------------------------------------------------
# Check
# ---------------------------------------------------------------------------------------
def reconstructible(want: str, o: Occ) -> bool:
    """Can `want` be re-formed as: up to 3 label lines right above the row + the text on the
    code line + up to 3 label lines right below, one piece (whole line or one column) each?"""
    want = fullwidth_parens(want)
    ab = o.above[::-1]          # nearest first
    seg = nospace(o.seg)
    for k in range(0, min(3, len(ab)) + 1):
        for pre in product(*reversed(ab[:k])):
            head = "".join(pre) + seg
            if not want.startswith(fullwidth_parens(head)):
                continue
            for m in range(0, min(3, len(o.below)) + 1):
                for post in product(*o.below[:m]):
                    if fullwidth_parens(head + "".join(post)) == want:
                        return True
    return False


def raw_codes() -> dict[str, set[str]]:
    """Codes printed in the table sections, found by a plain scan independent of the parser:
    {"function": {...}, "economic": {...}} with the location of the first sighting."""
    found = {"function": {}, "economic": {}}
    # seed: tab cells
    lines = read(SEED)
    for t, a, b in seed_sections(lines):
        for i in range(a, b):
            for cell in lines[i].split("\t"):
                c = cell.strip()
                if re.fullmatch(r"2\d{2}(\d{2}){0,2}", c):
                    found["function"].setdefault(c, f"{SEED}:{i + 1}")
                elif re.fullmatch(r"3\d{2}(\d{2})?", c):
                    found["economic"].setdefault(c, f"{SEED}:{i + 1}")
    for f in CORPUS:
        lines = read(f)
        for t, a, b in corpus_sections(lines):
            for i in range(a + 1, b):
                s = lines[i]
                if t in FUNC_TITLES:
                    for m in re.finditer(r"(?<![\d.,])(2\d{2}(?: \d{2}){0,2}|2\d{4}|2\d{6})(?![\d.,])", s):
                        c = m.group(1).replace(" ", "")
                        if len(c) in (3, 5, 7):
                            found["function"].setdefault(c, f"{f}:{i + 1}")
                elif t in ECON_TITLES:
                    for m in re.finditer(r"(?<![\d.,])(3\d{2}(?: \d{2})?|3\d{4})(?![\d.,])", s):
                        found["economic"].setdefault(m.group(1).replace(" ", ""), f"{f}:{i + 1}")
    # budgets: any line of the whole text that starts with a code followed by words or amounts
    # (not a number of 万元/元/年/%/个/人 in a sentence), tables or not; rows listed in MISPRINTED aside
    pat = re.compile(r"^\s*(2\d{2}(?:[ \t]+\d{2}){0,2}|3\d{2}(?:[ \t]+\d{2})?|[23]\d{4}(?:\d{2})?)"
                     r"(?=\s|[\u4e00-\u9fff])(?!\s*(?:万|元|年|%|个|人))")
    for f in BUDGET:
        for i, s in enumerate(read(f)):
            m = pat.match(s)
            if m and (f, i + 1) not in MISPRINTED:
                c = re.sub(r"\s+", "", m.group(1))
                found["function" if c[0] == "2" else "economic"].setdefault(c, f"{f}:{i + 1}")
    return found


def is_subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def check() -> int:
    errors = []

    def load(p):
        with (OUT / p).open(encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    func = load("function.csv")
    econ = load("economic.csv")
    gov = load("economic_gov.csv")
    desc = load("function_descriptions.csv")
    fcodes = {r["code"]: r for r in func}
    ecodes = {r["code"]: r for r in econ}
    texts = {f: read(f) for f in FILES}

    # (a) structure: levels, parents present, sorted, unique
    for label, rows, lens in (("function", func, {3: "类", 5: "款", 7: "项"}),
                              ("economic", econ, {3: "类", 5: "款"}),
                              ("economic_gov", gov, {3: "类", 5: "款"})):
        codes = [r["code"] for r in rows]
        if codes != sorted(codes):
            errors.append(f"{label}: not sorted by code")
        if len(codes) != len(set(codes)):
            errors.append(f"{label}: duplicate codes")
        present = set(codes)
        for r in rows:
            c = r["code"]
            if not c.isdigit() or len(c) not in lens:
                errors.append(f"{label} {c}: bad code")
                continue
            if r["level"] != lens[len(c)]:
                errors.append(f"{label} {c}: level {r['level']}")
            exp_parent = "" if len(c) == 3 else c[: len(c) - 2]
            if r["parent"] != exp_parent:
                errors.append(f"{label} {c}: parent {r['parent']!r} != {exp_parent!r}")
            if exp_parent and exp_parent not in present:
                errors.append(f"{label} {c}: parent {exp_parent} missing")
            if len(c) == 7 and c[:3] not in present:
                errors.append(f"{label} {c}: 类 {c[:3]} missing")
            if not r["name"] or re.search(r"\s", r["name"]):
                errors.append(f"{label} {c}: bad name {r['name']!r}")
            if not r["source"]:
                errors.append(f"{label} {c}: no source")

    # (b) every code printed in a table of the fixtures is in the CSVs, and every printed
    #     label is the chosen name (or a listed conflict / garbled occurrence)
    occs = all_occurrences()
    listed_conflicts = {("function", c): n for c, (n, _) in RESOLVED_FUNCTION.items()}
    listed_conflicts.update({("economic", c): n for c, (n, _) in RESOLVED_ECONOMIC.items()})

    def listed(o):
        return ("economic" if o.kind == "economic" else "function", o.code) in listed_conflicts
    n_occ = defaultdict(int)
    n_conflict_occ = defaultdict(list)
    for o in occs:
        n_occ[o.kind] += 1
        table = ecodes if o.kind == "economic" else fcodes
        if o.code not in table:
            errors.append(f"{o.loc}: code {o.code} ({o.table}) not in catalog")
            continue
        want = table[o.code]["name"]
        got = fullwidth_parens(o.name)
        if (o.file, o.line) in GARBLED:
            # the name must still be recoverable from the garbled window, as a subsequence
            lines = texts[o.file][o.line - 1: o.line + 5]
            if not is_subsequence(want, nospace("".join(lines))):
                errors.append(f"{o.loc}: garbled occurrence does not contain {want} as subsequence")
            continue
        if o.name and got != want and not listed(o):
            errors.append(f"{o.loc}: printed {o.name!r} != catalog {want!r}")
        if not reconstructible(want, o):
            if listed(o) and o.name:
                n_conflict_occ[o.code].append(f"{o.loc} {o.name}")
            else:
                errors.append(f"{o.loc}: catalog name {want!r} cannot be re-formed from the printed pieces "
                              f"{o.above!r} / {o.seg!r} / {o.below!r}")
    for kind, table in (("function", fcodes), ("economic", ecodes)):
        for c, loc in sorted(raw_codes()[kind].items()):
            if c not in table:
                errors.append(f"{loc}: printed {kind} code {c} not in catalog")
        parsed = {o.code for o in occs if (o.kind == "economic") == (kind == "economic") and o.kind != "total"}
        for c in sorted(set(raw_codes()[kind]) - parsed):
            errors.append(f"{raw_codes()[kind][c]}: code {c} seen by the plain scan but not by the parser")

    # (c) each source location is a parsed row of that code whose printed pieces re-form the name
    by_loc = {(o.file, o.line, o.code): o for o in occs}

    def loc_ok(code, name, loc):
        f, ln = loc.rsplit(":", 1)
        if f not in texts:
            return f"unknown file {f}"
        o = by_loc.get((f, int(ln), code))
        if o is None:
            return "no row of this code at this line"
        if (o.file, o.line) in GARBLED:
            return "cites a garbled occurrence"
        if not reconstructible(name, o):
            return f"name not re-formable from {o.above!r} / {o.seg!r} / {o.below!r}"
        here = texts[f][o.line - 1]
        spaced = r"\s+".join([code[:3]] + [code[i:i + 2] for i in range(3, len(code), 2)])
        if o.kind != "total" and not re.search(rf"(?<!\d)(?:{code}|{spaced})(?!\d)", here):
            return f"code {code} not printed on the line"
        return None

    for label, rows in (("function", func), ("economic", econ)):
        for r in rows:
            for loc in r["source"].split(";"):
                if "/" in loc:          # a URL of the partial official list
                    continue
                why = loc_ok(r["code"], r["name"], loc)
                if why:
                    errors.append(f"{label} {r['code']} source {loc}: {why}")

    # (f) budgets: every label piece belongs to a row; every row with a malformed code, or
    #     listed as misprinted, is in MISPRINTED, with the code meant under its printed label
    found_bad = set()
    for f in BUDGET:
        _, loose, bad = parse_budget(f)
        for loc in loose:
            errors.append(f"{loc}: label piece attached to no row")
        for bf, ln, text in bad:
            found_bad.add((bf, ln))
            if (bf, ln) not in MISPRINTED:
                errors.append(f"{bf}:{ln}: row with a malformed code not in MISPRINTED: {text}")
    for (bf, ln), (meant, _) in MISPRINTED.items():
        if (bf, ln) not in found_bad:
            errors.append(f"MISPRINTED {bf}:{ln}: no such row")
            continue
        if meant:
            table = fcodes if meant.startswith("2") else ecodes
            text = texts[bf][ln - 1]
            m = re.match(r"^\s*[\d \t]+", text)
            printed = split_text_amounts(text[m.end():])[0]
            if meant not in table:
                errors.append(f"MISPRINTED {bf}:{ln}: code meant {meant} not in catalog")
            elif fullwidth_parens(printed) != table[meant]["name"]:
                errors.append(f"MISPRINTED {bf}:{ln}: printed {printed!r} != catalog {meant} {table[meant]['name']!r}")

    # (d) descriptions: code in function.csv, 项 level, text found in the seed
    seed_flat = nospace("".join(texts[SEED]))
    for r in desc:
        if r["code"] not in fcodes or len(r["code"]) != 7:
            errors.append(f"description {r['code']}: not a 项 in function.csv")
        if nospace(r["description"]) not in seed_flat:
            errors.append(f"description {r['code']}: text not found in seed")

    # (e) the 总表 类 codes that are also printed in a function table agree with TOTAL_LEI
    printed = {o.code: o.name for o in occs if o.kind == "function" and len(o.code) == 3}
    for c, n in TOTAL_LEI:
        if c in printed and fullwidth_parens(printed[c]) != n:
            errors.append(f"总表 类 {c} {n} vs table {printed[c]}")

    # counts
    def count(rows):
        d = defaultdict(int)
        for r in rows:
            d[r["level"]] += 1
        return dict(d)

    print(f"occurrences parsed: {dict(n_occ)}")
    for c, locs in n_conflict_occ.items():
        print(f"conflicting label for {c} (catalog {(fcodes.get(c) or ecodes[c])['name']}): {'; '.join(locs)}")
    print(f"budget rows with a misprinted code (MISPRINTED, not used): {len(MISPRINTED)}")
    print(f"function.csv: {len(func)} rows {count(func)}")
    print(f"economic.csv: {len(econ)} rows {count(econ)}")
    print(f"economic_gov.csv: {len(gov)} rows {count(gov)}")
    print(f"function_descriptions.csv: {len(desc)} rows")
    unprinted = [c for c, _ in TOTAL_LEI if c not in printed]
    print(f"function 类 attested only by the 总表 name (code per DOMAIN.md order): {' '.join(unprinted)}")
    if errors:
        print(f"{len(errors)} ERROR(S):")
        for e in errors:
            print("  " + e)
        return 1
    print("self-check OK")
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "dump":
        dump()
    elif cmd == "build":
        build()
    elif cmd == "check":
        sys.exit(check())
    else:
        raise SystemExit(__doc__)
