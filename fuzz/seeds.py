#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target into DIR/<target>/ from the repository's own
examples, fixtures and data (nothing invented, nothing fetched). Large files are cut into
smaller standalone pieces, since libFuzzer mutates small inputs many times faster.

Usage: fuzz/seeds.py DIR
"""

import decimal
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAX = 16 * 1024


def write(dir_, name, data):
    dir_.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (dir_ / name).write_bytes(data)


def strip_comments(text):
    return "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#")) + "\n"


def toml_pieces(text):
    """The department line plus each top-level section as a standalone file."""
    text = strip_comments(text)
    lines = text.splitlines(keepends=True)
    head = next((l for l in lines if l.startswith("department")), "")
    pieces, cur, in_header = [], [], False
    for l in lines:
        # A new piece at each [table] header, and at each `key = ` before the first header
        # (after one, keys belong to that table).
        header = l.startswith("[") and not l.startswith("[[")
        top_key = not in_header and re.match(r"^[a-z_]+ = ", l) and not l.startswith("department")
        if (header or top_key) and cur:
            pieces.append("".join(cur))
            cur = []
        in_header = in_header or header
        cur.append(l)
    pieces.append("".join(cur))
    out = []
    for p in pieces:
        p = p if p.startswith("department") else head + p
        while len(p.encode()) > MAX:
            cut = p.rfind("\n", 0, MAX // 2)
            out.append(p[: cut + 1])
            p = head + p[cut + 1 :]
        out.append(p)
    return out


class Raw(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, decimal.Decimal):
            return float(o)  # not reached: decimals are written raw below
        return str(o)


def to_json(text):
    """TOML to JSON with numbers as written (never through binary floating point)."""
    doc = tomllib.loads(text, parse_float=decimal.Decimal)

    def enc(v):
        if isinstance(v, dict):
            return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + enc(x) for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "[" + ",".join(enc(x) for x in v) + "]"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, decimal.Decimal)):
            return str(v)
        return json.dumps(str(v), ensure_ascii=False)

    return enc(doc)


def main():
    out = pathlib.Path(sys.argv[1])
    inputs = []
    for f in sorted((ROOT / "examples").glob("*.toml")) + sorted((ROOT / "fixtures/check").glob("*.toml")):
        whole = strip_comments(f.read_text())
        if len(whole.encode()) <= MAX:
            inputs.append((f"{f.stem}.toml", whole))
        for i, p in enumerate(toml_pieces(f.read_text())):
            inputs.append((f"{f.stem}-{i:02}.toml", p))
    for f in sorted((ROOT / "fixtures/bad-input").iterdir()):
        if f.suffix in (".toml", ".json") and f.stat().st_size <= MAX:
            inputs.append((f.name, f.read_bytes()))
    for name, data in inputs:
        if name.endswith(".json"):
            write(out / "input_json", name, data)
            continue
        write(out / "input_toml", name, data)
        try:
            write(out / "input_json", name[:-5] + ".json", to_json(data if isinstance(data, str) else data.decode()))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
            pass
    for f in sorted((ROOT / "data/kinds/final-accounts/layouts").glob("*.toml")):
        write(out / "layout_file", f.name, f.read_bytes())
    rules = (ROOT / "data/kinds/final-accounts/rules.toml").read_text()
    for i, block in enumerate(rules.split("[[rules]]")[1:]):
        write(out / "rule_file", f"rule-{i:03}.toml", "[[rules]]" + block)
    write(out / "rule_file", "rules.toml", rules)
    for f in sorted((ROOT / "data/catalog").glob("*.csv")):
        write(out / "catalog_csv", f.name, f.read_bytes())
    amounts = ["0", "0.01", "-0.01", "35,549.61", "35549.61", "1234.567", "0.000001", "12.3O",
               "99999999999999999999", "1e5", "+3", "1,2345", " 7.10 ", "1_000", "-", ""]
    for i, a in enumerate(amounts):
        write(out / "money", f"amount-{i:02}", a)
    workbook_seeds(out)
    report_seeds(out)


def juesuan(*args):
    """Runs the juesuan binary (built by cargo run) with args."""
    subprocess.run(["cargo", "run", "-q", "--", *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def workbook_seeds(out):
    """Input workbooks: the template, empty and filled from each example, and the bad ones;
    published workbooks: the nine tables of each example as juesuan writes them."""
    for f in sorted((ROOT / "fixtures/bad-input").glob("*.xlsx")):
        write(out / "workbook", f.name, f.read_bytes())
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        juesuan("-q", "init", "--xlsx", str(tmp / "empty.xlsx"))
        write(out / "workbook", "empty.xlsx", (tmp / "empty.xlsx").read_bytes())
        for f in sorted((ROOT / "examples").glob("*.toml")):
            juesuan("-q", "init", "--xlsx", str(tmp / f"{f.stem}.xlsx"), "--from", str(f))
            write(out / "workbook", f"{f.stem}.xlsx", (tmp / f"{f.stem}.xlsx").read_bytes())
            juesuan("-q", "build", str(f), "-o", str(tmp / "out"), "--format", "xlsx")
            write(out / "audit_xlsx", f"{f.stem}.xlsx", (tmp / "out" / f"{f.stem}.xlsx").read_bytes())
    # Instructions for generated workbooks: a few sheets with headers and values.
    for i, seed in enumerate([bytes(range(256)), bytes([0, 1, 1, 1, 5, 11, 2, 3, 0, 1]) * 20,
                              bytes([2, 1, 2, 0, 7, 3, 3, 4, 9, 1]) * 30]):
        write(out / "workbook_cells", f"cells-{i}", seed)


def pieces_of(text, marker):
    """The text cut before each line starting with marker, into pieces of at most MAX bytes."""
    out, cur = [], ""
    for line in text.splitlines(keepends=True):
        if line.startswith(marker) and cur and len((cur + line).encode()) > MAX:
            out.append(cur)
            cur = ""
        cur += line
    out.append(cur)
    return [p.encode()[:MAX] for p in out]


def report_seeds(out):
    """Published reports: their texts cut by pages, and the PDFs' word boxes page by page."""
    for f in sorted((ROOT / "fixtures/reports").glob("*.txt")) + sorted((ROOT / "fixtures/audit").glob("*.txt")):
        for i, p in enumerate(pieces_of(f.read_text(), "===")):
            write(out / "audit_text", f"{f.stem}-{i:02}.txt", p)
    for f in sorted((ROOT / "fixtures/reports/pdf").glob("*.pdf")):
        try:
            xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(f), "-"], check=True,
                                   capture_output=True).stdout.decode()
        except (OSError, subprocess.CalledProcessError):
            continue
        head = xhtml[: xhtml.find("<page")]
        pages = re.findall(r"<page.*?</page>", xhtml, re.S)
        for i in range(0, len(pages), 2):
            doc = head + "".join(pages[i : i + 2]) + "\n</doc></body></html>\n"
            write(out / "audit_bbox", f"{f.stem}-{i:02}.html", doc.encode()[: 4 * MAX])


main()
