//! Project policies, enforced: no floating point anywhere, every error code documented,
//! generated documents current, every crate on the architecture map, no dependency cycles
//! between the modules of a crate.

mod support;

use assert_cmd::Command;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use support::repo;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    rust_files(&repo().join("crates"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// Money is never binary floating point: no 32- or 64-bit float type anywhere in the code
/// (amounts and rates are computed, compared and printed exactly; spreadsheets get decimals).
#[test]
fn no_binary_floating_point_anywhere() {
    // Spelled in two halves so that this file passes its own check.
    let floats = [concat!("f", "32"), concat!("f", "64")];
    let mut found = Vec::new();
    for (path, text) in sources() {
        for (n, line) in text.lines().enumerate() {
            // The one escape: serde's trait method names, marked where they are forwarded.
            if line.contains("// policy: float-free") {
                continue;
            }
            let words = line.split(|c: char| !c.is_ascii_alphanumeric() && c != '_');
            if words.into_iter().any(|w| floats.contains(&w)) {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "floating point found:\n{}",
        found.join("\n")
    );
}

fn codes_in(text: &str) -> BTreeSet<String> {
    let bytes = text.as_bytes();
    let mut out = BTreeSet::new();
    for i in 0..bytes.len().saturating_sub(4) {
        if bytes[i] == b'E'
            && bytes[i + 1..i + 5].iter().all(u8::is_ascii_digit)
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && bytes.get(i + 5).is_none_or(|b| !b.is_ascii_alphanumeric())
        {
            out.insert(text[i..i + 5].to_string());
        }
    }
    out
}

/// Every error code the code can emit is in docs/errors.md, and the page lists nothing else.
#[test]
fn every_error_code_is_documented() {
    let mut used = BTreeSet::new();
    for (path, text) in sources() {
        if path.components().any(|c| c.as_os_str() == "tests") {
            continue;
        }
        for line in text.lines().filter(|l| l.contains("\"E")) {
            used.extend(codes_in(line));
        }
    }
    let doc = std::fs::read_to_string(repo().join("docs/errors.md")).unwrap();
    let documented: BTreeSet<String> = doc
        .lines()
        .filter(|l| l.starts_with("| E"))
        .flat_map(codes_in)
        .collect();
    let undocumented: Vec<_> = used.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&used).collect();
    assert!(
        undocumented.is_empty(),
        "undocumented error codes: {undocumented:?}"
    );
    assert!(
        stale.is_empty(),
        "documented but unused error codes: {stale:?}"
    );
}

/// The schema and the format reference are generated; the committed copies are current.
#[test]
fn generated_documents_are_current() {
    for (args, file) in [
        (vec!["schema"], "schema/department-year.schema.json"),
        (vec!["schema", "--markdown"], "docs/input-format.md"),
        (vec!["rules", "--markdown"], "docs/rules.md"),
        (
            vec!["rules", "--kind", "budget", "--markdown"],
            "docs/rules-budget.md",
        ),
    ] {
        let out = Command::cargo_bin("juesuan")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success());
        let committed = std::fs::read_to_string(repo().join(file)).unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            committed,
            "{file} is stale: run `juesuan {}` > {file}",
            args.join(" ")
        );
    }
}

/// ARCHITECTURE.md has a heading for every crate of the workspace.
#[test]
fn every_crate_is_on_the_architecture_map() {
    let map = std::fs::read_to_string(repo().join("ARCHITECTURE.md")).unwrap();
    for entry in std::fs::read_dir(repo().join("crates")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            map.lines()
                .any(|l| l.starts_with('#') && l.contains(&format!("crates/{name}"))),
            "ARCHITECTURE.md has no heading for crates/{name}"
        );
    }
}

/// A module's path in its crate: `[]` for the crate root, `["workbook", "book"]` for
/// `workbook::book`.
type Module = Vec<String>;

/// Cycles between modules that are known and scheduled to go: (crate, its modules, sorted).
/// Each must still be a cycle, so that the entry is deleted with the cycle.
const ALLOWED_CYCLES: &[(&str, &[&str])] = &[];

/// Rust source with comments (doc comments included), string and char literals blanked out:
/// what is left is code. Line breaks are kept, so lines keep their numbers.
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, from: usize, to: usize| {
        for &ch in &c[from..to.min(c.len())] {
            out.push(if ch == '\n' { '\n' } else { ' ' });
        }
    };
    let mut i = 0;
    while i < c.len() {
        let start = i;
        if at(i) == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if at(i) == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if at(i) == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if at(i) == 'r'
            && (i == 0 || !ident(at(i - 1)) || (at(i - 1) == 'b' && (i < 2 || !ident(at(i - 2)))))
            && {
                let mut j = i + 1;
                while at(j) == '#' {
                    j += 1;
                }
                at(j) == '"'
            }
        {
            // A raw string: ends at `"` followed by as many `#` as it opened with.
            let mut j = i + 1;
            while at(j) == '#' {
                j += 1;
            }
            let hashes = j - i - 1;
            i = j + 1;
            while i < c.len() && !(at(i) == '"' && (1..=hashes).all(|k| at(i + k) == '#')) {
                i += 1;
            }
            i += 1 + hashes;
        } else if at(i) == '"' {
            i += 1;
            while i < c.len() && at(i) != '"' {
                i += if at(i) == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if at(i) == '\'' && at(i + 1) == '\\' {
            // An escaped char (`'\''`, `'\u{3000}'`): the escaped character is never the end.
            i += 3;
            while i < c.len() && at(i) != '\'' {
                i += 1;
            }
            i += 1;
        } else if at(i) == '\'' && at(i + 2) == '\'' {
            i += 3;
        } else {
            // Code, or the quote of a lifetime.
            out.push(c[i]);
            i += 1;
            continue;
        }
        blank(&mut out, start, i);
    }
    out
}

/// A token of code: an identifier, `::`, or one punctuation character, with its line (0-based).
struct Token {
    text: String,
    line: usize,
}

/// An identifier or keyword (not a number or punctuation).
fn is_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_alphabetic() || c == '_')
}

/// The tokens of a file's code, leaving out `#[cfg(test)]` items (the `mod tests { … }`
/// blocks): a test may use anything.
fn tokens(code: &str) -> Vec<Token> {
    let mut all = Vec::new();
    let mut line = 0;
    let mut chars = code.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if ch == '\n' {
            line += 1;
        } else if ch.is_alphanumeric() || ch == '_' {
            let mut end = i + ch.len_utf8();
            while let Some(&(j, c)) = chars.peek() {
                if !(c.is_alphanumeric() || c == '_') {
                    break;
                }
                end = j + c.len_utf8();
                chars.next();
            }
            all.push(Token {
                text: code[i..end].to_string(),
                line,
            });
        } else if ch == ':' && chars.peek().is_some_and(|&(_, c)| c == ':') {
            chars.next();
            all.push(Token {
                text: "::".into(),
                line,
            });
        } else if !ch.is_whitespace() {
            all.push(Token {
                text: ch.to_string(),
                line,
            });
        }
    }
    let texts: Vec<&str> = all.iter().map(|t| t.text.as_str()).collect();
    let cfg_test = ["#", "[", "cfg", "(", "test", ")", "]"];
    let mut keep = vec![true; all.len()];
    let mut i = 0;
    while i < all.len() {
        if !texts[i..].starts_with(&cfg_test) {
            i += 1;
            continue;
        }
        let start = i;
        i += cfg_test.len();
        // Further attributes, then the item up to its `;` or its `{ … }`.
        while texts.get(i) == Some(&"#") {
            while i < all.len() && texts[i] != "]" {
                i += 1;
            }
            i += 1;
        }
        while i < all.len() && texts[i] != ";" && texts[i] != "{" {
            i += 1;
        }
        if texts.get(i) == Some(&"{") {
            let mut depth = 0;
            while i < all.len() {
                depth += match texts[i] {
                    "{" => 1,
                    "}" => -1,
                    _ => 0,
                };
                if depth == 0 {
                    break;
                }
                i += 1;
            }
        }
        i += 1;
        keep[start..i.min(all.len())].fill(false);
    }
    all.into_iter()
        .zip(keep)
        .filter_map(|(t, k)| k.then_some(t))
        .collect()
}

/// The module of each token: the file's, or an inline `mod name { … }` inside it.
fn scopes(file_module: &Module, toks: &[Token]) -> Vec<Module> {
    let mut out = Vec::with_capacity(toks.len());
    let mut current = file_module.clone();
    // (depth of braces when the inline module opened)
    let mut open: Vec<usize> = Vec::new();
    let mut depth = 0;
    for (i, t) in toks.iter().enumerate() {
        out.push(current.clone());
        match t.text.as_str() {
            "{" => {
                if i >= 2 && toks[i - 2].text == "mod" && is_ident(&toks[i - 1].text) {
                    current.push(toks[i - 1].text.clone());
                    open.push(depth);
                }
                depth += 1;
            }
            "}" => {
                depth -= 1;
                if open.last() == Some(&depth) {
                    open.pop();
                    current.pop();
                }
            }
            _ => {}
        }
    }
    out
}

/// A path a `use` names: as written, its name in scope (empty for a glob) and the line of its
/// last segment.
type UsePath = (Vec<String>, String, usize);

/// The paths of the `use` tree from token `i` on (`a::{b, c::d as e, self}`).
fn use_tree(toks: &[Token], i: &mut usize, prefix: &[String], out: &mut Vec<UsePath>) {
    let mut path = prefix.to_vec();
    let mut line = toks.get(*i).map_or(0, |t| t.line);
    if toks.get(*i).is_some_and(|t| t.text == "::") {
        *i += 1;
    }
    loop {
        let Some(t) = toks.get(*i) else { return };
        match t.text.as_str() {
            "{" => {
                *i += 1;
                while toks.get(*i).is_some_and(|t| t.text != "}") {
                    let before = *i;
                    use_tree(toks, i, &path, out);
                    if toks.get(*i).is_some_and(|t| t.text == ",") || *i == before {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            "*" => {
                *i += 1;
                out.push((path, String::new(), t.line));
                return;
            }
            s if is_ident(s) => {
                path.push(s.to_string());
                line = t.line;
                *i += 1;
                if toks.get(*i).is_some_and(|t| t.text == "::") {
                    *i += 1;
                    continue;
                }
                let name = if toks.get(*i).is_some_and(|t| t.text == "as") {
                    *i += 2;
                    toks[*i - 1].text.clone()
                } else {
                    path.iter()
                        .rev()
                        .find(|s| *s != "self")
                        .cloned()
                        .unwrap_or_default()
                };
                out.push((path, name, line));
                return;
            }
            _ => {
                out.push((path, String::new(), line));
                return;
            }
        }
    }
}

/// One file of a crate, as code.
struct CodeFile {
    krate: String,
    file: PathBuf,
    text: String,
    toks: Vec<Token>,
    scopes: Vec<Module>,
}

impl CodeFile {
    /// The `use` statements: index of the `use` token, whether it re-exports (`pub use`), and
    /// the paths it names.
    fn uses(&self) -> Vec<(usize, bool, Vec<UsePath>)> {
        let mut out = Vec::new();
        for (i, t) in self.toks.iter().enumerate() {
            if t.text != "use" {
                continue;
            }
            let public = self.toks[..i]
                .iter()
                .rev()
                .take(4)
                .take_while(|t| t.text != ";" && t.text != "}" && t.text != "{")
                .any(|t| t.text == "pub");
            let mut leaves = Vec::new();
            let mut j = i + 1;
            use_tree(&self.toks, &mut j, &[], &mut leaves);
            out.push((i, public, leaves));
        }
        out
    }

    /// `crates/…/file.rs:12: the line`, for a report.
    fn line(&self, n: usize) -> String {
        format!(
            "{}:{}: {}",
            self.file
                .strip_prefix(repo())
                .unwrap_or(&self.file)
                .display(),
            n + 1,
            self.text.lines().nth(n).unwrap_or("").trim()
        )
    }
}

/// The modules of one crate and the items its modules re-export (`pub use`).
#[derive(Default)]
struct ModuleTree {
    modules: BTreeSet<Module>,
    reexports: BTreeMap<(Module, String), Module>,
}

impl ModuleTree {
    /// A path as written in module `m` (`crate::a`, `super::b`, `self::c`, `child::d`) as a path
    /// from the crate root; `None` for paths outside the crate.
    fn absolute(&self, m: &Module, written: &[String]) -> Option<Vec<String>> {
        let (mut abs, rest) = match written.first()?.as_str() {
            "crate" => (Vec::new(), &written[1..]),
            "self" | "super" => (m.clone(), written),
            first => {
                let mut child = m.clone();
                child.push(first.to_string());
                if !self.modules.contains(&child) {
                    return None;
                }
                (m.clone(), written)
            }
        };
        for s in rest {
            match s.as_str() {
                "self" => {}
                "super" => {
                    abs.pop()?;
                }
                _ => abs.push(s.clone()),
            }
        }
        Some(abs)
    }

    /// The module an absolute path refers into: its longest prefix that is a module, or, for
    /// an item that module re-exports, the module the item comes from.
    fn target(&self, abs: &[String], depth: usize) -> Module {
        let mut n = abs.len();
        while n > 0 && !self.modules.contains(&abs[..n]) {
            n -= 1;
        }
        let m = abs[..n].to_vec();
        if depth < 8
            && let Some(name) = abs.get(n)
            && let Some(from) = self.reexports.get(&(m.clone(), name.clone()))
        {
            let mut path = from.clone();
            path.extend_from_slice(&abs[n + 1..]);
            return self.target(&path, depth + 1);
        }
        m
    }
}

/// `workbook::book`; `crate` for the root.
fn module_name(m: &Module) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

/// Strongly connected components of more than one node (Tarjan).
fn cycles(edges: &BTreeSet<(Module, Module)>) -> Vec<BTreeSet<Module>> {
    struct State<'a> {
        edges: &'a BTreeSet<(Module, Module)>,
        index: BTreeMap<&'a Module, (usize, usize)>,
        stack: Vec<&'a Module>,
        out: Vec<BTreeSet<Module>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        let n = s.index.len();
        s.index.insert(v, (n, n));
        s.stack.push(v);
        let edges = s.edges;
        for (_, w) in edges.iter().filter(|(from, _)| from == v) {
            match s.index.get(w) {
                None => {
                    visit(s, w);
                    let low = s.index[w].1.min(s.index[v].1);
                    s.index.get_mut(v).unwrap().1 = low;
                }
                Some(&(wi, _)) if s.stack.contains(&w) => {
                    let low = wi.min(s.index[v].1);
                    s.index.get_mut(v).unwrap().1 = low;
                }
                Some(_) => {}
            }
        }
        if s.index[v].0 == s.index[v].1 {
            let mut component = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                component.insert(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: Default::default(),
        stack: Vec::new(),
        out: Vec::new(),
    };
    for (v, _) in edges {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// No two modules of different concerns use each other, directly or around a loop: in every
/// crate under `crates/*/src`, the modules (`lib.rs`/`main.rs` the root, `foo.rs` or
/// `foo/mod.rs` = `foo`, `foo/bar.rs` = `foo::bar`, inline `mod x { … }`) and the references
/// between them in code (`use crate::…`, `crate::…` and `super::…` paths; not comments, doc
/// links or `#[cfg(test)]` items; a re-exported item counts as a use of its own module) form no
/// cycle. A module and its ancestors or descendants (`foo` ↔ `foo::bar`, the crate root ↔
/// anything) are one concern, an outline and its parts: their re-exports and `super::` paths
/// are not cycles. Every cycle is reported with one referencing line per edge.
#[test]
fn no_dependency_cycles_between_modules() {
    let mut files: Vec<CodeFile> = Vec::new();
    let mut trees: BTreeMap<String, ModuleTree> = Default::default();
    for (path, text) in sources() {
        let rel = path.strip_prefix(repo().join("crates")).unwrap();
        let mut parts = rel.iter().map(|p| p.to_string_lossy().into_owned());
        let krate = parts.next().unwrap();
        if parts.next().as_deref() != Some("src") {
            continue;
        }
        let mut module: Module = parts.collect();
        let file = module.pop().unwrap();
        let stem = file.trim_end_matches(".rs");
        if stem != "mod" && !(module.is_empty() && (stem == "lib" || stem == "main")) {
            module.push(stem.to_string());
        }
        let toks = tokens(&code_only(&text));
        let scopes = scopes(&module, &toks);
        let tree = trees.entry(krate.clone()).or_default();
        tree.modules.extend(scopes.iter().cloned());
        tree.modules.insert(module);
        files.push(CodeFile {
            krate,
            file: path,
            text,
            toks,
            scopes,
        });
    }
    for f in &files {
        for (i, public, leaves) in f.uses() {
            let tree = &trees[&f.krate];
            let found: Vec<_> = leaves
                .iter()
                .filter(|(_, name, _)| public && !name.is_empty())
                .filter_map(|(written, name, _)| {
                    Some((
                        (f.scopes[i].clone(), name.clone()),
                        tree.absolute(&f.scopes[i], written)?,
                    ))
                })
                .collect();
            trees.get_mut(&f.krate).unwrap().reexports.extend(found);
        }
    }

    // (crate, from, to) → the first line that makes the edge.
    let mut edges: BTreeMap<(String, Module, Module), String> = Default::default();
    for f in &files {
        let tree = &trees[&f.krate];
        let mut refs: Vec<(&Module, Vec<String>, usize)> = Vec::new();
        let mut in_use = vec![false; f.toks.len()];
        for (i, _, leaves) in f.uses() {
            let end = (i..f.toks.len())
                .find(|&j| f.toks[j].text == ";")
                .unwrap_or(i);
            in_use[i..=end].fill(true);
            refs.extend(
                leaves
                    .into_iter()
                    .map(|(w, _, line)| (&f.scopes[i], w, line)),
            );
        }
        for (i, t) in f.toks.iter().enumerate() {
            let starts = matches!(t.text.as_str(), "crate" | "super" | "self")
                && f.toks.get(i + 1).is_some_and(|n| n.text == "::")
                && (i == 0 || f.toks[i - 1].text != "::");
            if in_use[i] || !starts {
                continue;
            }
            let mut written = vec![t.text.clone()];
            let mut j = i + 1;
            while f.toks.get(j).is_some_and(|n| n.text == "::")
                && f.toks.get(j + 1).is_some_and(|n| is_ident(&n.text))
            {
                written.push(f.toks[j + 1].text.clone());
                j += 2;
            }
            refs.push((&f.scopes[i], written, f.toks[j - 1].line));
        }
        for (from, written, line) in refs {
            let Some(abs) = tree.absolute(from, &written) else {
                continue;
            };
            let to = tree.target(&abs, 0);
            // A module and its ancestors or descendants: re-exports and paths, one concern.
            if to.starts_with(from) || from.starts_with(&to) {
                continue;
            }
            edges
                .entry((f.krate.clone(), from.clone(), to))
                .or_insert_with(|| f.line(line));
        }
    }

    let mut problems = Vec::new();
    let mut allowed_seen = BTreeSet::new();
    for krate in trees.keys() {
        let graph: BTreeSet<(Module, Module)> = edges
            .keys()
            .filter(|(k, _, _)| k == krate)
            .map(|(_, from, to)| (from.clone(), to.clone()))
            .collect();
        for component in cycles(&graph) {
            let names: Vec<String> = component.iter().map(module_name).collect();
            if let Some(allowed) = ALLOWED_CYCLES
                .iter()
                .find(|(k, m)| k == krate && *m == names.as_slice())
            {
                allowed_seen.insert(allowed);
                continue;
            }
            let mut report = format!("{krate}: {}", names.join(" ↔ "));
            for ((_, from, to), line) in edges.iter().filter(|((k, from, to), _)| {
                k == krate && component.contains(from) && component.contains(to)
            }) {
                report.push_str(&format!(
                    "\n    {} → {}: {line}",
                    module_name(from),
                    module_name(to)
                ));
            }
            problems.push(report);
        }
    }
    for allowed in ALLOWED_CYCLES {
        if !allowed_seen.contains(allowed) {
            problems.push(format!(
                "{}: {} is no longer a cycle: delete it from ALLOWED_CYCLES",
                allowed.0,
                allowed.1.join(" ↔ ")
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "cycles between modules (move what both use to the module that owns the concept, \
         or to a module of its own):\n{}",
        problems.join("\n")
    );
}
