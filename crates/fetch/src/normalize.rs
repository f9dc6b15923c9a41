//! URL normalisation for de-duplication: two URLs that name the same article
//! normalise to the same string.

use url::Url;

/// Query parameters that only track the reader, never select content.
const TRACKING: &[&str] = &[
    "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "_ga",
    "_gl", "_hsenc", "_hsmi", "mkt_tok", "ocid", "cmpid", "ncid", "smid", "ito",
];

fn is_tracking(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.starts_with("utm_") || TRACKING.contains(&k.as_str())
}

/// `?amp`, `?amp=1`, `?amp=true`, `?outputType=amp`.
fn is_amp_param(key: &str, value: &str) -> bool {
    let k = key.to_ascii_lowercase();
    let v = value.to_ascii_lowercase();
    (k == "amp" && matches!(v.as_str(), "" | "1" | "true" | "yes"))
        || (k == "outputtype" && v == "amp")
}

/// Normalises an http(s) URL: lower-case scheme and host (the parser does
/// both, and drops default ports), no `www.` or `amp.` host prefix, no
/// fragment, no trailing slash or `/amp` segment, no tracking or AMP
/// parameters, remaining query pairs sorted. `None` for anything that is not
/// an absolute http(s) URL.
pub fn normalize_url(input: &str) -> Option<String> {
    let mut url = Url::parse(input.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.trim_end_matches('.').to_owned();
    let mut bare = host.as_str();
    for prefix in ["www.", "amp."] {
        if let Some(rest) = bare.strip_prefix(prefix) {
            if rest.contains('.') {
                bare = rest;
            }
        }
    }
    if bare != url.host_str()? {
        let bare = bare.to_owned();
        url.set_host(Some(&bare)).ok()?;
    }
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);

    let mut path = url.path().to_owned();
    loop {
        let trimmed = path.trim_end_matches('/');
        if let Some(rest) = trimmed.strip_suffix("/amp") {
            path = rest.to_owned();
        } else if let Some(rest) = trimmed.strip_suffix(".amp") {
            path = rest.to_owned();
        } else {
            path = trimmed.to_owned();
            break;
        }
    }
    if path.is_empty() {
        path.push('/');
    }
    url.set_path(&path);

    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, v)| !is_tracking(k) && !is_amp_param(k, v))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::normalize_url as n;

    #[test]
    fn scheme_host_port_fragment_and_slash() {
        assert_eq!(
            n("HTTPS://WWW.Example.COM:443/News/Story/#top").unwrap(),
            "https://example.com/News/Story"
        );
        assert_eq!(n("http://example.com:80").unwrap(), "http://example.com/");
        assert_eq!(
            n("http://example.com:8080/a/").unwrap(),
            "http://example.com:8080/a"
        );
    }

    #[test]
    fn tracking_parameters_go_and_the_query_is_sorted() {
        assert_eq!(
            n("https://example.com/a?utm_source=x&b=2&fbclid=1&a=1&UTM_Medium=y&gclid=z&mc_cid=q")
                .unwrap(),
            "https://example.com/a?a=1&b=2"
        );
        assert_eq!(
            n("https://example.com/a?utm_source=tw").unwrap(),
            "https://example.com/a"
        );
    }

    #[test]
    fn amp_variants_are_the_article() {
        let plain = "https://example.com/2024/01/story";
        for v in [
            "https://amp.example.com/2024/01/story",
            "https://example.com/2024/01/story/amp",
            "https://example.com/2024/01/story/amp/",
            "https://example.com/2024/01/story?amp=1",
            "https://example.com/2024/01/story?amp",
            "https://www.example.com/2024/01/story.amp",
            "https://example.com/2024/01/story?outputType=amp",
        ] {
            assert_eq!(n(v).unwrap(), plain, "{v}");
        }
    }

    #[test]
    fn non_http_is_refused() {
        assert_eq!(n("ftp://example.com/a"), None);
        assert_eq!(n("not a url"), None);
        assert_eq!(n("mailto:x@example.com"), None);
    }

    #[test]
    fn a_bare_www_host_is_kept() {
        assert_eq!(n("http://www.com/").unwrap(), "http://www.com/");
    }
}
