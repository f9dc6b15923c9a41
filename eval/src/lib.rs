//! Benchmark harnesses for dossier: scorers that reproduce published scorers
//! exactly, and loaders for the shared data sets under `../shared/data`.

pub mod clustering;
pub mod dataset;
pub mod peers;
pub mod scorer;
pub mod split;

#[cfg(test)]
mod tests {
    use crate::dataset;

    /// Metadata coverage on real pages: nearly all have a title and a
    /// language, and most a publication date with its method.
    #[test]
    fn extractor_metadata_coverage_on_scrapinghub() {
        let Some(dir) = dataset::default_dir() else {
            eprintln!("skipping: ../shared/data/extraction/scrapinghub not found");
            return;
        };
        let pages = dataset::load_pages(&dir).expect("pages");
        let x = dossier_extract::default_extractor();
        let results: Vec<_> = pages
            .iter()
            .map(|p| x.extract_html(&p.html, p.url.as_deref()))
            .collect();
        let share = |f: &dyn Fn(&dossier_extract::Extraction) -> bool| {
            results.iter().filter(|e| f(e)).count() as f64 / results.len() as f64
        };
        let title = share(&|e| e.title.is_some());
        let date = share(&|e| e.published.is_some());
        let lang = share(&|e| e.language.is_some());
        let author = share(&|e| !e.authors.is_empty());
        eprintln!("title {title:.2} date {date:.2} language {lang:.2} authors {author:.2}");
        for e in results.iter().take(8) {
            eprintln!(
                "{:?} | {:?} | {:?} | {:?} | {:?}",
                e.title, e.published, e.authors, e.site_name, e.language
            );
        }
        assert!(
            title > 0.95 && lang > 0.8 && date > 0.6,
            "title {title} lang {lang} date {date}"
        );
    }
}
