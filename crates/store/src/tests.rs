use std::collections::BTreeMap;

use dossier_core::{
    Article, ArticleId, Component, Content, DateMethod, DateValue, Hints, InputFormat, Layer,
    Origin, Span,
};

use super::*;

fn record(raw: &str, title: &str, text: &str, day: Option<&str>, source: &str) -> NewRecord {
    let id = ArticleId::of_bytes(raw.as_bytes());
    let mut layers = BTreeMap::new();
    layers.insert(
        "sentences".to_owned(),
        Layer {
            name: "sentences".into(),
            component: Component::new("test-sentences", "1"),
            spans: vec![Span::new(0, text.chars().count())],
        },
    );
    NewRecord {
        article: Article {
            id,
            url: Some(format!("https://example.com/{title}")),
            source: Some(source.into()),
            title: title.into(),
            published: day.map(|d| DateValue::new(d, DateMethod::Declared, 0.9)),
            language: Some("en".into()),
            authors: vec![],
            text: text.into(),
            format: InputFormat::Text,
            extractor: Component::new("test", "1"),
            layers,
        },
        origin: Origin::file("a.txt"),
        raw: raw.as_bytes().to_vec(),
        content: Content::Text(text.into()),
        hints: Hints::default(),
    }
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_write(&dir.path().join("data")).unwrap();
    (dir, store)
}

#[test]
fn same_content_is_stored_once_and_seen_twice() {
    let (_dir, mut store) = temp_store();
    let run = store.begin_run("k", "test", true).unwrap();
    let rec = record(
        "raw-1",
        "Floods",
        "Rivers rose in Almaty.",
        Some("2020-05-01"),
        "wire",
    );
    let first = store.write_batch(&run, std::slice::from_ref(&rec)).unwrap();
    assert!(matches!(first[0], WriteOutcome::New(_)));
    let mut again = rec.clone();
    again.origin = Origin::file("b.txt");
    let second = store.write_batch(&run, &[again]).unwrap();
    assert_eq!(second[0], WriteOutcome::Seen(rec.article.id));
    let shown = store.article(&rec.article.id.to_hex()[..8]).unwrap();
    assert_eq!(shown.seen, 2);
    assert_eq!(store.stats().unwrap().articles, 1);
}

#[test]
fn same_words_from_different_bytes_are_an_exact_duplicate() {
    let (_dir, mut store) = temp_store();
    let run = store.begin_run("k", "test", true).unwrap();
    let a = record("raw-a", "Floods", "Rivers rose.", None, "wire");
    let b = record("raw-b", "Floods", "Rivers   rose.", None, "paper");
    let out = store.write_batch(&run, &[a.clone(), b]).unwrap();
    assert_eq!(out[1], WriteOutcome::Duplicate(a.article.id));
    assert_eq!(store.stats().unwrap().articles, 1);
}

#[test]
fn layers_come_back_with_their_component() {
    let (_dir, mut store) = temp_store();
    let run = store.begin_run("k", "test", true).unwrap();
    let rec = record("raw", "T", "Body text here.", None, "s");
    store.write_batch(&run, std::slice::from_ref(&rec)).unwrap();
    let shown = store.article(&rec.article.id.to_hex()).unwrap();
    assert_eq!(shown.layers["sentences"], vec![Span::new(0, 15)]);
    assert_eq!(shown.layer_components["sentences"].name, "test-sentences");
}

#[test]
fn search_filters_by_source_language_and_date() {
    let (_dir, mut store) = temp_store();
    let run = store.begin_run("k", "test", true).unwrap();
    store
        .write_batch(
            &run,
            &[
                record(
                    "1",
                    "Gas deal",
                    "Kazakhstan signs gas deal with China.",
                    Some("2020-01-10"),
                    "a",
                ),
                record(
                    "2",
                    "Gas prices",
                    "Gas prices rose in Europe.",
                    Some("2021-03-02"),
                    "b",
                ),
                record("3", "Weather", "Sunny in Astana.", None, "a"),
            ],
        )
        .unwrap();
    store.commit_index().unwrap();
    let all = store
        .search(
            "gas",
            &SearchFilter {
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(all.len(), 2);
    let by_source = store
        .search(
            "gas",
            &SearchFilter {
                source: Some("b".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(by_source.len(), 1);
    assert_eq!(by_source[0].title, "Gas prices");
    let since = read::date_to_ts("2021-01-01");
    let recent = store
        .search(
            "gas",
            &SearchFilter {
                since,
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(recent.len(), 1);
    let lang = store
        .search(
            "gas",
            &SearchFilter {
                language: Some("ru".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
    assert!(lang.is_empty());
    assert!(store.search("  ", &SearchFilter::default()).is_err());
}

#[test]
fn index_catches_up_after_a_crash_before_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data");
    {
        let mut store = Store::open_write(&path).unwrap();
        let run = store.begin_run("k", "test", true).unwrap();
        store
            .write_batch(
                &run,
                &[record("x", "Crash", "Uncommitted index entry.", None, "s")],
            )
            .unwrap();
        // Dropped without an index commit: the database has it, the index not.
    }
    let reader = Store::open_read(&path).unwrap();
    assert_eq!(reader.stats().unwrap().indexed, 0);
    drop(reader);
    let store = Store::open_write(&path).unwrap();
    let hits = store
        .search(
            "uncommitted",
            &SearchFilter {
                limit: 5,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(hits.len(), 1);
}

#[test]
fn rebuild_index_restores_search() {
    let (_dir, mut store) = temp_store();
    let run = store.begin_run("k", "test", true).unwrap();
    store
        .write_batch(
            &run,
            &[record("r", "Rebuild", "Searchable words.", None, "s")],
        )
        .unwrap();
    assert_eq!(store.rebuild_index().unwrap(), 1);
    let hits = store
        .search(
            "searchable",
            &SearchFilter {
                limit: 5,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(hits.len(), 1);
}

#[test]
fn an_interrupted_run_is_resumed_and_skips_finished_inputs() {
    let (_dir, mut store) = temp_store();
    let run = store.begin_run("key", "ingest a b", true).unwrap();
    store.input_done(&run, "a").unwrap();
    store.finish_run(&run, false).unwrap();
    let resumed = store.begin_run("key", "ingest a b", true).unwrap();
    assert!(resumed.resumed);
    assert_eq!(resumed.id, run.id);
    assert!(resumed.done_inputs.contains("a"));
    store.finish_run(&resumed, true).unwrap();
    let fresh = store.begin_run("key", "ingest a b", true).unwrap();
    assert!(!fresh.resumed);
}

#[test]
fn a_store_from_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data");
    drop(Store::open_write(&path).unwrap());
    let db = rusqlite::Connection::open(path.join(DB_FILE)).unwrap();
    db.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(db);
    let err = Store::open_read(&path).err().unwrap();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    assert!(err.to_string().contains("newer"));
    let db = rusqlite::Connection::open(path.join(DB_FILE)).unwrap();
    let v: u32 = db
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION + 1);
}

#[test]
fn a_second_writer_is_refused_with_a_clear_message() {
    let (dir, _store) = temp_store();
    let err = Store::open_write(&dir.path().join("data")).err().unwrap();
    assert!(matches!(err, StoreError::Locked(_)), "{err}");
}

#[test]
fn missing_store_and_bad_ids_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        Store::open_read(&dir.path().join("none")),
        Err(StoreError::Missing(_))
    ));
    let (_d, store) = temp_store();
    assert!(matches!(store.article("xyz!"), Err(StoreError::BadId(_))));
    assert!(matches!(
        store.article("abcd"),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn reprocess_replaces_derived_data_and_reindexes() {
    let (_dir, mut store) = temp_store();
    let run = store.begin_run("k", "test", true).unwrap();
    let rec = record("raw", "Old title", "Old words.", None, "s");
    store.write_batch(&run, std::slice::from_ref(&rec)).unwrap();
    let page = store.reprocess_page(0, 10, None).unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].1.content, Content::Text("Old words.".into()));
    let mut updated = rec.article.clone();
    updated.text = "New words entirely.".into();
    store.replace_derived(&updated).unwrap();
    store.commit_index().unwrap();
    let f = SearchFilter {
        limit: 5,
        ..Default::default()
    };
    assert_eq!(store.search("entirely", &f).unwrap().len(), 1);
    assert!(store.search("old", &f).unwrap().len() <= 1);
    assert_eq!(store.search("words", &f).unwrap().len(), 1);
}

#[test]
fn learned_boilerplate_is_stored_and_can_be_overruled() {
    let (_dir, mut store) = temp_store();
    let learned = LearnedParagraph {
        source: "Times".into(),
        hash: "abcdef0123456789".into(),
        text: "Subscribe to our newsletter.".into(),
        articles: 12,
        share: 0.6,
        kept: false,
    };
    assert!(store
        .replace_learned("Times", std::slice::from_ref(&learned))
        .unwrap());
    assert!(
        !store
            .replace_learned("Times", std::slice::from_ref(&learned))
            .unwrap(),
        "unchanged"
    );
    assert_eq!(store.learned_boilerplate().unwrap(), vec![learned.clone()]);
    let kept = store.keep_boilerplate("abcdef", true).unwrap();
    assert!(kept.kept);
    assert!(store.learned_boilerplate().unwrap()[0].kept);
    assert!(matches!(
        store.keep_boilerplate("ffff", true),
        Err(StoreError::NotFound(_))
    ));
    assert!(!store.keep_boilerplate("abcdef01", false).unwrap().kept);
}

fn seq(store: &Store, rec: &NewRecord) -> i64 {
    store.seq_of(&rec.article.id).unwrap().unwrap()
}

#[test]
fn signatures_are_stored_as_bytes_and_unsigned_articles_listed() {
    let (_dir, mut store) = temp_store();
    let run = store.begin_run("k", "test", true).unwrap();
    let a = record("raw-a", "A", "Rivers rose in Almaty.", None, "wire");
    let b = record("raw-b", "B", "Snow closed the passes.", None, "paper");
    store.write_batch(&run, &[a.clone(), b.clone()]).unwrap();
    let (sa, sb) = (seq(&store, &a), seq(&store, &b));
    assert_eq!(store.unsigned_count().unwrap(), 2);
    store.put_signatures(&[(sa, vec![1, 2, 3])]).unwrap();
    assert_eq!(store.unsigned_count().unwrap(), 1);
    let unsigned = store.unsigned_articles(0, 10).unwrap();
    assert_eq!(unsigned, vec![(sb, "Snow closed the passes.".to_owned())]);
    assert!(store.unsigned_articles(sb, 10).unwrap().is_empty());
    store
        .put_signatures(&[(sa, vec![4, 5]), (sb, vec![6])])
        .unwrap();
    let mut all = Vec::new();
    store
        .for_each_signature(|seq, bytes| all.push((seq, bytes.to_vec())))
        .unwrap();
    assert_eq!(all, vec![(sa, vec![4, 5]), (sb, vec![6])]);
    assert_eq!(
        store.texts_of(&[sb, 999, sa]).unwrap(),
        vec![
            (sb, "Snow closed the passes.".to_owned()),
            (sa, "Rivers rose in Almaty.".to_owned())
        ]
    );
}

#[test]
fn copies_are_kept_once_per_pair_and_read_from_either_side() {
    let (_dir, mut store) = temp_store();
    let run = store.begin_run("k", "test", true).unwrap();
    let a = record("raw-a", "A", "Rivers rose.", Some("2020-05-01"), "wire");
    let b = record("raw-b", "B", "Rivers rose!", Some("2020-05-02"), "paper");
    let c = record("raw-c", "C", "Other words.", None, "blog");
    store
        .write_batch(&run, &[a.clone(), b.clone(), c.clone()])
        .unwrap();
    let (sa, sb, sc) = (seq(&store, &a), seq(&store, &b), seq(&store, &c));
    let copy = |x, y, a_in_b, b_in_a| CopyRecord {
        a_seq: x,
        b_seq: y,
        jaccard: 0.6,
        a_in_b,
        b_in_a,
    };
    // Given in the wrong order, then again: one row, the latest figures.
    store.record_copies(&[copy(sb, sa, 0.7, 0.8)]).unwrap();
    store.record_copies(&[copy(sb, sa, 0.75, 0.8)]).unwrap();
    assert_eq!(store.record_copies(&[copy(sa, sa, 1.0, 1.0)]).unwrap(), 0);
    store.record_copies(&[copy(sc, sa, 0.9, 0.2)]).unwrap();

    let of_a = store.copies_of(&a.article.id.to_hex()[..8]).unwrap();
    assert_eq!(of_a.len(), 2);
    let to_b = of_a.iter().find(|r| r.id == b.article.id.to_hex()).unwrap();
    // B's text is 75% in A; A's text is 80% in B.
    assert_eq!(to_b.this_in_other, 0.8);
    assert_eq!(to_b.other_in_this, 0.75);
    assert_eq!(to_b.first, Some("this"));
    assert_eq!(to_b.source.as_deref(), Some("paper"));
    let to_c = of_a.iter().find(|r| r.id == c.article.id.to_hex()).unwrap();
    assert_eq!(to_c.first, None);
    assert_eq!((to_c.this_in_other, to_c.other_in_this), (0.2, 0.9));

    let of_b = store.copies_of(&b.article.id.to_hex()).unwrap();
    assert_eq!(of_b.len(), 1);
    assert_eq!(of_b[0].id, a.article.id.to_hex());
    assert_eq!((of_b[0].this_in_other, of_b[0].other_in_this), (0.75, 0.8));
    assert_eq!(of_b[0].first, Some("other"));
    assert_eq!(store.article(&a.article.id.to_hex()).unwrap().copies, 2);
    assert_eq!(store.article(&c.article.id.to_hex()).unwrap().copies, 1);
}

#[test]
fn a_new_text_drops_its_signature_and_copies() {
    let (_dir, mut store) = temp_store();
    let run = store.begin_run("k", "test", true).unwrap();
    let a = record("raw-a", "A", "Rivers rose.", None, "wire");
    let b = record("raw-b", "B", "Rivers rose!", None, "paper");
    store.write_batch(&run, &[a.clone(), b.clone()]).unwrap();
    let (sa, sb) = (seq(&store, &a), seq(&store, &b));
    store
        .put_signatures(&[(sa, vec![1]), (sb, vec![2])])
        .unwrap();
    store
        .record_copies(&[CopyRecord {
            a_seq: sa,
            b_seq: sb,
            jaccard: 1.0,
            a_in_b: 1.0,
            b_in_a: 1.0,
        }])
        .unwrap();
    // Same text again (a metadata change): nothing is dropped.
    let mut same = a.article.clone();
    same.title = "A, re-titled".into();
    store.replace_derived(&same).unwrap();
    assert_eq!(store.unsigned_count().unwrap(), 0);
    assert_eq!(store.copies_of(&b.article.id.to_hex()).unwrap().len(), 1);
    let mut changed = a.article.clone();
    changed.text = "Entirely different words now.".into();
    store.replace_derived(&changed).unwrap();
    assert_eq!(store.unsigned_articles(0, 10).unwrap()[0].0, sa);
    assert!(store.copies_of(&b.article.id.to_hex()).unwrap().is_empty());
}

#[test]
fn a_version_2_store_gains_the_copy_tables_with_its_articles_unsigned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data");
    let a = record("raw-a", "A", "Rivers rose.", None, "wire");
    {
        let mut store = Store::open_write(&path).unwrap();
        let run = store.begin_run("k", "test", true).unwrap();
        store.write_batch(&run, std::slice::from_ref(&a)).unwrap();
        store.finish_run(&run, true).unwrap();
    }
    // What a store written before migration 3 looks like.
    let db = rusqlite::Connection::open(path.join(DB_FILE)).unwrap();
    // Every table made by a migration after 2 goes (children first).
    let v2 = [
        "meta",
        "articles",
        "layers",
        "runs",
        "run_inputs",
        "sightings",
        "links",
        "problems",
        "boilerplate",
        "boilerplate_keep",
        "sqlite_sequence",
    ];
    let later: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid DESC")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .filter(|t| !v2.contains(&t.as_str()))
        .collect();
    for t in later {
        db.execute_batch(&format!("DROP TABLE {t};")).unwrap();
    }
    db.execute_batch("PRAGMA user_version = 2;").unwrap();
    drop(db);
    let store = Store::open_read(&path).unwrap();
    assert_eq!(store.stats().unwrap().schema_version, SCHEMA_VERSION);
    assert_eq!(store.unsigned_count().unwrap(), 1);
    assert!(store.copies_of(&a.article.id.to_hex()).unwrap().is_empty());
}

#[test]
fn entities_mentions_variants_and_dates_are_recorded() {
    let (_dir, mut store) = temp_store();
    let run = store.begin_run("k", "test", true).unwrap();
    let a = record("r1", "A", "Tokayev spoke.", Some("2020-05-01"), "wire");
    let b = record(
        "r2",
        "B",
        "Токаев spoke, Astana.",
        Some("2020-06-01"),
        "wire",
    );
    let out = store.write_batch(&run, &[a.clone(), b.clone()]).unwrap();
    let seq = |o: &WriteOutcome| match o {
        WriteOutcome::New(id) => store.seq_of(id).unwrap().unwrap(),
        _ => panic!(),
    };
    let (sa, sb) = (seq(&out[0]), seq(&out[1]));
    assert_eq!(store.entity_next_id().unwrap(), 1);
    assert_eq!(store.entities_resolved_upto().unwrap(), 0);
    assert_eq!(store.entity_inputs(0, 10).unwrap().len(), 2);
    let mention = |id, seq, start, end, v: &str, why: &str| MentionRecord {
        entity_id: id,
        article_seq: seq,
        start,
        end,
        variant: v.into(),
        explanation: why.into(),
    };
    store
        .record_entities(&EntityBatch {
            new_entities: vec![
                EntityRow {
                    id: 1,
                    canonical: "Tokayev".into(),
                    label: "PER".into(),
                    key: "tokaev".into(),
                },
                EntityRow {
                    id: 2,
                    canonical: "Astana".into(),
                    label: "LOC".into(),
                    key: "astana".into(),
                },
            ],
            renamed: vec![],
            mentions: vec![
                mention(1, sa, 0, 7, "Tokayev", "new entity (key 'tokaev')"),
                mention(
                    1,
                    sb,
                    0,
                    6,
                    "Токаев",
                    "matched because: same transliteration key 'tokaev'",
                ),
                mention(2, sb, 14, 20, "Astana", "new entity (key 'astana')"),
            ],
            upto: sb,
        })
        .unwrap();
    store
        .record_entities(&EntityBatch {
            renamed: vec![(1, "Kassym-Jomart Tokayev".into())],
            upto: sa,
            ..EntityBatch::default()
        })
        .unwrap();
    assert_eq!(
        store.entities_resolved_upto().unwrap(),
        sb,
        "the mark never goes back"
    );
    assert_eq!(store.entity_next_id().unwrap(), 3);
    let list = store.entities(Some("PER"), 10).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].canonical, "Kassym-Jomart Tokayev");
    assert_eq!(
        (list[0].variants, list[0].mentions, list[0].articles),
        (2, 2, 2)
    );
    assert_eq!(list[0].first_seen.as_deref(), Some("2020-05-01"));
    assert_eq!(list[0].last_seen.as_deref(), Some("2020-06-01"));
    let id = store.find_entity("Токаев", "zzz").unwrap().unwrap();
    assert_eq!(id, 1);
    assert_eq!(store.find_entity("nobody", "tokaev").unwrap(), Some(1));
    let d = store.entity_detail(1, 5, 5).unwrap().unwrap();
    assert_eq!(d.articles.len(), 2);
    assert_eq!(d.co_occurring[0].canonical, "Astana");
    assert_eq!(d.explanations.len(), 2);
    assert_eq!(
        store.entity_cooccurrence(3).unwrap(),
        vec![(1, "Astana".into()), (2, "Kassym-Jomart Tokayev".into())]
    );
    assert_eq!(store.all_entity_variants().unwrap().len(), 3);

    // Reprocessing that changes article A's text forgets its mentions (and
    // the variant count they added), so identity can resolve it again;
    // replacing B's metadata only keeps B's.
    let mut changed = a.article.clone();
    changed.text = "President Tokayev spoke at length.".into();
    let derived = store.replace_derived(&changed).unwrap();
    assert_eq!((derived.seq, derived.mentions_forgotten), (sa, true));
    let d = store.entity_detail(1, 5, 5).unwrap().unwrap();
    assert_eq!(d.articles.len(), 1, "only B's mention is left");
    let tokayev = d.variants.iter().find(|v| v.variant == "Tokayev").unwrap();
    assert_eq!(tokayev.count, 0);
    let mut retitled = b.article.clone();
    retitled.title = "B again".into();
    assert!(!store.replace_derived(&retitled).unwrap().mentions_forgotten);
    assert_eq!(
        store
            .entity_detail(2, 5, 5)
            .unwrap()
            .unwrap()
            .articles
            .len(),
        1
    );
    let inputs = store.entity_inputs_of(&[sa]).unwrap();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0].1, "President Tokayev spoke at length.");
}
