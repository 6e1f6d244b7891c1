//! Grammar-aware mutations for the text formats juesuan reads (TOML, JSON, CSV), mixed half
//! and half with libFuzzer's own byte-level ones: whole lines duplicated, removed, swapped or
//! moved; truncation; numbers replaced by huge, negative or malformed ones; format tokens and
//! field names inserted; deep nesting; very long strings; invalid UTF-8 and foreign encodings.
//! Byte mutations alone rarely keep a TOML file parseable long enough to reach the decoder.

// Each target uses only part of it.
#![allow(dead_code)]

/// Numbers that probe overflow, sign, exponent and separator handling.
const NUMBERS: &[&str] = &[
    "99999999999999999999999999999999999999999",
    "170141183460469231731687303715884105728",
    "18446744073709551616",
    "9223372036854775808",
    "-9223372036854775809",
    "10000000000000000",
    "100000000000000000000",
    "79228162514264337593543950336",
    "999999999999999999.99",
    "0.000001",
    "0.0000001",
    "-0",
    "-0.01",
    "1e400",
    "1E-400",
    "inf",
    "nan",
    "0x7f",
    "1_000_000",
    "\"1,234,567.89\"",
    "\"12.3O\"",
    "\"-\"",
    "\"\"",
    "1.",
    ".5",
];

/// Bytes that are not UTF-8, or are UTF-8 in the wrong place.
const BAD_BYTES: &[&[u8]] = &[
    b"\xFF",
    b"\xC3",
    b"\xB2\xE2\xCA\xD4", // GBK 测试
    b"\xED\xA0\x80",     // a UTF-16 surrogate
    b"\xC0\xAF",         // overlong
    b"\x00",
    b"\xEF\xBB\xBF",
    "\u{202E}".as_bytes(),
    "\u{FEFF}".as_bytes(),
];

/// A small xorshift generator: the mutation is a pure function of libFuzzer's seed.
pub struct Rng(u64);

impl Rng {
    /// From libFuzzer's seed.
    pub fn new(seed: u32) -> Rng {
        Rng(u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn line_spans(v: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, &b) in v.iter().enumerate() {
        if b == b'\n' {
            spans.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < v.len() {
        spans.push((start, v.len()));
    }
    spans
}

fn insert(v: &mut Vec<u8>, at: usize, bytes: &[u8]) {
    let at = at.min(v.len());
    v.splice(at..at, bytes.iter().copied());
}

/// One structural mutation of `v`, using `tokens` (the format's keywords and values).
pub fn structural(v: &mut Vec<u8>, rng: &mut Rng, tokens: &[&str]) {
    let lines = line_spans(v);
    let pos = rng.below(v.len() + 1);
    let line_start = lines.get(rng.below(lines.len().max(1))).map_or(0, |l| l.0);
    match rng.below(12) {
        0 if !lines.is_empty() => {
            let (s, e) = lines[rng.below(lines.len())];
            let copy = v[s..e].to_vec();
            insert(v, line_start, &copy);
        }
        1 if !lines.is_empty() => {
            let (s, e) = lines[rng.below(lines.len())];
            v.drain(s..e);
        }
        2 if lines.len() >= 2 => {
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            let (a, b) = (a.min(b), a.max(b));
            if a != b {
                let (first, second) = (lines[a], lines[b]);
                let mut out = v[..first.0].to_vec();
                out.extend_from_slice(&v[second.0..second.1]);
                out.extend_from_slice(&v[first.1..second.0]);
                out.extend_from_slice(&v[first.0..first.1]);
                out.extend_from_slice(&v[second.1..]);
                *v = out;
            }
        }
        3 => v.truncate(pos),
        4 => {
            // Replace the run of digits around `pos` (or insert at it) with an edge number.
            let n = NUMBERS[rng.below(NUMBERS.len())].as_bytes();
            let mut s = pos.min(v.len());
            while s > 0 && v[s - 1].is_ascii_digit() {
                s -= 1;
            }
            let mut e = pos.min(v.len());
            while e < v.len() && (v[e].is_ascii_digit() || v[e] == b'.') {
                e += 1;
            }
            v.splice(s..e, n.iter().copied());
        }
        5 if !tokens.is_empty() => {
            let t = tokens[rng.below(tokens.len())].as_bytes();
            let at = if rng.below(2) == 0 { line_start } else { pos };
            insert(v, at, t);
        }
        6 => {
            let depth = 1 + rng.below(700);
            let (open, close): (&[u8], &[u8]) = match rng.below(3) {
                0 => (b"[", b"]"),
                1 => (b"{\"a\":", b"}"),
                _ => (b"{a=", b"}"),
            };
            let mut nest = open.repeat(depth);
            nest.extend_from_slice(b"1");
            nest.extend_from_slice(&close.repeat(depth));
            insert(v, pos, &nest);
        }
        7 => {
            let n = 1 + rng.below(20_000);
            let unit = ["长", "a", "\\\"", " ", "\\u0000"][rng.below(5)];
            let long = format!("\"{}\"", unit.repeat(n));
            insert(v, pos, long.as_bytes());
        }
        8 => {
            let bad = BAD_BYTES[rng.below(BAD_BYTES.len())];
            if rng.below(4) == 0 {
                // A UTF-16 file: BOM, then every byte widened.
                let mut wide = b"\xFF\xFE".to_vec();
                for &b in v.iter() {
                    wide.extend_from_slice(&[b, 0]);
                }
                *v = wide;
            } else {
                insert(v, pos, bad);
            }
        }
        9 if !lines.is_empty() => {
            // Splice a line of the input over a random range.
            let (s, e) = lines[rng.below(lines.len())];
            let copy = v[s..e].to_vec();
            let end = (pos + rng.below(64)).min(v.len());
            v.splice(pos.min(end)..end, copy);
        }
        10 if !v.is_empty() => {
            let p = pos.min(v.len() - 1);
            let syntax = b"\"'[]{}=,.\n#-_:";
            v[p] = syntax[rng.below(syntax.len())];
        }
        _ if !v.is_empty() => {
            let p = pos.min(v.len() - 1);
            v[p] ^= 1 << rng.below(8);
        }
        _ => insert(v, 0, b"department = {}\n"),
    }
}

/// The mutator the targets install: half libFuzzer's, half [`structural`].
pub fn mutate(data: &mut [u8], size: usize, max_size: usize, seed: u32, tokens: &[&str]) -> usize {
    let mut rng = Rng::new(seed);
    if rng.below(2) == 0 {
        return libfuzzer_sys::fuzzer_mutate(data, size, max_size);
    }
    let mut v = data[..size].to_vec();
    for _ in 0..1 + rng.below(3) {
        structural(&mut v, &mut rng, tokens);
    }
    v.truncate(max_size);
    data[..v.len()].copy_from_slice(&v);
    v.len()
}

/// Keywords and values of the department-year format.
pub const INPUT_TOKENS: &[&str] = &[
    "department = { name = \"测试局\", year = 2023, amount_unit = \"万元\" }\n",
    "[department]\n",
    "[[units]]\nid = \"本级\"\nname = \"测试局（本级）\"\n",
    "units = [ { id = \"中心\", name = \"测试中心\" } ]\n",
    "income = [\n",
    "expenditure = [\n",
    "basic_economic = [\n",
    "balances = [\n",
    "sangong = [\n",
    "[[income]]\n",
    "[[expenditure]]\n",
    "{ source = \"一般公共预算财政拨款\", function = \"2060101\", amount = 10.00 },\n",
    "{ fund = \"一般公共预算财政拨款\", function = \"2060101\", kind = \"基本支出\", amount = 10.00 },\n",
    "{ economic = \"30101\", amount = 1 },\n",
    "{ fund = \"政府性基金预算财政拨款\", kind = \"年末结转和结余\", amount = 1 },\n",
    "{ category = \"公务接待费\", budget = 1, actual = 2 },\n",
    "unit = \"本级\", ",
    "counterparty = \"中心\", ",
    "amount = ",
    "amount_unit = \"元\"",
    "layout = \"shanghai-putuo-2024\"",
    "layout = \"nope\"",
    "\"上缴上级支出\"",
    "\"附属单位上缴收入\"",
    "\"对附属单位补助支出\"",
    "\"上级补助收入\"",
    "\"事业收入\"",
    "\"其他收入\"",
    "\"项目支出\"",
    "\"2060101 行政运行\"",
    "\"20601\"",
    "\"206\"",
    "\"2069999\"",
    "\"30199\"",
    "[performance]\n",
    "[performance.scheme]\nexecution = 10\n",
    "[[performance.projects]]\n",
    "points = ",
    "score = ",
    "weight = ",
    "[profile]\n",
    "[prior_year]\n",
    "[texts]\n",
    "year = ",
    "\"amount\": ",
    "\"department\": {\"name\": \"x\", \"year\": 2023, \"amount_unit\": \"元\"}",
    "null",
    "true",
    "1979-05-27T07:32:00Z",
    "0x10",
    "/* c */",
    "// c\n",
];

/// Keywords of layout files.
pub const LAYOUT_TOKENS: &[&str] = &[
    "[[tables]]\nid = \"summary\"\nnumber = \"公开01表\"\ntitle = \"t\"\n",
    "[[tables.panels]]\nkind = \"lines\"\n",
    "kind = \"function\"",
    "kind = \"economic\"",
    "rest = true",
    "{ kind = \"label\", width = 34 }",
    "{ kind = \"line\", width = 6 }",
    "{ kind = \"value\", col_no = \"1\", key = \"amount\", width = 14 }",
    "{ line = 1, label = \"x\", filter = { dataset = \"income\", fund = [\"事业收入\"] } },\n",
    "{ line = 99, sum = [1, 2, 3] },\n",
    "{ text = \"收入\", colspan = 3 }",
    "{ text = \"x\", rowspan = 9 }",
    "colspan = 0",
    "width = 0",
    "zero = \"blank\"",
    "dataset = \"expenditure\"",
    "dataset = \"balances\"",
    "dataset = \"sangong\"",
    "key = \"fiscal\"",
    "key = \"basic\"",
    "\"{department}\"",
    "\"{year}\"",
    "\"{unit}\"",
    "amount_unit = \"元\"",
];

/// Keywords of rule catalog files and the formula language.
pub const RULE_TOKENS: &[&str] = &[
    "[[rules]]\nid = \"T999\"\nseverity = \"error\"\nscope = \"表内\"\ntitle = [\"a\", \"b\"]\nwhy = [\"a\", \"b\"]\nhint = [\"a\", \"b\"]\n",
    "formula = '",
    "builtin = \"",
    "pass = [ { base = \"three-units-2024\" } ]\n",
    "fail = [ { base = \"three-units-2024\", set = { \"summary[L1]\" = \"1.00\" } } ]\n",
    "{ base = \"hongshan-kjj-2023\", printed = true }",
    "rename = ",
    "drop = ",
    "for r in rows(income, xiang|kuan): ",
    "for c in cols(summary), ",
    "sum(",
    "summary[L1..L8]",
    "summary[L27]",
    "income[C2060101, fiscal]",
    "expenditure[\"合计\", basic]",
    "code(r)",
    "children(r)",
    "kind(lei|kuan|xiang|total|line|code|all)",
    "{fiscal, basic}",
    "_",
    " = ",
    " <= ",
    " >= ",
    " when ",
    " + ",
    " - ",
    "(",
    ")",
    "0",
];

/// Keywords of catalog CSV files.
pub const CATALOG_TOKENS: &[&str] = &[
    "code,name,level,parent,classification,description,source\n",
    "206,科学技术支出\n",
    "20601,科学技术管理事务\n",
    "2060101,行政运行\n",
    "301,工资福利支出,类,,economic\n",
    "30101,基本工资,款,301,economic\n",
    "\"a,\"\"b\"\"\"",
    ",",
    "\r\n",
    "项",
    "款",
    "类",
    "function",
    "economic_gov",
];

/// Words of published reports and of pdftotext's XHTML: table titles, column headers, row
/// labels, figures in their printed forms, page markers and word boxes.
pub const REPORT_TOKENS: &[&str] = &[
    "收入支出决算总表\n",
    "收入决算表\n",
    "支出决算表\n",
    "财政拨款收入支出决算总表\n",
    "一般公共预算财政拨款支出决算表\n",
    "一般公共预算财政拨款基本支出决算明细表\n",
    "政府性基金预算财政拨款收入支出决算表\n",
    "国有资本经营预算财政拨款支出决算表\n",
    "财政拨款“三公”经费支出决算表\n",
    "公开01表\n",
    "金额单位：万元\n",
    "单位：万元\n",
    "部门：",
    "项目\t行次\t金额\n",
    "栏次\t1\t2\t3\n",
    "合计\t",
    "总计\t",
    "本年收入合计\t27\t",
    "科学技术支出\t",
    "2060101\t行政运行\t",
    "206\t",
    "35,549.61\t",
    "0.00\t",
    "1466.62",
    "-",
    "\t",
    "\n",
    "=== 第2页 ===\n",
    "（一）",
    "万元，",
    "增长 64.5%，",
    "占 4.1%",
    "完成年初预算的 98.36%",
    "辆",
    "<page width=\"595\" height=\"842\">",
    "</page>",
    "<line xMin=\"10\" yMin=\"20\" xMax=\"90\" yMax=\"30\">",
    "</line>",
    "<word xMin=\"10.5\" yMin=\"20\" xMax=\"40\" yMax=\"30\">",
    "</word>",
    "<flow><block>",
    "</block></flow>",
    "&amp;",
    "<doc>",
    "</doc>",
];
