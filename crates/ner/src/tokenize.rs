//! A tokenizer for news text that splits the way the CoNLL-2003 (Reuters)
//! data is split, so the tagger sees the tokens it was trained on:
//! punctuation and quotes are tokens of their own, clitics are split off
//! (`Putin` `'s`, `do` `n't`), while abbreviations and initials keep their
//! periods (`U.S.`, `Mr.`, `J.`), numbers keep their separators (`1,000.5`,
//! `22-08-1996`) and hyphenated words stay whole (`Anglo-Dutch`).
//!
//! Tokens are byte ranges into the text; sentences break after `.`, `!`, `?`
//! before a capitalised word, and at line breaks.

/// A token: the byte range `[start, end)` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
}

/// Words that keep their final period.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "st",
    "jr", "sr", "rev", "hon", "pres", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "vs", "etc", "inc", "ltd", "corp", "co", "bros", "plc", "no",
    "nos", "mt", "ft", "ave", "blvd", "adm", "maj", "cmdr", "gov't", "u.s", "p.m", "a.m", "cf",
    "vol", "dept", "est", "approx", "ph.d", "messrs", "mme", "mlle", "sgt", "supt", "det", "insp",
];

fn is_open_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '(' | '[' | '{' | '“' | '‘' | '«' | '‹' | '„' | '‚' | '`' | '¿' | '¡'
    )
}

fn is_close_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | ')'
            | ']'
            | '}'
            | '”'
            | '’'
            | '»'
            | '›'
            | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '.'
            | '…'
            | '`'
    )
}

/// Characters that are always tokens of their own.
fn is_always_split(c: char) -> bool {
    matches!(
        c,
        '(' | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '“'
            | '”'
            | '«'
            | '»'
            | '—'
            | '–'
            | '…'
            | '!'
            | '?'
            | ';'
            | '|'
            | '•'
            | '·'
    ) || c.is_whitespace()
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                split_chunk(text, s, i, &mut out);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        split_chunk(text, s, text.len(), &mut out);
    }
    out
}

/// Splits one whitespace-free chunk `text[s..e]`.
fn split_chunk(text: &str, s: usize, e: usize, out: &mut Vec<Token>) {
    // First split at characters that are always tokens, then peel the pieces.
    let mut piece_start = s;
    let mut skip_to = s;
    for (off, c) in text[s..e].char_indices() {
        let i = s + off;
        if i < skip_to {
            continue;
        }
        let len = if c == '-' && text[i..e].starts_with("--") {
            text[i..e].len() - text[i..e].trim_start_matches('-').len()
        } else if is_always_split(c) {
            c.len_utf8()
        } else {
            continue;
        };
        if piece_start < i {
            peel(text, piece_start, i, out);
        }
        out.push(Token {
            start: i,
            end: i + len,
        });
        piece_start = i + len;
        skip_to = i + len;
    }
    if piece_start < e {
        peel(text, piece_start, e, out);
    }
}

/// Peels leading and trailing punctuation and clitics off `text[s..e]`.
fn peel(text: &str, mut s: usize, mut e: usize, out: &mut Vec<Token>) {
    // Leading punctuation.
    while s < e {
        let c = text[s..e].chars().next().expect("non-empty");
        if is_open_punct(c) && s + c.len_utf8() < e {
            // A leading apostrophe before digits is a year: '96.
            if (c == '\'' || c == '’')
                && text[s + c.len_utf8()..e]
                    .chars()
                    .next()
                    .is_some_and(|d| d.is_ascii_digit())
            {
                break;
            }
            out.push(Token {
                start: s,
                end: s + c.len_utf8(),
            });
            s += c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing punctuation, collected in reverse.
    let mut tail: Vec<Token> = Vec::new();
    while s < e {
        let c = text[s..e].chars().next_back().expect("non-empty");
        if !is_close_punct(c) {
            break;
        }
        let cs = e - c.len_utf8();
        if cs == s {
            break;
        }
        if c == '.' && keeps_period(&text[s..e]) {
            break;
        }
        if c == '.' && text[s..cs].ends_with('.') {
            // "..." as one token.
            let dots = text[s..e].len() - text[s..e].trim_end_matches('.').len();
            if dots < e - s {
                tail.push(Token {
                    start: e - dots,
                    end: e,
                });
                e -= dots;
                continue;
            }
            break;
        }
        tail.push(Token { start: cs, end: e });
        e = cs;
    }
    // Clitics: 's, n't, 're, 'll, 've, 'm, 'd.
    if s < e {
        let word = &text[s..e];
        let lower_ends = |suffix: &str| {
            word.len() > suffix.len()
                && word.is_char_boundary(word.len() - suffix.len())
                && word[word.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
        };
        let mut clitic = None;
        for suffix in ["n't", "n’t"] {
            if lower_ends(suffix) {
                clitic = Some(suffix.len());
            }
        }
        if clitic.is_none() {
            for suffix in [
                "'s", "’s", "'re", "’re", "'ll", "’ll", "'ve", "’ve", "'m", "’m", "'d", "’d",
            ] {
                if lower_ends(suffix) {
                    clitic = Some(suffix.len());
                    break;
                }
            }
        }
        if let Some(n) = clitic {
            out.push(Token {
                start: s,
                end: e - n,
            });
            out.push(Token {
                start: e - n,
                end: e,
            });
        } else {
            out.push(Token { start: s, end: e });
        }
    }
    out.extend(tail.into_iter().rev());
}

/// Whether `word` (ending in `.`) keeps its period: initials and dotted
/// acronyms (`J.`, `U.S.`), known abbreviations.
fn keeps_period(word: &str) -> bool {
    let bare = word.trim_end_matches('.');
    if bare.is_empty() || word.len() - bare.len() > 1 {
        return false;
    }
    if bare.split('.').all(|p| {
        let mut cs = p.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if c.is_alphabetic())
    }) {
        return true;
    }
    let lower = bare.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Token ranges of each sentence: indices `[start, end)` into `tokens`.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..tokens.len() {
        let last = i + 1 == tokens.len();
        if last {
            break;
        }
        let tok = &text[tokens[i].start..tokens[i].end];
        let gap = &text[tokens[i].end..tokens[i + 1].start];
        let next = &text[tokens[i + 1].start..tokens[i + 1].end];
        let line_break = gap.contains('\n');
        let stop = matches!(tok, "." | "!" | "?" | "..." | "…" | "。")
            && next
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric() || is_open_punct(c));
        // A closing quote right after the stop belongs to the sentence.
        if line_break || (stop && !matches!(next, "\"" | "”" | "’" | "'" | ")")) {
            out.push((start, i + 1));
            start = i + 1;
        } else if matches!(tok, "\"" | "”" | "’" | ")") && i > start {
            let before = &text[tokens[i - 1].start..tokens[i - 1].end];
            if matches!(before, "." | "!" | "?")
                && next.chars().next().is_some_and(|c| c.is_uppercase())
            {
                out.push((start, i + 1));
                start = i + 1;
            }
        }
    }
    if start < tokens.len() {
        out.push((start, tokens.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn splits_like_conll() {
        assert_eq!(
            words("Mr. Smith's firm (U.S.-based) didn't pay $1,000.50, he said."),
            [
                "Mr.",
                "Smith",
                "'s",
                "firm",
                "(",
                "U.S.-based",
                ")",
                "did",
                "n't",
                "pay",
                "$1,000.50",
                ",",
                "he",
                "said",
                "."
            ]
        );
        assert_eq!(
            words("\"We won,\" said J. Doe -- the Anglo-Dutch group's head..."),
            [
                "\"",
                "We",
                "won",
                ",",
                "\"",
                "said",
                "J.",
                "Doe",
                "--",
                "the",
                "Anglo-Dutch",
                "group",
                "'s",
                "head",
                "..."
            ]
        );
        assert_eq!(words("in the U.S. Then"), ["in", "the", "U.S.", "Then"]);
        assert_eq!(words("the '96 season"), ["the", "'96", "season"]);
        assert!(words("").is_empty());
        assert!(words(" \n\t ").is_empty());
    }

    #[test]
    fn offsets_on_non_ascii_text() {
        let text = "«Зеленський» said: Zürich’s café—Ōsaka…";
        let toks = tokenize(text);
        let ws: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(
            ws,
            [
                "«",
                "Зеленський",
                "»",
                "said",
                ":",
                "Zürich",
                "’s",
                "café",
                "—",
                "Ōsaka",
                "…"
            ]
        );
        for t in &toks {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            assert!(t.start < t.end);
        }
    }

    #[test]
    fn sentence_breaks() {
        let text = "He left. She stayed in the U.S. for a while.\nHEADLINE HERE\n\"Go.\" Then";
        let toks = tokenize(text);
        let sents: Vec<String> = sentences(text, &toks)
            .into_iter()
            .map(|(s, e)| text[toks[s].start..toks[e - 1].end].to_owned())
            .collect();
        assert_eq!(
            sents,
            [
                "He left.",
                "She stayed in the U.S. for a while.",
                "HEADLINE HERE",
                "\"Go.\"",
                "Then"
            ]
        );
    }
}
