use super::*;

const WIRE: &str = "Kazakhstan's central bank raised its base rate by 50 basis points to 16.75 per cent on Friday, citing persistent inflation and a weaker tenge.

The regulator said annual inflation reached 9.1 per cent in November, above its target range, driven by food prices and higher utility tariffs that took effect in the autumn.

Governor Timur Suleimenov told reporters in Almaty that the bank would keep policy tight until price growth slowed in a sustained way, and did not rule out a further increase early next year.

Analysts polled before the meeting had expected the rate to stay unchanged. The tenge firmed slightly against the dollar after the announcement, trading at 472 per dollar by the close.

The bank's next scheduled rate decision is due on January 24, when it will also publish updated forecasts for growth and inflation.";

const OTHER: &str = "Heavy snow closed mountain passes in northern Georgia on Tuesday, stranding hundreds of lorries at the Russian border crossing of Verkhny Lars.

Officials in Tbilisi said road crews were working through the night, but warned that avalanche risk would keep the Military Road shut for at least two more days.

Drivers waiting in queues near Kazbegi complained of a lack of food and fuel. The emergency ministry said it had opened two heated shelters and was distributing hot meals.

Forecasters expect temperatures to fall to minus 20 degrees Celsius in the high valleys by the weekend, with more snow on the way from the north-west.";

const LOCAL_ADDITION: &str = "Local business owners in Shymkent said the higher rate would make it harder to refinance loans taken during the pandemic, when borrowing was cheap and the state subsidised interest for small firms.

A furniture maker who employs forty people said he had postponed buying new machinery from Turkey until the spring, and that several of his suppliers had asked for payment in advance.

Economists at a Kazakh brokerage expect the central bank to start cutting rates only in the second half of next year, if the harvest is good and fuel prices stay regulated.

The ministry of national economy did not respond to a request for comment on how the decision would affect its budget plans, which assume growth of 4.5 per cent.";

fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n").collect()
}

fn assert_copy(a: &str, b: &str) -> Similarity {
    let exact = compare(a, b);
    assert!(exact.is_copy(), "exact {exact:?}");
    let (sa, sb) = (Signature::of(a), Signature::of(b));
    let est = sa.estimate(&sb);
    assert!(
        (est.jaccard - exact.jaccard).abs() < 0.15,
        "estimate {est:?} vs exact {exact:?}"
    );
    let mut index = LshIndex::new();
    index.insert(1, &sa);
    assert_eq!(index.candidates(&sb), vec![1], "LSH missed {exact:?}");
    exact
}

#[test]
fn identical_texts() {
    let s = assert_copy(WIRE, WIRE);
    assert_eq!(s.jaccard, 1.0);
    assert_eq!(s.containment_a_in_b, 1.0);
}

#[test]
fn re_headlined_and_re_formatted_copy() {
    let a = format!("Central bank raises rate to 16.75%\n\n{WIRE}");
    let b = format!(
        "KAZAKHSTAN HIKES KEY RATE AGAIN AS INFLATION BITES\n\n{}",
        WIRE.replace("\n\n", "\n").replace(", ", " , ")
    );
    let s = assert_copy(&a, &b);
    assert!(s.jaccard > 0.9, "{s:?}");
}

#[test]
fn paragraph_cut_is_contained() {
    let p = paragraphs(WIRE);
    let cut = [p[0], p[1], p[2], p[3]].join("\n\n");
    let s = assert_copy(WIRE, &cut);
    assert_eq!(s.containment_b_in_a, 1.0);
    assert!(s.containment_a_in_b < 1.0);
}

#[test]
fn paragraph_added_and_boilerplate_changed() {
    let b = format!(
        "ALMATY (Reuters) -\n\n{WIRE}\n\n{}\n\nSubscribe to our Telegram channel for more news.",
        paragraphs(LOCAL_ADDITION)[0]
    );
    let s = assert_copy(WIRE, &b);
    assert!(s.containment_a_in_b > 0.99, "{s:?}");
}

#[test]
fn a_few_words_changed() {
    let edited = WIRE
        .replace("raised", "increased")
        .replace("persistent", "stubborn")
        .replace("told reporters", "said")
        .replace("firmed slightly", "strengthened");
    let s = assert_copy(WIRE, &edited);
    assert!(s.jaccard < 0.95 && s.jaccard > 0.6, "{s:?}");
}

#[test]
fn containment_is_asymmetric() {
    // B carries all of A plus more text of its own: Jaccard is low, but all
    // of A is in B, and less than half of B is in A.
    let b = format!("{WIRE}\n\n{LOCAL_ADDITION}\n\n{OTHER}");
    let s = compare(WIRE, &b);
    assert!(s.jaccard < COPY_JACCARD, "{s:?}");
    assert_eq!(s.containment_a_in_b, 1.0);
    assert!(s.containment_b_in_a < 0.45, "{s:?}");
    assert!(s.is_copy());
    let swapped = compare(&b, WIRE);
    assert_eq!(swapped, s.swapped());
    let est = Signature::of(WIRE).estimate(&Signature::of(&b));
    assert!(est.containment_a_in_b > 0.8, "{est:?}");
    assert!(est.containment_a_in_b > est.containment_b_in_a + 0.2);
}

#[test]
fn unrelated_texts_are_not_copies() {
    for (a, b) in [
        (WIRE, OTHER),
        (WIRE, LOCAL_ADDITION),
        (OTHER, LOCAL_ADDITION),
    ] {
        let s = compare(a, b);
        assert!(s.jaccard < 0.05, "{s:?}");
        assert!(!s.is_copy());
        let mut index = LshIndex::new();
        index.insert(1, &Signature::of(a));
        assert!(index.candidates(&Signature::of(b)).is_empty());
    }
}

#[test]
fn short_quotations_are_not_copies() {
    // One sentence of a long article, quoted in a one-line post.
    let post =
        "Governor Timur Suleimenov told reporters in Almaty that the bank would keep policy tight";
    let s = compare(post, WIRE);
    assert_eq!(s.containment_a_in_b, 1.0);
    assert!(s.shingles_a < MIN_CONTAINED_SHINGLES);
    assert!(!s.is_copy());
}

/// A deterministic stream of words from a vocabulary of 5,000.
struct Words(u64);

impl Words {
    fn next_word(&mut self) -> String {
        self.0 = shingle::fmix64(self.0.wrapping_add(0x9e37_79b9_7f4a_7c15));
        // Zipf-ish: small numbers much more often.
        let r = (self.0 >> 11) as f64 / (1u64 << 53) as f64;
        format!("w{}", (5000f64.powf(r)) as u32)
    }

    fn article(&mut self, paragraphs: usize) -> String {
        (0..paragraphs)
            .map(|_| {
                (0..60)
                    .map(|_| self.next_word())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

#[test]
fn lsh_finds_planted_copies_and_few_strangers() {
    let mut words = Words(42);
    let originals: Vec<String> = (0..400).map(|_| words.article(6)).collect();
    let mut index = LshIndex::new();
    for (i, text) in originals.iter().enumerate() {
        index.insert(i as u64, &Signature::of(text));
    }
    let mut found = 0;
    let mut strangers = 0;
    let planted = 100;
    for (i, original) in originals.iter().enumerate().take(planted) {
        let p: Vec<&str> = original.split("\n\n").collect();
        let copy = match i % 4 {
            0 => p[1..].join("\n\n"),
            1 => format!("{original}\n\n{}", words.article(1)),
            2 => format!("Edited headline {i}\n\n{original}"),
            _ => original
                .split(' ')
                .enumerate()
                .map(|(k, w)| {
                    if k % 20 == 7 {
                        words.next_word()
                    } else {
                        w.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
        };
        let sig = Signature::of(&copy);
        for c in index.candidates(&sig) {
            if c == i as u64 {
                found += 1;
            } else {
                strangers += 1;
            }
        }
    }
    // A word in 20 replaced, evenly spaced, spoils a quarter of the shingles
    // (Jaccard 0.6), where the S-curve gives 0.988: expect a miss or two.
    assert!(found >= 96, "found {found} of {planted}");
    assert!(strangers <= 2, "{strangers} unrelated candidates");
}
