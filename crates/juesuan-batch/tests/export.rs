//! Open data: the CSV and Parquet tables hold the same rows, every amount exact; the
//! descriptor names every column with an English concept and the currency.

use juesuan_batch::export::{FACT_COLUMNS, OpenDataWriter, VIEW_COLUMNS, fact_rows, view_rows};
use juesuan_batch::synth::{Params, generate};
use juesuan_core::Money;
use juesuan_input::Source;
use juesuan_input::compile::{LayoutChoice, catalog, compile};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::RowAccessor;

#[test]
fn csv_and_parquet_hold_the_same_exact_rows() {
    let cat = catalog(true, &[]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut w = OpenDataWriter::create(dir.path(), &[]).unwrap();
    let p = Params {
        departments: 3,
        ..Params::default()
    };
    let (mut facts_total, mut n_facts, mut n_views) = (Money::ZERO, 0, 0);
    for i in 0..3 {
        let g = generate(&cat, &p, i);
        let c = compile(
            &Source::new(g.file, g.text),
            &juesuan_input::assets::Assets::builtin().unwrap(),
            &cat,
            &LayoutChoice::FromInput,
        )
        .unwrap();
        let f = fact_rows(&c.facts, &cat);
        let v = view_rows(&c.views, c.facts.department.code.as_deref());
        facts_total += c.facts.facts.income.iter().map(|x| x.amount).sum::<Money>();
        n_facts += f.len();
        n_views += v.len();
        w.add(2024, f, v).unwrap();
    }
    let written = w.finish("test", "Test").unwrap();
    assert_eq!(written.len(), 5);
    // CSV: header from the column list, exact amounts.
    let mut r = csv::Reader::from_path(dir.path().join("facts.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        FACT_COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>()
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), n_facts);
    let amount_at = FACT_COLUMNS
        .iter()
        .position(|c| c.name == "amount")
        .unwrap();
    let income: Money = rows
        .iter()
        .filter(|r| &r[4] == "income")
        .map(|r| Money::parse(&r[amount_at], juesuan_core::money::AmountUnit::Yuan).unwrap())
        .sum();
    assert_eq!(income, facts_total);
    // Parquet: the same rows, the amount a DECIMAL(18,2) of 分.
    let reader =
        SerializedFileReader::new(std::fs::File::open(dir.path().join("facts.parquet")).unwrap())
            .unwrap();
    let meta = reader.metadata();
    assert_eq!(meta.file_metadata().num_rows() as usize, n_facts);
    let amount = meta.file_metadata().schema_descr().column(amount_at);
    assert_eq!(amount.name(), "amount");
    assert_eq!((amount.type_precision(), amount.type_scale()), (18, 2));
    let mut parquet_income = Money::ZERO;
    for row in reader.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        let dataset = row.get_string(4).unwrap().clone();
        if dataset == "income" {
            let d = row.get_decimal(amount_at).unwrap();
            let fen = i128::from_be_bytes({
                let b = d.data();
                let mut out = [if b[0] & 0x80 != 0 { 0xff } else { 0 }; 16];
                out[16 - b.len()..].copy_from_slice(b);
                out
            });
            parquet_income += Money::from_fen(fen);
        }
    }
    assert_eq!(parquet_income, facts_total);
    let views =
        SerializedFileReader::new(std::fs::File::open(dir.path().join("views.parquet")).unwrap())
            .unwrap();
    assert_eq!(
        views.metadata().file_metadata().num_rows() as usize,
        n_views
    );
    // The descriptor: Fiscal Data Package, CNY, every column with an English title.
    let d: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("datapackage.json")).unwrap())
            .unwrap();
    assert_eq!(d["profile"], "fiscal-data-package");
    assert_eq!(d["model"]["measures"]["amount"]["currency"], "CNY");
    assert_eq!(d["model"]["measures"]["amount"]["factor"], 1);
    for (res, cols) in [(0, &FACT_COLUMNS[..]), (1, &VIEW_COLUMNS[..])] {
        let fields = d["resources"][res]["schema"]["fields"].as_array().unwrap();
        assert_eq!(fields.len(), cols.len());
        for (f, c) in fields.iter().zip(cols) {
            assert_eq!(f["name"], c.name);
            assert!(
                f["title"]
                    .as_str()
                    .is_some_and(|t| t.is_ascii() && !t.is_empty())
            );
        }
    }
    // Every dimension's attributes name real columns.
    for (_, dim) in d["model"]["dimensions"].as_object().unwrap() {
        for (_, a) in dim["attributes"].as_object().unwrap() {
            let src = a["source"].as_str().unwrap();
            assert!(FACT_COLUMNS.iter().any(|c| c.name == src), "{src}");
        }
    }
}
