//! robots.txt: the group for our agent token (else `*`), longest matching
//! rule wins, `Allow` on a tie; `*` and `$` wildcards.

/// Parsed rules of the group that applies to us.
#[derive(Debug, Clone, Default)]
pub struct Robots {
    /// (allow, pattern)
    rules: Vec<(bool, String)>,
}

impl Robots {
    /// Everything allowed (no robots.txt, or it could not be read).
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// Parses `text` for the agent `token` (e.g. "dossier").
    pub fn parse(text: &str, token: &str) -> Robots {
        let token = token.to_ascii_lowercase();
        let mut ours: Vec<(bool, String)> = Vec::new();
        let mut star: Vec<(bool, String)> = Vec::new();
        let mut found_ours = false;
        // The agents of the group being read, and whether its rules started.
        let mut agents: Vec<String> = Vec::new();
        let mut in_rules = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if in_rules {
                        agents.clear();
                        in_rules = false;
                    }
                    agents.push(value.to_ascii_lowercase());
                }
                "allow" | "disallow" => {
                    in_rules = true;
                    let allow = key == "allow";
                    if !allow && value.is_empty() {
                        continue; // "Disallow:" allows everything
                    }
                    let rule = (allow, value.to_owned());
                    if agents
                        .iter()
                        .any(|a| !a.is_empty() && a != "*" && token.contains(a.as_str()))
                    {
                        found_ours = true;
                        ours.push(rule.clone());
                    }
                    if agents.iter().any(|a| a == "*") {
                        star.push(rule);
                    }
                }
                _ => {}
            }
        }
        Robots {
            rules: if found_ours { ours } else { star },
        }
    }

    /// Whether `path` (path plus query) may be fetched.
    pub fn allowed(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Prefix match with `*` (any run) and a trailing `$` (end of path).
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut pos = 0;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !path.starts_with(part) {
                return false;
            }
            pos = part.len();
        } else if i == parts.len() - 1 && anchored {
            return path.len() >= pos + part.len() && path.ends_with(part);
        } else {
            match path[pos..].find(part) {
                Some(at) => pos += at + part.len(),
                None => return false,
            }
        }
    }
    !anchored || pos == path.len()
}

#[cfg(test)]
mod tests {
    use super::Robots;

    const TXT: &str = "User-agent: *\nDisallow: /private\nAllow: /private/ok\n\n\
                       User-agent: OtherBot\nDisallow: /\n";

    #[test]
    fn star_group_applies_when_ours_is_absent() {
        let r = Robots::parse(TXT, "dossier");
        assert!(r.allowed("/news/1"));
        assert!(!r.allowed("/private/x"));
        assert!(r.allowed("/private/ok/1"));
    }

    #[test]
    fn our_group_wins_over_star() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /\n\nUser-agent: dossier\nDisallow: /x\n",
            "dossier",
        );
        assert!(r.allowed("/a"));
        assert!(!r.allowed("/x/1"));
    }

    #[test]
    fn wildcards() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /*.pdf$\nDisallow: /s*q=\n",
            "dossier",
        );
        assert!(!r.allowed("/a/b.pdf"));
        assert!(r.allowed("/a/b.pdf?x"));
        assert!(!r.allowed("/search?q=1"));
        assert!(r.allowed("/about"));
    }

    #[test]
    fn empty_disallow_allows() {
        assert!(Robots::parse("User-agent: *\nDisallow:\n", "dossier").allowed("/"));
    }
}
