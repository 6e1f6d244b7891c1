#!/usr/bin/env python3
"""Build data/catalog/*.csv from the real-report fixtures, and check them.

Reads ONLY:
  fixtures/reports/*.txt                      (the eight real reports)
  data/catalog/sources/economic_*_PARTIAL.csv (copies of the partial official lists)

Usage (from the repository root, Python 3.11):
  python3 tools/catalog/extract.py dump    # every code occurrence with its reconstructed name
  python3 tools/catalog/extract.py build   # (re)write data/catalog/{function,economic,economic_gov,function_descriptions}.csv
  python3 tools/catalog/extract.py check   # self-check of the CSVs against the fixtures; exit 1 on failure

The name reconstruction is heuristic (see PROVENANCE.md); every row it writes was
reviewed by hand against the text, and the hand decisions (conflicts, extraction
artefacts) are the explicit tables RESOLVED_FUNCTION / RESOLVED_ECONOMIC / GARBLED below.
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
FILES = [SEED] + CORPUS
YEAR = {SEED: 2023, **{f: int(f[-8:-4]) for f in CORPUS}}
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
              "06 (2025) prints 行政事业单位离退休 in 收入决算表/支出决算表/一般公共预算表 (lines 168, 270, 440-441); "
              "the seed (2023), 01-03 (2024) and 04, 05, 07 (2025) all print 行政事业单位养老支出; "
              "the name printed by three of the four most recent (2025) reports and by every earlier one is kept"),
    "2111101": ("生态环境监测与信息",
                "04 (2025, the ecology-environment bureau) prints 2111101 生态环境监测与信息 (lines 173, 220, 309); "
                "06 (2025) prints 2111101 减排专项支出 (lines 198, 302, 483), while 07 (2025) prints "
                "减排专项支出 under 2111103 (lines 189, 303, 489): 06 most likely mis-coded 2111103. "
                "The name printed by 04 is kept; 06's pair is recorded as a conflict"),
}
RESOLVED_ECONOMIC: dict[str, tuple[str, str]] = {}

CODE_FUNC_START = re.compile(r"^(2\d{2})(?: (\d{2}))?(?: (\d{2}))?(?=\s|$)|^(2\d{4}|2\d{6})(?=\s|$)")
AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
PAGE = re.compile(r"^=== 第\d+页 ===$")


def read(name: str) -> list[str]:
    return (FIX / name).read_text(encoding="utf-8").split("\n")


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


def all_occurrences() -> list[Occ]:
    occs = parse_seed()
    for f in CORPUS:
        occs += parse_corpus(f)
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
    """Up to n locations, one per file (seed first, then 01..07), preferring clean labels."""
    by_file = OrderedDict()
    for o in sorted(occs, key=lambda o: (FILES.index(o.file), o.line)):
        if o.file not in by_file:
            by_file[o.file] = o
    return [o.loc for o in list(by_file.values())[:n]]


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
    listed_conflicts = {}
    for code, (name, _) in RESOLVED_FUNCTION.items():
        listed_conflicts[code] = name
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
        if o.name and got != want and not (o.code in listed_conflicts and o.kind == "function"):
            errors.append(f"{o.loc}: printed {o.name!r} != catalog {want!r}")
        if not reconstructible(want, o):
            if o.code in listed_conflicts and o.name and o.kind == "function":
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
        spaced = " ".join([code[:3]] + [code[i:i + 2] for i in range(3, len(code), 2)])
        if o.kind != "total" and not (re.search(rf"(?<!\d){code}(?!\d)", here) or spaced in here):
            return f"code {code} not printed on the line"
        return None

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
        print(f"conflicting label for {c} (catalog {fcodes[c]['name']}): {'; '.join(locs)}")
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
