//! Legacy character sets in HTML, with a declaration and by detection alone.
//! Fixtures are written by `fixtures/generate.py`.

mod common;

use dossier_core::Content;
use dossier_ingest::{decode_html, DecodeMethod};

/// (fixture stem, encoding declared in `<meta>`, words the text must contain)
const CASES: &[(&str, &str, &[&str])] = &[
    (
        "ru-windows-1251",
        "windows-1251",
        &["Токаев", "инвесторов", "нефти", "провёл"],
    ),
    (
        "ru-koi8-r",
        "KOI8-R",
        &["Токаев", "инвесторов", "нефти", "провёл"],
    ),
    (
        "zh-gb2312",
        "GBK",
        &["国家统计局", "工业增加值", "消费品零售总额"],
    ),
    (
        "zh-gbk",
        "GBK",
        &["国家统计局", "工业增加值", "消费品零售总额"],
    ),
    (
        "ja-shift_jis",
        "Shift_JIS",
        &["東京証券取引所", "日経平均株価", "経済対策"],
    ),
    (
        "pl-iso-8859-2",
        "ISO-8859-2",
        &["środę", "Świnoujściu", "Bałtyku", "Źródła", "końcem"],
    ),
    (
        "cs-iso-8859-2",
        "ISO-8859-2",
        &["středu", "příští", "Českého", "úřadu", "říjnu"],
    ),
    (
        "el-iso-8859-7",
        "ISO-8859-7",
        &["κυβέρνηση", "Αθήνα", "ενέργειας", "Δεκεμβρίου"],
    ),
];

fn assert_words(file: &str, text: &str, words: &[&str]) {
    for w in words {
        assert!(
            text.contains(w),
            "{file}: {w:?} missing from decoded text:\n{text}"
        );
    }
}

#[test]
fn declared_in_meta() {
    for (stem, encoding, words) in CASES {
        let file = format!("charsets/{stem}-meta.html");
        let d = decode_html(&common::fixture(&file), None);
        assert_eq!(
            (d.encoding, d.how),
            (*encoding, DecodeMethod::MetaCharset),
            "{file}"
        );
        assert_words(&file, &d.text, words);
    }
}

#[test]
fn detected_without_declaration() {
    for (stem, _, words) in CASES {
        let file = format!("charsets/{stem}-detect.html");
        let d = decode_html(&common::fixture(&file), None);
        assert_eq!(d.how, DecodeMethod::Detected, "{file}");
        assert_words(&file, &d.text, words);
    }
}

#[test]
fn http_header_overrides_a_wrong_meta() {
    // The meta says KOI8-R but the bytes are windows-1251, as the header says.
    let mut page = b"<meta charset=\"koi8-r\">".to_vec();
    page.extend(common::fixture("charsets/ru-windows-1251-detect.html"));
    let d = decode_html(&page, Some("text/html; charset=windows-1251"));
    assert_eq!(d.how, DecodeMethod::HttpHeader);
    assert_words("header", &d.text, CASES[0].2);
}

#[test]
fn read_bytes_decodes_pages() {
    for (stem, _, words) in CASES {
        for kind in ["meta", "detect"] {
            let file = format!("charsets/{stem}-{kind}.html");
            let read = common::bytes(&file, &common::fixture(&file));
            let docs = read.docs();
            assert_eq!(docs.len(), 1, "{file}");
            let Content::Html(html) = &docs[0].content else {
                panic!("{file}: not HTML");
            };
            assert_words(&file, html, words);
            assert_eq!(
                docs[0].raw,
                common::fixture(&file),
                "raw keeps the original bytes"
            );
        }
    }
}
