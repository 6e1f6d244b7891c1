"""A yardstick, not part of juesuan: the nine tables of a build as XLSX and HTML, in Python.

It reads the views juesuan writes (`<stem>.views.json`: every table's header, columns and rows
with exact amounts in 元) and writes what `juesuan build --format xlsx,html` writes of the tables:
one workbook sheet per table (title, number, meta line, merged header, body with `#,##0.00`
amounts in the report's unit, note; fonts, borders, widths) and one HTML page of the nine
tables. It does less than juesuan: no reading and checking of the input, no consolidation, no
rules, no report, narrative, charts or JSON, no row heights or print setup. So it is a lower
bound for doing this job in Python with openpyxl, against which `juesuan build` (the whole job,
one process) is timed. The README's PERFORMANCE section says how.

    pip install openpyxl
    python3 benches/python/build_tables.py VIEWS.json OUT_DIR
"""

import html
import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

UNIT = {"元": Decimal(1), "万元": Decimal(10000)}
CENT = Decimal("0.01")


def amount(value, unit, blank_zero):
    """The printed figure: 元 → the report's unit, rounded half away from zero once."""
    if value is None:
        return None
    v = (Decimal(value) / UNIT[unit]).quantize(CENT, rounding=ROUND_HALF_UP)
    return None if (v == 0 and blank_zero) else v


def grid(table, lang, unit):
    """Rows of (text or Decimal, bold), the panels side by side, as juesuan prints them."""
    blank_zero = table["zero"] == "blank" or table["empty_note"] is not None
    height = max((len(p["rows"]) for p in table["panels"]), default=0)
    out = []
    for r in range(height):
        cells = []
        for pi, panel in enumerate(table["panels"]):
            row = panel["rows"][r] if r < len(panel["rows"]) else None
            bold = row is not None and row["kind"] in table["bold"]
            vi = 0
            for col in (c for c in table["columns"] if c["panel"] == pi):
                kind, v = col["kind"], None
                if row is None:
                    pass
                elif kind in ("label", "name"):
                    v = row["label"][lang]
                elif kind == "line":
                    v = str(row["line"]) if row["line"] is not None else ""
                elif kind == "code":
                    v = row["code"] or ""
                elif kind in ("lei", "kuan", "xiang"):
                    a, b = {"lei": (0, 3), "kuan": (3, 5), "xiang": (5, 7)}[kind]
                    v = (row["code"] or "")[a:b]
                else:
                    v = amount(row["values"][vi] if vi < len(row["values"]) else None, unit, blank_zero)
                    vi += 1
                cells.append((v, bold))
        out.append(cells)
    return out


def sheet(ws, table, views, lang):
    font = "宋体" if lang == "zh" else "Arial"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    plain, strong = Font(name=font, size=10), Font(name=font, size=10, bold=True)
    ncols = len(table["columns"])
    for c, col in enumerate(table["columns"]):
        ws.column_dimensions[ws.cell(1, c + 1).column_letter].width = col["width"] or 14
    ws.cell(1, 1, table["title"][lang]).font = Font(name=font, size=16, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    r = 2
    if table["number"]:
        ws.cell(r, 1, table["number"][lang]).alignment = Alignment(horizontal="right")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        r += 1
    meta = views["meta"]
    for c, key in ((1, "department"), (max(ncols // 2, 1), "year"), (ncols, "unit")):
        if meta.get(key):
            ws.cell(r, c, meta[key][lang]).font = plain
    r += 1
    for h in table["header"]:
        cell = ws.cell(r + h["row"], h["col"] + 1, h["text"][lang])
        cell.font, cell.border = strong, box
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if h["rowspan"] > 1 or h["colspan"] > 1:
            ws.merge_cells(start_row=r + h["row"], start_column=h["col"] + 1,
                           end_row=r + h["row"] + h["rowspan"] - 1,
                           end_column=h["col"] + h["colspan"])
    r += table["header_rows"]
    for row in grid(table, lang, views["amount_unit"]):
        for c, (v, bold) in enumerate(row):
            cell = ws.cell(r, c + 1, v)
            cell.font, cell.border = (strong if bold else plain), box
            if isinstance(v, Decimal):
                cell.number_format = "#,##0.00"
        r += 1
    for note in (table["note"], table["empty_note"]):
        if note:
            ws.cell(r, 1, note[lang]).font = plain
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
            r += 1


def page(views, lang):
    unit, parts = views["amount_unit"], []
    for t in views["tables"]:
        head = {}
        for h in t["header"]:
            head.setdefault(h["row"], []).append(
                f'<th colspan="{h["colspan"]}" rowspan="{h["rowspan"]}">{html.escape(h["text"][lang])}</th>')
        rows = []
        for row in grid(t, lang, unit):
            tds = []
            for v, b in row:
                bold = " b" if b else ""
                if isinstance(v, Decimal):
                    tds.append(f'<td class="num{bold}">{v:,.2f}</td>')
                else:
                    tds.append(f'<td class="t{bold}">{html.escape(v or "")}</td>')
            rows.append("<tr>" + "".join(tds) + "</tr>")
        thead = "".join("<tr>" + "".join(v) + "</tr>" for _, v in sorted(head.items()))
        number = html.escape(t["number"][lang]) if t["number"] else ""
        note = "".join(f"<p>{html.escape(n[lang])}</p>" for n in (t["note"], t["empty_note"]) if n)
        parts.append(
            f'<section><h2>{html.escape(t["title"][lang])}</h2><p class="no">{number}</p>'
            f'<table><thead>{thead}</thead>'
            "<tbody>" + "".join(rows) + f"</tbody></table>{note}</section>")
    title = html.escape(f'{views["department"]} {views["year"]}')
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            '<style>table{border-collapse:collapse}td,th{border:1px solid #000;padding:2px 6px}'
            '.num{text-align:right}.b{font-weight:bold}</style></head><body>'
            + "".join(parts) + "</body></html>\n")


def main():
    views_path, out = Path(sys.argv[1]), Path(sys.argv[2])
    lang = sys.argv[3] if len(sys.argv) > 3 else "zh"
    views = json.loads(views_path.read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    book.remove(book.active)
    for i, t in enumerate(views["tables"]):
        name = f'{t["number"][lang] + " " if t["number"] else ""}{t["short_title"][lang]}'
        sheet(book.create_sheet(name[:31] or f"Sheet{i + 1}"), t, views, lang)
    stem = views_path.name.removesuffix(".views.json")
    book.save(out / f"{stem}.xlsx")
    (out / f"{stem}.tables.html").write_text(page(views, lang), encoding="utf-8")


if __name__ == "__main__":
    main()
