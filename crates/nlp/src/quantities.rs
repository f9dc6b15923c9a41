//! Quantities: money, percentages, physical and trade measures, counts.
//!
//! One linear pass per line: a hand-written tokenizer (numbers, words,
//! single symbols, each with its byte range) and rules that look a bounded
//! number of tokens ahead of each position, so the cost is linear in the text
//! and no input can make it backtrack. Long lines are cut into windows at a
//! space, which keeps memory bounded.
//!
//! Each quantity has a `value` with its scale applied ("$4.9b" → 4.9e9), a
//! normalised `unit` (ISO 4217 codes for money, "percent", "percentage point",
//! English unit names such as "ton", "barrel", "cubic metre", or the counted
//! noun in the singular, "tank"; null when the number stands alone), a
//! `change` in the vocabulary of CQE / NewsQuant ("=", "~", "<", ">", "<=",
//! ">=", "up", "down"), an optional rate `per` ("a year" → "year"), an optional
//! `concept` (the noun counted or measured) and, for ranges, `value_max`.
//!
//! Dates, years, times of day, ordinals, phone numbers, street addresses and
//! identifiers ("G7", "COVID-19", "Section 427") are not quantities.

use dossier_core::{ByteToChar, Component, Layer, Span};

pub const QUANTITIES_COMPONENT: (&str, &str) = ("nlp-quantities", "1");

/// One quantity, with byte offsets into the text it was found in.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub start: usize,
    pub end: usize,
    /// The value, or the lower bound of a range.
    pub value: f64,
    /// The upper bound of a range ("10-12 million").
    pub value_max: Option<f64>,
    pub unit: Option<String>,
    pub change: &'static str,
    pub per: Option<&'static str>,
    pub concept: Option<String>,
}

/// The `quantities` layer: character-offset spans with `value`, `unit`,
/// `change`, `text` and, when known, `value_max`, `per` and `concept`.
pub fn quantities_layer(text: &str) -> Layer {
    let mut conv = ByteToChar::new(text);
    let spans = extract_quantities(text)
        .into_iter()
        .map(|q| {
            let mut span = Span::new(conv.to_char(q.start), conv.to_char(q.end))
                .with("value", q.value)
                .with("unit", q.unit.clone())
                .with("change", q.change);
            if let Some(max) = q.value_max {
                span = span.with("value_max", max);
            }
            if let Some(per) = q.per {
                span = span.with("per", per);
            }
            if let Some(concept) = &q.concept {
                span = span.with("concept", concept.as_str());
            }
            span.with("text", text.get(q.start..q.end).unwrap_or(""))
        })
        .collect();
    Layer {
        name: "quantities".into(),
        component: Component::new(QUANTITIES_COMPONENT.0, QUANTITIES_COMPONENT.1),
        spans,
    }
}

/// Longest stretch of text tokenized at once; longer lines are cut at a space.
const WINDOW: usize = 16 * 1024;

/// All quantities of `text`, in text order, with byte offsets.
pub fn extract_quantities(text: &str) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        let mut base = offset;
        while !rest.is_empty() {
            let cut = window_end(rest);
            let piece = &rest[..cut];
            Parser::new(piece, base).run(&mut out);
            base += cut;
            rest = &rest[cut..];
        }
        offset += line.len();
    }
    out
}

fn window_end(s: &str) -> usize {
    if s.len() <= WINDOW {
        return s.len();
    }
    let mut cut = WINDOW;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    match s[..cut].rfind(char::is_whitespace) {
        Some(p) if p > WINDOW / 2 => p + 1,
        _ => cut,
    }
}

// ---------------------------------------------------------------- tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Num,
    Word,
    Sym,
}

#[derive(Debug)]
struct Tok<'a> {
    kind: Kind,
    start: usize,
    end: usize,
    raw: &'a str,
    low: String,
}

fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let b = s.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let start = i;
        let leading_dot = c == '.'
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && (i == 0 || b[i - 1].is_ascii_whitespace());
        let kind = if c.is_ascii_digit() || leading_dot {
            if leading_dot {
                i += 1;
            }
            loop {
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i + 1 < b.len() && (b[i] == b',' || b[i] == b'.') && b[i + 1].is_ascii_digit() {
                    i += 1;
                } else {
                    break;
                }
            }
            Kind::Num
        } else if c.is_alphabetic() {
            for ch in s[i..].chars() {
                if ch.is_alphabetic() {
                    i += ch.len_utf8();
                } else {
                    break;
                }
            }
            Kind::Word
        } else {
            i += c.len_utf8();
            if c.is_whitespace() {
                continue;
            }
            Kind::Sym
        };
        let raw = &s[start..i];
        let low = match kind {
            Kind::Word => raw.to_lowercase(),
            _ => raw.to_owned(),
        };
        toks.push(Tok {
            kind,
            start,
            end: i,
            raw,
            low,
        });
    }
    toks
}

/// The value of a digit token: "1,200.5", "12,34,567.89", "1.000.000".
fn parse_digits(raw: &str) -> Option<f64> {
    let commas = raw.matches(',').count();
    let dots = raw.matches('.').count();
    let cleaned: String = if dots > 1 {
        // "1.000.000" (thousands) is a number; "1.2.3" (a version) is not.
        let mut parts = raw.split('.');
        parts.next();
        if commas > 0 || !parts.all(|p| p.len() == 3) {
            return None;
        }
        raw.replace('.', "")
    } else if commas == 1 && dots == 0 {
        let after = raw.split(',').nth(1).unwrap_or("");
        if after.len() == 3 {
            raw.replace(',', "")
        } else {
            // "1,5": a decimal comma.
            raw.replace(',', ".")
        }
    } else {
        raw.replace(',', "")
    };
    let v: f64 = cleaned.parse().ok()?;
    v.is_finite().then_some(v)
}

// ---------------------------------------------------------------- tables

const CHANGES: &[(&[&str], &str)] = &[
    (&["more", "than"], ">"),
    (&["over"], ">"),
    (&["above"], ">"),
    (&["exceeding"], ">"),
    (&["in", "excess", "of"], ">"),
    (&["upwards", "of"], ">"),
    (&["greater", "than"], ">"),
    (&["higher", "than"], ">"),
    (&["just", "over"], ">"),
    (&["north", "of"], ">"),
    (&["less", "than"], "<"),
    (&["fewer", "than"], "<"),
    (&["under"], "<"),
    (&["below"], "<"),
    (&["lower", "than"], "<"),
    (&["just", "under"], "<"),
    (&["shy", "of"], "<"),
    (&["at", "least"], ">="),
    (&["no", "less", "than"], ">="),
    (&["no", "fewer", "than"], ">="),
    (&["not", "less", "than"], ">="),
    (&["a", "minimum", "of"], ">="),
    (&["up", "to"], "<="),
    (&["at", "most"], "<="),
    (&["no", "more", "than"], "<="),
    (&["not", "more", "than"], "<="),
    (&["as", "much", "as"], "<="),
    (&["as", "many", "as"], "<="),
    (&["as", "high", "as"], "<="),
    (&["a", "maximum", "of"], "<="),
    (&["about"], "~"),
    (&["around"], "~"),
    (&["approximately"], "~"),
    (&["approx"], "~"),
    (&["roughly"], "~"),
    (&["nearly"], "~"),
    (&["almost"], "~"),
    (&["some"], "~"),
    (&["circa"], "~"),
    (&["an", "estimated"], "~"),
    (&["estimated"], "~"),
    (&["close", "to"], "~"),
    (&["~"], "~"),
    (&["up"], "up"),
    (&["down"], "down"),
];

const UP_VERBS: &[&str] = &[
    "rose",
    "rise",
    "rises",
    "rising",
    "risen",
    "increased",
    "increase",
    "increases",
    "grew",
    "grow",
    "grows",
    "growing",
    "grown",
    "gained",
    "gain",
    "gains",
    "jumped",
    "jump",
    "jumps",
    "climbed",
    "climb",
    "climbs",
    "soared",
    "soar",
    "surged",
    "surge",
    "rallied",
    "advanced",
    "added",
    "boosted",
    "raised",
    "expanded",
    "higher",
    "spiked",
    "doubled",
];

const DOWN_VERBS: &[&str] = &[
    "fell",
    "fall",
    "falls",
    "falling",
    "fallen",
    "dropped",
    "drop",
    "drops",
    "declined",
    "decline",
    "declines",
    "decreased",
    "decrease",
    "slid",
    "slipped",
    "lost",
    "plunged",
    "plummeted",
    "tumbled",
    "sank",
    "sunk",
    "cut",
    "cuts",
    "shed",
    "reduced",
    "lowered",
    "slashed",
    "shrank",
    "contracted",
    "lower",
    "eased",
    "dipped",
    "slumped",
    "halved",
];

/// Currency written before the number.
const CURRENCY_PREFIX: &[(&[&str], &str)] = &[
    (&["us", "$"], "USD"),
    (&["u", ".", "s", ".", "$"], "USD"),
    (&["u", ".", "s", "$"], "USD"),
    (&["usd", "$"], "USD"),
    (&["c", "$"], "CAD"),
    (&["ca", "$"], "CAD"),
    (&["cad", "$"], "CAD"),
    (&["can", "$"], "CAD"),
    (&["a", "$"], "AUD"),
    (&["au", "$"], "AUD"),
    (&["aud", "$"], "AUD"),
    (&["hk", "$"], "HKD"),
    (&["nz", "$"], "NZD"),
    (&["nzd", "$"], "NZD"),
    (&["s", "$"], "SGD"),
    (&["r", "$"], "BRL"),
    (&["mex", "$"], "MXN"),
    (&["mxn", "$"], "MXN"),
    (&["$", "us"], "USD"),
    (&["$", "a"], "AUD"),
    (&["$", "nz"], "NZD"),
    (&["$", "c"], "CAD"),
    (&["$", "hk"], "HKD"),
    (&["$"], "USD"),
    (&["ps"], "GBP"),
    (&["y", "="], "JPY"),
    (&["rm"], "MYR"),
    (&["€"], "EUR"),
    (&["£"], "GBP"),
    (&["¥"], "JPY"),
    (&["₹"], "INR"),
    (&["rs", "."], "INR"),
    (&["rs"], "INR"),
    (&["₽"], "RUB"),
    (&["₩"], "KRW"),
    (&["₺"], "TRY"),
    (&["₿"], "BTC"),
    (&["₴"], "UAH"),
    (&["usd"], "USD"),
    (&["eur"], "EUR"),
    (&["gbp"], "GBP"),
    (&["jpy"], "JPY"),
    (&["cny"], "CNY"),
    (&["rmb"], "CNY"),
    (&["inr"], "INR"),
    (&["rub"], "RUB"),
    (&["chf"], "CHF"),
    (&["cad"], "CAD"),
    (&["aud"], "AUD"),
    (&["hkd"], "HKD"),
    (&["sgd"], "SGD"),
    (&["krw"], "KRW"),
    (&["brl"], "BRL"),
    (&["zar"], "ZAR"),
    (&["sek"], "SEK"),
    (&["nok"], "NOK"),
    (&["dkk"], "DKK"),
    (&["pln"], "PLN"),
];

/// Scale words and abbreviations after a number. `true`: only glued ("4.9b").
const SCALES: &[(&str, f64, bool)] = &[
    ("hundred", 1e2, false),
    ("thousand", 1e3, false),
    ("million", 1e6, false),
    ("millions", 1e6, false),
    ("billion", 1e9, false),
    ("billions", 1e9, false),
    ("trillion", 1e12, false),
    ("quadrillion", 1e15, false),
    ("lakh", 1e5, false),
    ("lakhs", 1e5, false),
    ("lac", 1e5, false),
    ("crore", 1e7, false),
    ("crores", 1e7, false),
    ("k", 1e3, true),
    ("mn", 1e6, false),
    ("mln", 1e6, false),
    ("mio", 1e6, false),
    ("bn", 1e9, false),
    ("bln", 1e9, false),
    ("b", 1e9, true),
    ("tn", 1e12, false),
    ("trn", 1e12, false),
    ("tln", 1e12, false),
];

/// A unit after the number: tokens, unit, multiplier, only glued to the number.
struct U {
    toks: &'static [&'static str],
    unit: &'static str,
    mult: f64,
    glued: bool,
}

const fn u(toks: &'static [&'static str], unit: &'static str) -> U {
    U {
        toks,
        unit,
        mult: 1.0,
        glued: false,
    }
}
const fn ug(toks: &'static [&'static str], unit: &'static str) -> U {
    U {
        toks,
        unit,
        mult: 1.0,
        glued: true,
    }
}
const fn um(toks: &'static [&'static str], unit: &'static str, mult: f64) -> U {
    U {
        toks,
        unit,
        mult,
        glued: false,
    }
}

/// "pounds" is money or mass; resolved by context.
const POUND: &str = "<pound>";

const UNITS: &[U] = &[
    // money
    u(&["us", "dollars"], "USD"),
    u(&["us", "dollar"], "USD"),
    u(&["u", ".", "s", ".", "dollars"], "USD"),
    u(&["american", "dollars"], "USD"),
    u(&["dollars"], "USD"),
    u(&["dollar"], "USD"),
    u(&["bucks"], "USD"),
    u(&["usd"], "USD"),
    um(&["musd"], "USD", 1e6),
    u(&["canadian", "dollars"], "CAD"),
    u(&["australian", "dollars"], "AUD"),
    u(&["hong", "kong", "dollars"], "HKD"),
    u(&["new", "zealand", "dollars"], "NZD"),
    u(&["singapore", "dollars"], "SGD"),
    u(&["taiwan", "dollars"], "TWD"),
    u(&["euros"], "EUR"),
    u(&["euro"], "EUR"),
    u(&["eur"], "EUR"),
    um(&["meur"], "EUR", 1e6),
    u(&["€"], "EUR"),
    u(&["pounds", "sterling"], "GBP"),
    u(&["sterling"], "GBP"),
    u(&["gbp"], "GBP"),
    um(&["mgbp"], "GBP", 1e6),
    u(&["pounds"], POUND),
    u(&["pound"], POUND),
    u(&["pence"], "penny"),
    ug(&["p"], "penny"),
    u(&["cents"], "cent"),
    u(&["cent", "-"], "cent"),
    u(&["japanese", "yen"], "JPY"),
    u(&["yen"], "JPY"),
    u(&["jpy"], "JPY"),
    u(&["chinese", "yuan"], "CNY"),
    u(&["yuan"], "CNY"),
    u(&["renminbi"], "CNY"),
    u(&["rmb"], "CNY"),
    u(&["cny"], "CNY"),
    u(&["元"], "CNY"),
    u(&["russian", "roubles"], "RUB"),
    u(&["russian", "rubles"], "RUB"),
    u(&["roubles"], "RUB"),
    u(&["rubles"], "RUB"),
    u(&["rouble"], "RUB"),
    u(&["ruble"], "RUB"),
    u(&["rub"], "RUB"),
    u(&["₽"], "RUB"),
    u(&["indian", "rupees"], "INR"),
    u(&["rupees"], "INR"),
    u(&["rupee"], "INR"),
    u(&["inr"], "INR"),
    u(&["swiss", "francs"], "CHF"),
    u(&["francs"], "CHF"),
    u(&["chf"], "CHF"),
    u(&["mexican", "pesos"], "MXN"),
    u(&["pesos"], "MXN"),
    u(&["turkish", "lira"], "TRY"),
    u(&["lira"], "TRY"),
    u(&["liras"], "TRY"),
    u(&["hryvnias"], "UAH"),
    u(&["hryvnia"], "UAH"),
    u(&["hryvnia"], "UAH"),
    u(&["zlotys"], "PLN"),
    u(&["zloty"], "PLN"),
    u(&["naira"], "NGN"),
    u(&["rand"], "ZAR"),
    u(&["ringgit"], "MYR"),
    u(&["dirhams"], "AED"),
    u(&["riyals"], "SAR"),
    u(&["kronor"], "SEK"),
    u(&["won"], "KRW"),
    u(&["danish", "crowns"], "DKK"),
    u(&["danish", "kroner"], "DKK"),
    u(&["swedish", "crowns"], "SEK"),
    u(&["swedish", "kronor"], "SEK"),
    u(&["norwegian", "crowns"], "NOK"),
    u(&["norwegian", "kroner"], "NOK"),
    u(&["kroner"], "DKK"),
    u(&["shekels"], "ILS"),
    u(&["shekel"], "ILS"),
    u(&["nis"], "ILS"),
    u(&["$"], "USD"),
    u(&["£"], "GBP"),
    u(&["¥"], "JPY"),
    u(&["₡"], "CRC"),
    u(&["₾"], "GEL"),
    u(&["₭"], "LAK"),
    u(&["₦"], "NGN"),
    u(&["₱"], "PHP"),
    u(&["₪"], "ILS"),
    u(&["₫"], "VND"),
    u(&["₹"], "INR"),
    u(&["bitcoins"], "BTC"),
    u(&["bitcoin"], "BTC"),
    u(&["btc"], "BTC"),
    // shares of a whole
    u(&["percentage", "points"], "percentage point"),
    u(&["percentage", "point"], "percentage point"),
    u(&["per", "cent"], "percent"),
    u(&["percent"], "percent"),
    u(&["pct"], "percent"),
    ug(&["pc"], "percent"),
    u(&["%"], "percent"),
    u(&["basis", "points"], "basis point"),
    u(&["basis", "point"], "basis point"),
    u(&["bps"], "basis point"),
    ug(&["bp"], "basis point"),
    u(&["points"], "point"),
    u(&["point"], "point"),
    u(&["pts"], "point"),
    // trade and energy
    u(&["metric", "tons"], "tonne"),
    u(&["metric", "tonnes"], "tonne"),
    u(&["tonnes"], "tonne"),
    u(&["tonne"], "tonne"),
    ug(&["t"], "tonne"),
    u(&["tons"], "ton"),
    u(&["ton"], "ton"),
    u(&["barrels"], "barrel"),
    u(&["barrel"], "barrel"),
    u(&["bbl"], "barrel"),
    u(&["bpd"], "barrel per day"),
    u(&["b", "/", "d"], "barrel per day"),
    um(&["bcm"], "cubic metre", 1e9),
    um(&["gigatonnes"], "tonne", 1e9),
    um(&["gigatons"], "tonne", 1e9),
    um(&["megatonnes"], "tonne", 1e6),
    um(&["megatons"], "tonne", 1e6),
    u(&["watts"], "watt"),
    ug(&["w"], "watt"),
    u(&["kilowatt", "hours"], "kilowatt hour"),
    um(&["tcm"], "cubic metre", 1e12),
    um(&["mcm"], "cubic metre", 1e6),
    u(&["cubic", "metres"], "cubic metre"),
    u(&["cubic", "meters"], "cubic metre"),
    u(&["cubic", "metre"], "cubic metre"),
    u(&["cubic", "meter"], "cubic metre"),
    u(&["m", "³"], "cubic metre"),
    u(&["cubic", "feet"], "cubic foot"),
    u(&["cubic", "foot"], "cubic foot"),
    um(&["tcf"], "cubic foot", 1e12),
    um(&["bcf"], "cubic foot", 1e9),
    u(&["teu"], "TEU"),
    u(&["teus"], "TEU"),
    u(&["megawatts"], "megawatt"),
    u(&["mw"], "megawatt"),
    u(&["gigawatts"], "gigawatt"),
    u(&["gw"], "gigawatt"),
    u(&["kilowatts"], "kilowatt"),
    u(&["kw"], "kilowatt"),
    u(&["kwh"], "kilowatt hour"),
    u(&["mwh"], "megawatt hour"),
    u(&["gwh"], "gigawatt hour"),
    u(&["twh"], "terawatt hour"),
    // length, area, volume, mass, speed
    u(&["square", "kilometres"], "square kilometre"),
    u(&["square", "kilometers"], "square kilometre"),
    u(&["sq", "km"], "square kilometre"),
    u(&["km", "²"], "square kilometre"),
    u(&["km", "2"], "square kilometre"),
    u(&["m", "2"], "square metre"),
    u(&["square", "metres"], "square metre"),
    u(&["square", "meters"], "square metre"),
    u(&["sq", "m"], "square metre"),
    u(&["m", "²"], "square metre"),
    u(&["square", "feet"], "square foot"),
    u(&["sq", "ft"], "square foot"),
    u(&["square", "miles"], "square mile"),
    u(&["acres"], "acre"),
    u(&["acre"], "acre"),
    u(&["hectares"], "hectare"),
    u(&["hectare"], "hectare"),
    u(&["ha"], "hectare"),
    u(&["km", "/", "h"], "kilometre per hour"),
    u(&["kph"], "kilometre per hour"),
    u(&["kmh"], "kilometre per hour"),
    u(&["kilometres", "per", "hour"], "kilometre per hour"),
    u(&["kilometers", "per", "hour"], "kilometre per hour"),
    u(&["kilometres", "an", "hour"], "kilometre per hour"),
    u(&["mph"], "mile per hour"),
    u(&["mpg"], "mile per gallon"),
    u(&["miles", "per", "gallon"], "mile per gallon"),
    u(&["megawatt"], "megawatt"),
    u(&["gigawatt"], "gigawatt"),
    u(&["kilowatt"], "kilowatt"),
    u(&["millimeter"], "millimetre"),
    u(&["millimetre"], "millimetre"),
    u(&["centimeter"], "centimetre"),
    u(&["centimetre"], "centimetre"),
    u(&["kilometer", "-"], "kilometre"),
    u(&["m", ".", "p", ".", "h"], "mile per hour"),
    u(&["kmph"], "kilometre per hour"),
    u(&["km", "/", "hr"], "kilometre per hour"),
    u(&["miles", "per", "hour"], "mile per hour"),
    u(&["miles", "an", "hour"], "mile per hour"),
    u(&["knots"], "knot"),
    u(&["kilometres"], "kilometre"),
    u(&["kilometers"], "kilometre"),
    u(&["kilometre"], "kilometre"),
    u(&["kilometer"], "kilometre"),
    u(&["km"], "kilometre"),
    u(&["miles"], "mile"),
    u(&["mile"], "mile"),
    u(&["metres"], "metre"),
    u(&["meters"], "metre"),
    u(&["metre"], "metre"),
    u(&["meter"], "metre"),
    ug(&["m"], "metre"),
    u(&["centimetres"], "centimetre"),
    u(&["centimeters"], "centimetre"),
    u(&["cm"], "centimetre"),
    u(&["decimetres"], "decimetre"),
    u(&["decimeters"], "decimetre"),
    u(&["dm"], "decimetre"),
    u(&["micrometres"], "micrometre"),
    u(&["micrometers"], "micrometre"),
    u(&["microns"], "micrometre"),
    u(&["μm"], "micrometre"),
    u(&["µm"], "micrometre"),
    u(&["nanometres"], "nanometre"),
    u(&["nanometers"], "nanometre"),
    u(&["nm"], "nanometre"),
    u(&["millimetres"], "millimetre"),
    u(&["millimeters"], "millimetre"),
    u(&["mm"], "millimetre"),
    u(&["feet"], "foot"),
    u(&["foot"], "foot"),
    u(&["ft"], "foot"),
    u(&["inches"], "inch"),
    u(&["inch"], "inch"),
    u(&["yards"], "yard"),
    u(&["yard"], "yard"),
    u(&["kilograms"], "kilogram"),
    u(&["kilogrammes"], "kilogram"),
    u(&["kilogram"], "kilogram"),
    u(&["kilos"], "kilogram"),
    u(&["kg"], "kilogram"),
    u(&["grams"], "gram"),
    u(&["gram"], "gram"),
    ug(&["g"], "gram"),
    u(&["milligrams"], "milligram"),
    u(&["mg"], "milligram"),
    u(&["micrograms"], "microgram"),
    u(&["microgrammes"], "microgram"),
    u(&["microgram"], "microgram"),
    u(&["μg"], "microgram"),
    u(&["µg"], "microgram"),
    u(&["tablespoons"], "tablespoon"),
    u(&["teaspoons"], "teaspoon"),
    u(&["calories"], "calorie"),
    u(&["kcal"], "kilocalorie"),
    u(&["ppm"], "part per million"),
    u(&["ppb"], "parts-per-billion"),
    u(&["parts", "per", "million"], "part per million"),
    u(&["parts", "per", "billion"], "parts-per-billion"),
    u(&["ksi"], "kilopound per square inch"),
    u(&["mpa"], "megapascal"),
    u(&["kpa"], "kilopascal"),
    u(&["hz"], "hertz"),
    u(&["hertz"], "hertz"),
    u(&["khz"], "kilohertz"),
    u(&["kv"], "kilovolt"),
    u(&["volts"], "volt"),
    u(&["radians"], "radian"),
    u(&["rad"], "radian"),
    u(&["lbs"], "pound-mass"),
    u(&["lb"], "pound-mass"),
    u(&["ounces"], "ounce"),
    u(&["ounce"], "ounce"),
    u(&["oz"], "ounce"),
    u(&["litres"], "litre"),
    u(&["liters"], "litre"),
    u(&["litre"], "litre"),
    u(&["liter"], "litre"),
    ug(&["l"], "litre"),
    u(&["millilitres"], "millilitre"),
    u(&["milliliters"], "millilitre"),
    u(&["ml"], "millilitre"),
    u(&["gallons"], "gallon"),
    u(&["gallon"], "gallon"),
    // temperature, angle
    u(&["°", "celsius"], "celsius"),
    u(&["°", "fahrenheit"], "fahrenheit"),
    u(&["deg", "celsius"], "celsius"),
    u(&["deg", "c"], "celsius"),
    u(&["deg", "fahrenheit"], "fahrenheit"),
    u(&["deg", "f"], "fahrenheit"),
    u(&["deg"], "degree"),
    u(&["celcius"], "celsius"),
    u(&["centigrade"], "celsius"),
    u(&["farenheit"], "fahrenheit"),
    u(&["degrees", "farenheit"], "fahrenheit"),
    u(&["degrees", "celcius"], "celsius"),
    u(&["degree", "fahrenheit"], "fahrenheit"),
    u(&["degree", "celsius"], "celsius"),
    u(&["°", "c"], "celsius"),
    u(&["°", "f"], "fahrenheit"),
    u(&["degrees", "celsius"], "celsius"),
    u(&["degrees", "centigrade"], "celsius"),
    u(&["degrees", "fahrenheit"], "fahrenheit"),
    u(&["degrees", "c"], "celsius"),
    u(&["degrees", "f"], "fahrenheit"),
    u(&["celsius"], "celsius"),
    u(&["fahrenheit"], "fahrenheit"),
    u(&["degrees"], "degree"),
    u(&["degree"], "degree"),
    u(&["°"], "degree"),
    // data, frequency, power
    u(&["gigabytes"], "gigabyte"),
    u(&["gb"], "gigabyte"),
    u(&["megabytes"], "megabyte"),
    u(&["mb"], "megabyte"),
    u(&["terabytes"], "terabyte"),
    u(&["tb"], "terabyte"),
    u(&["mbps"], "megabit per second"),
    u(&["gbps"], "gigabit per second"),
    u(&["ghz"], "gigahertz"),
    u(&["mhz"], "megahertz"),
    u(&["rpm"], "revolutions per minute"),
    u(&["horsepower"], "horsepower"),
    u(&["hp"], "horsepower"),
    u(&["mah"], "milliampere-hour"),
    // age and time
    u(&["years", "old"], "year of age"),
    u(&["years", "of", "age"], "year of age"),
    u(&["year", "olds"], "year of age"),
    u(&["yo"], "year of age"),
    u(&["months", "of", "age"], "month of age"),
    u(&["weeks", "of", "age"], "week of age"),
    u(&["days", "of", "age"], "day of age"),
    u(&["day", "old"], "day of age"),
    u(&["year", "-", "old"], "year of age"),
    u(&["year", "old"], "year of age"),
    u(&["months", "old"], "month of age"),
    u(&["month", "-", "old"], "month of age"),
    u(&["weeks", "old"], "week of age"),
    u(&["week", "-", "old"], "week of age"),
    u(&["days", "old"], "day of age"),
    u(&["day", "-", "old"], "day of age"),
    u(&["years"], "year"),
    u(&["year"], "year"),
    u(&["yrs"], "year"),
    u(&["months"], "month"),
    u(&["month"], "month"),
    u(&["weeks"], "week"),
    u(&["week"], "week"),
    u(&["days"], "day"),
    u(&["day"], "day"),
    u(&["hours"], "hour"),
    u(&["hour"], "hour"),
    u(&["hrs"], "hour"),
    u(&["minutes"], "minute"),
    u(&["minute"], "minute"),
    u(&["mins"], "minute"),
    u(&["seconds"], "second"),
    u(&["decades"], "decade"),
    u(&["decade"], "decade"),
    u(&["centuries"], "century"),
    u(&["century"], "century"),
    u(&["times"], "count"),
];

/// Rates: "a year", "per day", "/day".
const PER: &[(&str, &str)] = &[
    ("year", "year"),
    ("annum", "year"),
    ("yr", "year"),
    ("month", "month"),
    ("week", "week"),
    ("day", "day"),
    ("hour", "hour"),
    ("hr", "hour"),
    ("minute", "minute"),
    ("min", "minute"),
    ("second", "second"),
    ("share", "share"),
    ("barrel", "barrel"),
    ("person", "person"),
    ("head", "person"),
    ("capita", "person"),
    ("game", "game"),
    ("ton", "ton"),
    ("tonne", "tonne"),
    ("kilogram", "kilogram"),
    ("kg", "kilogram"),
    ("dozen", "dozen"),
    ("unit", "unit"),
    ("gallon", "gallon"),
    ("litre", "litre"),
    ("liter", "litre"),
    ("millisecond", "millisecond"),
    ("ms", "millisecond"),
    ("gram", "gram"),
    ("gramme", "gram"),
];

const PER_ADVERBS: &[(&str, &str)] = &[
    ("annually", "year"),
    ("yearly", "year"),
    ("daily", "day"),
    ("monthly", "month"),
    ("weekly", "week"),
    ("hourly", "hour"),
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

const SMALL_NUMBERS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
];

/// Fractions after "a", "one", "two"...: (singular, plural, value).
const FRACTIONS: &[(&str, &str, f64)] = &[
    ("half", "halves", 0.5),
    ("third", "thirds", 1.0 / 3.0),
    ("quarter", "quarters", 0.25),
    ("fourth", "fourths", 0.25),
    ("fifth", "fifths", 0.2),
    ("tenth", "tenths", 0.1),
];

/// Words after a number that are not the noun it counts.
const NOT_NOUNS: &[&str] = &[
    "of",
    "to",
    "in",
    "on",
    "at",
    "for",
    "by",
    "and",
    "or",
    "but",
    "nor",
    "the",
    "a",
    "an",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "shall",
    "should",
    "must",
    "than",
    "that",
    "this",
    "these",
    "those",
    "which",
    "who",
    "whom",
    "whose",
    "with",
    "from",
    "as",
    "per",
    "more",
    "less",
    "fewer",
    "most",
    "least",
    "also",
    "said",
    "says",
    "ago",
    "earlier",
    "later",
    "before",
    "after",
    "since",
    "until",
    "into",
    "onto",
    "over",
    "under",
    "up",
    "down",
    "out",
    "off",
    "its",
    "his",
    "her",
    "their",
    "our",
    "your",
    "my",
    "it",
    "he",
    "she",
    "they",
    "we",
    "you",
    "i",
    "me",
    "him",
    "them",
    "us",
    "yes",
    "no",
    "not",
    "so",
    "if",
    "then",
    "when",
    "where",
    "while",
    "plus",
    "minus",
    "times",
    "each",
    "every",
    "all",
    "both",
    "other",
    "others",
    "such",
    "only",
    "just",
    "even",
    "still",
    "about",
    "around",
    "through",
    "across",
    "against",
    "between",
    "among",
    "during",
    "without",
    "within",
    "via",
    "versus",
    "vs",
    "unless",
    "perhaps",
    "always",
    "sometimes",
    "besides",
    "towards",
    "afterwards",
    "thus",
    "does",
    "goes",
    "was",
    "has",
    "gets",
    "makes",
    "takes",
    "comes",
    "seems",
    "remains",
    "means",
    "series",
    "news",
    "species",
    "alone",
    "apiece",
    "each",
    "respectively",
    "overall",
    "combined",
    "total",
    "altogether",
    "ahead",
    "behind",
    "back",
    "away",
    "again",
    "there",
    "here",
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "last",
    "next",
    "this",
    "year",
    "years",
    "a.m",
    "am",
    "pm",
    "st",
    "nd",
    "rd",
    "th",
    "others",
    "percent",
    "cent",
    "o",
    "clock",
    "gmt",
    "utc",
    "et",
    "est",
    "edt",
    "bst",
    "cet",
    "pst",
    "hours",
    "thanks",
    "whereas",
    "whilst",
    "nearly",
    "almost",
    "either",
    "neither",
    "till",
    "yet",
    "because",
];

const STREET_SUFFIXES: &[&str] = &[
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "boulevard",
    "blvd",
    "lane",
    "ln",
    "drive",
    "dr",
    "way",
    "place",
    "pl",
    "court",
    "ct",
    "highway",
    "hwy",
    "parkway",
    "pkwy",
    "terrace",
    "plaza",
];

/// Words before a bare number that make it a label, not a quantity.
const LABEL_WORDS: &[&str] = &[
    "no",
    "number",
    "nos",
    "page",
    "pages",
    "p",
    "pp",
    "chapter",
    "section",
    "article",
    "suite",
    "apt",
    "apartment",
    "room",
    "route",
    "highway",
    "interstate",
    "flight",
    "platform",
    "gate",
    "row",
    "seat",
    "box",
    "unit",
    "level",
    "version",
    "v",
    "ver",
    "model",
    "channel",
    "episode",
    "season",
    "vol",
    "volume",
    "issue",
    "edition",
    "rule",
    "clause",
    "paragraph",
    "act",
    "line",
    "lines",
    "code",
    "grade",
    "class",
    "stage",
    "phase",
    "tier",
    "exit",
    "ward",
    "district",
    "precinct",
    "pier",
    "terminal",
    "table",
    "figure",
    "fig",
    "step",
    "part",
    "resolution",
    "bill",
    "amendment",
    "covid",
    "top",
    "week",
    "day",
    "game",
    "round",
    "match",
    "under",
    "category",
    "cat",
    "type",
    "zone",
    "pick",
];

// ---------------------------------------------------------------- parser

struct Parser<'a> {
    t: Vec<Tok<'a>>,
}

/// A parsed number: value, first token after it, and what it looked like.
#[derive(Debug, Clone, Copy)]
struct Num {
    value: f64,
    next: usize,
    /// Written with digits (not words).
    digits: bool,
    /// A scale word or suffix was applied.
    scaled: bool,
    /// Looks like a year: four plain digits between 1000 and 2100.
    year_like: bool,
    /// Many plain digits with no separator: an id or phone number.
    long_id: bool,
}

enum Step {
    /// A quantity, and the token to continue at.
    Found(Quantity, usize),
    /// Not a quantity; skip to this token (a date, time, phone number...).
    Skip(usize),
}

impl<'a> Parser<'a> {
    fn new(s: &'a str, base: usize) -> Parser<'a> {
        let mut t = tokenize(s);
        for tok in &mut t {
            tok.start += base;
            tok.end += base;
        }
        Parser { t }
    }

    fn run(&self, out: &mut Vec<Quantity>) {
        let mut i = 0;
        while i < self.t.len() {
            match self.parse_at(i) {
                Some(Step::Found(q, next)) => {
                    out.push(q);
                    i = next.max(i + 1);
                }
                Some(Step::Skip(next)) => i = next.max(i + 1),
                None => i += 1,
            }
        }
    }

    fn low(&self, i: usize) -> &str {
        self.t.get(i).map(|t| t.low.as_str()).unwrap_or("")
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.t.get(i).map(|t| t.kind)
    }

    fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Word)
    }

    fn is_num(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Num)
    }

    /// Token `i` starts right where token `i - 1` ends.
    fn glued(&self, i: usize) -> bool {
        i > 0 && i < self.t.len() && self.t[i - 1].end == self.t[i].start
    }

    fn is_dash(&self, i: usize) -> bool {
        matches!(self.low(i), "-" | "–" | "—")
    }

    fn capitalized(&self, i: usize) -> bool {
        self.t
            .get(i)
            .filter(|t| t.kind == Kind::Word)
            .and_then(|t| t.raw.chars().next())
            .is_some_and(char::is_uppercase)
    }

    fn all_upper(&self, i: usize) -> bool {
        self.t
            .get(i)
            .is_some_and(|t| t.kind == Kind::Word && t.raw.chars().all(char::is_uppercase))
    }

    /// Token `i` begins a sentence (or the window).
    fn sentence_start(&self, i: usize) -> bool {
        i == 0
            || matches!(
                self.low(i - 1),
                "." | "!" | "?" | ":" | "\"" | "“" | "(" | "-" | "—"
            )
    }

    fn seq_at(&self, i: usize, seq: &[&str]) -> bool {
        seq.iter().enumerate().all(|(k, s)| self.low(i + k) == *s)
    }

    fn change_at(&self, i: usize) -> Option<(&'static str, usize)> {
        let mut best: Option<(&'static str, usize)> = None;
        for (seq, change) in CHANGES {
            if self.seq_at(i, seq) && best.is_none_or(|(_, n)| seq.len() > n) {
                best = Some((change, seq.len()));
            }
        }
        best.map(|(c, n)| (c, i + n))
    }

    fn currency_prefix(&self, i: usize) -> Option<(&'static str, usize)> {
        let mut best: Option<(&'static str, usize)> = None;
        for (seq, cur) in CURRENCY_PREFIX {
            if self.seq_at(i, seq) && best.is_none_or(|(_, n)| seq.len() > n) {
                // A bare ISO code must be written in capitals ("EUR 125", not "try 5").
                if seq.len() == 1 && self.is_word(i) && !self.all_upper(i) && seq[0] != "rs" {
                    continue;
                }
                // "A$5", "S$5", "R$5" only written together ("a $5" is an article).
                if seq.len() == 2 && matches!(seq[0], "a" | "s" | "r") && !self.glued(i + 1) {
                    continue;
                }
                // "$US160", "$A82": the letters written in capitals, glued to the "$".
                if seq.len() == 2 && seq[0] == "$" && !(self.glued(i + 1) && self.all_upper(i + 1))
                {
                    continue;
                }
                // "PS6m" (a mangled "£"), "RM79", "Y=28,030": glued to the number.
                if matches!(seq[0], "ps" | "rm" | "y")
                    && !(self.all_upper(i)
                        && self.glued(i + seq.len())
                        && (seq.len() == 1 || self.glued(i + 1)))
                {
                    continue;
                }
                best = Some((cur, seq.len()));
            }
        }
        best.map(|(c, n)| (c, i + n))
    }

    fn unit_at(&self, i: usize) -> Option<(&'static U, usize)> {
        let mut best: Option<&'static U> = None;
        for entry in UNITS {
            if !self.seq_at(i, entry.toks) {
                continue;
            }
            if entry.glued && !self.glued(i) {
                continue;
            }
            // single letters: "5m", "5g", "5t", "5p" in lower case, "10W" in capitals
            if entry.glued && entry.toks.len() == 1 {
                let raw = self.t[i].raw;
                let ok = match entry.toks[0] {
                    "w" => raw == "W",
                    "l" => true,
                    _ => raw.chars().all(char::is_lowercase),
                };
                if !ok {
                    continue;
                }
            }
            // a currency sign before a number belongs to that number: "10 $ 30 $"
            if entry.toks.len() == 1
                && matches!(entry.toks[0], "$" | "£" | "¥" | "€" | "₹")
                && self.is_num(i + 1)
            {
                continue;
            }
            // Multi-token units are written together ("km/h", "°C", "b/d") or as words.
            if best.is_none_or(|b| entry.toks.len() > b.toks.len()) {
                best = Some(entry);
            }
        }
        best.map(|e| (e, i + e.toks.len()))
    }

    fn small_number(&self, i: usize) -> Option<f64> {
        let w = self.low(i);
        SMALL_NUMBERS.iter().find(|(n, _)| *n == w).map(|(_, v)| *v)
    }

    fn scale_at(&self, i: usize, money: bool) -> Option<f64> {
        if !self.is_word(i) {
            return None;
        }
        let w = self.low(i);
        if let Some((_, v, glued_only)) = SCALES.iter().find(|(s, _, _)| *s == w) {
            if *glued_only && !self.glued(i) {
                return None;
            }
            if *glued_only && w == "k" && !self.is_num(i - 1) {
                return None;
            }
            return Some(*v);
        }
        // "40m": million with money or before a unit or a plural noun; else metres.
        if w == "m" && self.glued(i) && self.is_num(i - 1) {
            if self.t[i].raw == "M" {
                return Some(1e6);
            }
            let next = i + 1;
            let before_unit = self.is_word(next)
                && !self.glued(next)
                && (self.unit_at(next).is_some() || self.count_noun(next, 2.0).is_some());
            if money || before_unit {
                return Some(1e6);
            }
        }
        None
    }

    /// A number written in words at `i`: "three", "twenty-five", "a dozen",
    /// "one hundred", "two and a half", "a third". Returns value and next token.
    fn word_number(&self, i: usize) -> Option<(f64, usize)> {
        let w = self.low(i);
        // "a"/"an" only before a scale, "dozen" or a fraction.
        if w == "a" || w == "an" {
            let n = self.low(i + 1);
            if n == "dozen" {
                return Some((12.0, i + 2));
            }
            if n == "hundred" {
                return Some((100.0, i + 2));
            }
            if let Some((_, _, v)) = FRACTIONS.iter().find(|f| f.0 == n) {
                if self.is_dash(i + 2) && self.glued(i + 2) {
                    return None; // "a third-party"
                }
                return Some((*v, i + 2));
            }
            if matches!(n, "thousand" | "million" | "billion" | "trillion") {
                return Some((1.0, i + 1));
            }
            return None;
        }
        if w == "half" {
            if i > 0
                && matches!(
                    self.low(i - 1),
                    "the" | "first" | "second" | "other" | "latter" | "former"
                )
            {
                return None;
            }
            // "half a million", "half of", "by half".
            if self.low(i + 1) == "a" && self.scale_at(i + 2, false).is_some() {
                return Some((0.5, i + 2));
            }
            if self.scale_at(i + 1, false).is_some()
                || self.low(i + 1) == "of"
                || (i > 0 && self.low(i - 1) == "by")
            {
                return Some((0.5, i + 1));
            }
            return None;
        }
        let mut total = 0.0;
        let mut current = 0.0;
        let mut j = i;
        let mut any = false;
        loop {
            let w = self.low(j);
            if let Some(v) = self.small_number(j) {
                if any && current % 100.0 != 0.0 && v < 100.0 && current >= 20.0 && v >= 10.0 {
                    break;
                }
                if any && current != 0.0 && current % 10.0 != 0.0 {
                    break; // "five six": two numbers
                }
                current += v;
                any = true;
                j += 1;
                // "twenty-five"
                if self.is_dash(j) && self.small_number(j + 1).is_some_and(|v| v < 10.0) {
                    j += 1;
                }
                continue;
            }
            if any && w == "hundred" {
                current = if current == 0.0 {
                    100.0
                } else {
                    current * 100.0
                };
                j += 1;
                continue;
            }
            if any && matches!(w, "thousand" | "million" | "billion" | "trillion") {
                let s = SCALES.iter().find(|(s, _, _)| *s == w).map_or(1.0, |x| x.1);
                total += current.max(1.0) * s;
                current = 0.0;
                j += 1;
                // continue only when more number words follow ("three thousand two hundred")
                if self.small_number(j).is_none()
                    && !(self.low(j) == "and" && self.small_number(j + 1).is_some())
                {
                    break;
                }
                continue;
            }
            if any && w == "and" {
                if self.seq_at(j + 1, &["a", "half"]) {
                    current += 0.5;
                    j += 3;
                    break;
                }
                if total + current >= 100.0 && self.small_number(j + 1).is_some() {
                    j += 1;
                    continue;
                }
            }
            break;
        }
        if !any {
            return None;
        }
        let mut value = total + current;
        // "two thirds", "two-thirds", "three quarters"
        let k = if self.is_dash(j) { j + 1 } else { j };
        if let Some((_, _, f)) = FRACTIONS
            .iter()
            .find(|(s, p, _)| self.low(k) == *p || (value == 1.0 && self.low(k) == *s))
        {
            if !(self.low(k) == "quarter" || self.low(k) == "quarters")
                || !matches!(self.low(k + 1), "results" | "earnings" | "profit" | "of")
                || self.low(k + 1) == "of"
            {
                value *= f;
                j = k + 1;
            }
        }
        // "two dozen"
        if self.low(j) == "dozen" {
            value *= 12.0;
            j += 1;
        }
        Some((value, j))
    }

    /// A number at `i` with its scale: digits or words, fractions, "4.9b".
    fn number(&self, i: usize, money: bool) -> Option<Num> {
        let mut num = if self.is_num(i) {
            let raw = self.t[i].raw;
            let value = parse_digits(raw)?;
            let plain = raw.bytes().all(|b| b.is_ascii_digit());
            let mut n = Num {
                value,
                next: i + 1,
                digits: true,
                scaled: false,
                year_like: plain && raw.len() == 4 && (1000.0..=2100.0).contains(&value),
                long_id: plain && raw.len() >= 7,
            };
            // "1/2", "10 1/2"
            if self.low(i + 1) == "/"
                && self.glued(i + 1)
                && self.is_num(i + 2)
                && self.glued(i + 2)
            {
                let den = parse_digits(self.t[i + 2].raw).unwrap_or(0.0);
                if plain && value < den && den <= 16.0 && self.low(i + 3) != "/" {
                    n.value = value / den;
                    n.next = i + 3;
                    n.year_like = false;
                } else {
                    return None;
                }
            } else if plain
                && self.is_num(i + 1)
                && !self.glued(i + 1)
                && self.low(i + 2) == "/"
                && self.glued(i + 2)
                && self.glued(i + 3)
                && self.is_num(i + 3)
            {
                let a = parse_digits(self.t[i + 1].raw).unwrap_or(0.0);
                let b = parse_digits(self.t[i + 3].raw).unwrap_or(0.0);
                if a < b && b <= 16.0 {
                    n.value += a / b;
                    n.next = i + 4;
                    n.year_like = false;
                }
            }
            n
        } else {
            let (value, next) = self.word_number(i)?;
            Num {
                value,
                next,
                digits: false,
                scaled: false,
                year_like: false,
                long_id: false,
            }
        };
        // scales: "4.9 billion", "$4.9b", "500 crore", "two hundred thousand"
        while let Some(s) = self.scale_at(num.next, money) {
            if num.next > i + 1 && !num.digits && self.low(num.next) == "hundred" {
                break;
            }
            num.value *= s;
            num.scaled = true;
            num.year_like = false;
            num.long_id = false;
            num.next += 1;
        }
        num.value.is_finite().then_some(num)
    }

    /// A date, time, ordinal, phone number or identifier around the digit token `i`:
    /// returns the token after it when so.
    fn not_a_quantity(&self, i: usize) -> Option<usize> {
        if !self.is_num(i) {
            return None;
        }
        let next = i + 1;
        // identifiers glued to letters on the left: "G7", "MH17", "COVID-19", "F-16"
        if self.glued(i) {
            let p = i - 1;
            if self.is_word(p)
                && !matches!(self.low(p), "rs" | "usd" | "eur" | "gbp" | "rmb" | "inr")
            {
                return Some(next);
            }
            if self.is_dash(p) && self.glued(p) && self.is_word(p - 1) && self.low(p - 1) != "minus"
            {
                return Some(next);
            }
            if self.low(p) == "+" {
                return Some(self.skip_phone(i));
            }
            if matches!(self.low(p), "#" | "@" | "/" | "_" | "." | ":") {
                return Some(self.skip_digit_run(i));
            }
        }
        // times: "11:42", "10.30am", "3 p.m.", "10 am"
        if self.low(next) == ":"
            && self.glued(next)
            && self.is_num(next + 1)
            && self.glued(next + 1)
        {
            return Some(self.skip_digit_run(i));
        }
        let after = self.low(next);
        if self.is_word(next) {
            let glued = self.glued(next);
            if matches!(after, "am" | "pm" | "a" | "p")
                && (glued || after.len() == 2 || self.low(next + 1) == ".")
                && (after.len() == 2 || (self.low(next + 1) == "." && self.low(next + 2) == "m"))
            {
                return Some(next + 1);
            }
            if matches!(
                after,
                "gmt" | "utc" | "bst" | "cet" | "est" | "edt" | "pst" | "hrs"
            ) && self.all_upper(next)
            {
                return Some(next + 1);
            }
            if after == "o" && self.low(next + 1) == "'" {
                return Some(next + 3);
            }
            // ordinals and decades: "22nd", "1990s"
            if glued && matches!(after, "st" | "nd" | "rd" | "th" | "s") {
                return Some(next + 1);
            }
        }
        // dates and phone numbers: "2019-09-01", "11/21/2019", "555-123-4567", "1.2.3"
        if matches!(after, "-" | "/" | ".")
            && self.glued(next)
            && self.is_num(next + 1)
            && self.glued(next + 1)
            && self.low(next + 2) == after
            && self.glued(next + 2)
            && self.is_num(next + 3)
        {
            return Some(self.skip_digit_run(i));
        }
        // "(555) 123-4567"
        if i > 0
            && self.low(i - 1) == "("
            && self.low(next) == ")"
            && self.is_num(next + 1)
            && self.t[i].raw.len() == 3
        {
            return Some(self.skip_digit_run(next + 1));
        }
        // "123-4567"
        if self.is_dash(next) && self.glued(next) && self.is_num(next + 1) && self.glued(next + 1) {
            let a = self.t[i].raw;
            let b = self.t[next + 1].raw;
            if a.len() >= 3
                && b.len() >= 4
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
                && !(a.len() == 4 && b.len() == 4)
            {
                return Some(next + 2);
            }
        }
        // months: "Nov. 21", "March 29", "21 November", "1 September 2019"
        let mut p = i;
        if p > 0 && self.low(p - 1) == "." {
            p -= 1;
        }
        if p > 0 && self.month_at(p - 1) {
            return Some(self.skip_digit_run(i));
        }
        if self.month_at(next) && !(after == "may" && self.sentence_start(next)) {
            return Some(next + 1);
        }
        if after == "of" && self.month_at(next + 1) {
            return Some(next);
        }
        None
    }

    /// A month or weekday name: capitalized, or in lower case when it cannot be
    /// a verb ("oct.", "november"; not "may", "march").
    fn month_at(&self, i: usize) -> bool {
        let w = self.low(i);
        if !MONTHS.contains(&w) {
            return false;
        }
        if self.capitalized(i) {
            return true;
        }
        !matches!(w, "may" | "march" | "sun" | "wed" | "sat" | "mar" | "jan")
            || self.low(i + 1) == "."
    }

    /// The token after a run of digit groups joined by separators without spaces.
    fn skip_digit_run(&self, i: usize) -> usize {
        let mut j = i;
        while j < self.t.len() {
            if self.is_num(j)
                || (matches!(self.low(j), "-" | "/" | "." | ":" | "+")
                    && self.glued(j + 1)
                    && self.glued(j))
            {
                j += 1;
                if !self.glued(j) {
                    break;
                }
            } else {
                break;
            }
        }
        j
    }

    /// The token after a phone number: digit groups separated by spaces, dashes or dots.
    fn skip_phone(&self, i: usize) -> usize {
        let mut j = i;
        while j < self.t.len() && j < i + 12 {
            let plain =
                |k: usize| self.is_num(k) && self.t[k].raw.bytes().all(|b| b.is_ascii_digit());
            if plain(j) {
                j += 1;
            } else if matches!(self.low(j), "-" | "." | "(" | ")") && plain(j + 1) {
                j += 2;
            } else {
                break;
            }
        }
        j
    }

    /// A street address after the number: "10 Downing Street", "221B Baker St".
    fn address_follows(&self, i: usize) -> bool {
        if self.capitalized(i) && matches!(self.low(i), "ave" | "avenue" | "rue" | "via" | "calle")
        {
            return true;
        }
        let mut j = i;
        let mut caps = 0;
        while caps < 3 && (self.capitalized(j) || (caps > 0 && self.is_num(j))) {
            let w = self.low(j);
            if caps > 0 && STREET_SUFFIXES.contains(&w) {
                return true;
            }
            caps += 1;
            j += 1;
        }
        false
    }

    /// The noun a number counts: "200 tanks", "126 fighter jets", "one solution".
    /// Returns (unit: singular noun phrase, concept: as written, next token).
    fn count_noun(&self, i: usize, value: f64) -> Option<(String, String, usize)> {
        let plain = |k: usize| {
            self.is_word(k)
                && !NOT_NOUNS.contains(&self.low(k))
                && !MONTHS.contains(&self.low(k))
                && self.low(k).chars().count() > 1
                && !self.low(k).ends_with("ly")
        };
        let good = |k: usize| plain(k) && !self.capitalized(k);
        let w1 = self.low(i);
        // "fighter jets", "Liverpool fans": a modifier and a plural noun
        if value != 1.0
            && plain(i)
            && good(i + 1)
            && is_plural(self.low(i + 1))
            && !self.glued(i + 1)
            && !is_plural(w1)
        {
            let w2 = self.low(i + 1);
            let unit = format!("{w1} {}", singular(w2));
            let concept = format!("{} {}", self.t[i].raw, self.t[i + 1].raw);
            return Some((unit, concept, i + 2));
        }
        if !good(i) {
            return None;
        }
        let verbish = w1.ends_with("ing") || w1.ends_with("ed");
        if is_plural(w1) || (value == 1.0 && !verbish) || (value > 0.0 && value < 1.0 && !verbish) {
            if value == 1.0 && is_plural(w1) && w1 != "people" {
                return None;
            }
            let concept = self.t[i].raw.to_owned();
            return Some((singular(w1), concept, i + 1));
        }
        None
    }

    fn per_at(&self, i: usize) -> Option<(&'static str, usize)> {
        let mut j = i;
        if self.is_dash(j) && self.glued(j) {
            j += 1;
        }
        let w = self.low(j);
        if let Some((_, p)) = PER_ADVERBS.iter().find(|(a, _)| *a == w) {
            return Some((p, j + 1));
        }
        if !matches!(w, "a" | "an" | "per" | "each" | "every" | "/") {
            return None;
        }
        let mut k = j + 1;
        if self.is_dash(k) {
            k += 1;
        }
        let noun = self.low(k);
        let (_, per) = PER.iter().find(|(n, _)| *n == noun)?;
        if matches!(
            self.low(k + 1),
            "earlier"
                | "ago"
                | "before"
                | "later"
                | "after"
                | "from"
                | "previously"
                | "prior"
                | "old"
        ) {
            return None;
        }
        Some((per, k + 1))
    }

    fn parse_at(&self, i: usize) -> Option<Step> {
        let (mut change, j) = self.change_at(i).unwrap_or(("=", i));
        let between = self.low(j) == "between";
        let mut j = if between { j + 1 } else { j };
        // "minus 5", "minus-130", "-5" (a sign with a space before it)
        let mut negative = false;
        if self.low(j) == "minus" && self.is_num(j + 1) {
            negative = true;
            j += 1;
        } else if self.low(j) == "minus" && self.is_dash(j + 1) && self.is_num(j + 2) {
            negative = true;
            j += 2;
        } else if matches!(self.low(j), "-" | "−")
            && !self.glued(j)
            && self.glued(j + 1)
            && self.is_num(j + 1)
        {
            negative = true;
            j += 1;
        }
        let (mut unit_cur, k) = match self.currency_prefix(j) {
            Some((c, k)) => (Some(c), k),
            None => (None, j),
        };
        if !(self.is_num(k) || self.is_word(k)) {
            return None;
        }
        if unit_cur.is_none() {
            if let Some(skip) = self.not_a_quantity(k) {
                return Some(Step::Skip(skip));
            }
        }
        let num = self.number(k, unit_cur.is_some())?;
        // "USD115": a currency code glued to a number is fine, another word is not
        if unit_cur.is_some()
            && self.is_word(k - 1)
            && self.glued(k)
            && !self.all_upper(k - 1)
            && self.low(k - 1) != "rs"
        {
            unit_cur = None;
        }
        let mut value = if negative { -num.value } else { num.value };
        let mut scaled = num.scaled;
        let mut l = num.next;
        let mut value_max = None;
        let before = if i > 0 { self.low(i - 1) } else { "" };
        let after_from = before == "from" || (k > 0 && self.low(k - 1) == "from");
        let after_by = before == "by";
        let money = unit_cur.is_some();

        // ranges of bare numbers: "10-12 million", "eight to 10 feet", "three or four years"
        let connector = self.is_dash(l)
            || (self.low(l) == "to" && !(after_by && money))
            || (between && self.low(l) == "and")
            || self.low(l) == "or";
        if connector && !negative {
            let m = match self.currency_prefix(l + 1) {
                Some((c, m)) if Some(c) == unit_cur => m,
                _ => l + 1,
            };
            let dash_ok = !self.is_dash(l) || (num.digits == self.is_num(m));
            if dash_ok
                && (self.is_num(m) || self.small_number(m).is_some())
                && self.not_a_quantity(m).is_none()
            {
                if let Some(hi) = self.number(m, money) {
                    let mut lo = value;
                    if hi.scaled && !num.scaled {
                        lo *= hi.value / self.number_unscaled(m).unwrap_or(hi.value);
                    }
                    let or_ok = self.low(l) != "or"
                        || (!money && self.unit_at(hi.next).is_some() && lo < hi.value);
                    let order_ok = lo < hi.value || (after_from && lo != hi.value);
                    if or_ok && order_ok {
                        value = lo;
                        value_max = Some(hi.value);
                        scaled |= hi.scaled;
                        l = hi.next;
                    } else if self.is_dash(num.next) && num.digits && self.glued(num.next) {
                        // "2-1", "2019-20": scores and seasons
                        return Some(Step::Skip(hi.next));
                    }
                }
            }
        }

        // unit
        let mut unit: Option<String> = None;
        let mut concept: Option<String> = None;
        let mut measured = false; // a unit from the table or a currency
        let mut mult = 1.0;
        if let Some(cur) = unit_cur {
            unit = Some(cur.to_owned());
            measured = true;
            // "$10 dollars", "US$ 5 million USD"
            if let Some((e, next)) = self.unit_at(l) {
                if e.unit == cur {
                    l = next;
                }
            }
        } else {
            let mut m = l;
            // "3-inch", "45-acre", "12-cent-a-share"
            if self.is_dash(m) && self.glued(m) && self.glued(m + 1) && self.is_word(m + 1) {
                m += 1;
            }
            let mut found = self.unit_at(m).map(|(e, next)| (e, m, next));
            // "517 rushing yards", "the 50 previous years": one modifier before a unit
            if found.is_none()
                && self.is_word(m)
                && !self.capitalized(m)
                && (!NOT_NOUNS.contains(&self.low(m)) || matches!(self.low(m), "more" | "other"))
                && !self.glued(m + 1)
            {
                if let Some((e, next)) = self.unit_at(m + 1) {
                    let word_unit = e.toks.iter().all(|t| t.chars().count() > 2)
                        && !e.unit.chars().all(|c| c.is_ascii_uppercase());
                    if word_unit && e.unit != POUND {
                        found = Some((e, m + 1, next));
                    }
                }
            }
            if let Some((e, at, next)) = found {
                let glued_ok = !e.glued || self.glued(at);
                let single_letter = e.toks.len() == 1
                    && e.toks[0].chars().count() == 1
                    && e.toks[0] != "%"
                    && e.toks[0] != "°";
                if glued_ok && !(single_letter && self.glued(next) && !self.is_dash(next)) {
                    let mut name = e.unit;
                    let mut next = next;
                    // "75 USD million"
                    if !scaled {
                        if let Some(s) = self.scale_at(next, true).filter(|_| !self.glued(next)) {
                            value *= s;
                            scaled = true;
                            next += 1;
                        }
                    }
                    if name == POUND {
                        name = if scaled || self.low(next) == "sterling" {
                            "GBP"
                        } else {
                            "pound-mass"
                        };
                    }
                    mult = e.mult;
                    value *= mult;
                    if let Some(v) = value_max.as_mut() {
                        *v *= mult;
                    }
                    unit = Some(name.to_owned());
                    measured = true;
                    l = next;
                    // "thirteen dollars and forty-five cents"
                    if name.len() == 3
                        && name.chars().all(|c| c.is_ascii_uppercase())
                        && value_max.is_none()
                    {
                        let c = if self.low(l) == "and" { l + 1 } else { l };
                        if let Some(cents) = self
                            .number(c, false)
                            .filter(|n| !n.scaled && n.value < 100.0)
                        {
                            if matches!(self.low(cents.next), "cents" | "cent") {
                                value += cents.value / 100.0;
                                l = cents.next + 1;
                            }
                        }
                    }
                }
            }
            if unit.is_none() && (m == l || self.is_word(m)) {
                if let Some((u, c, next)) = self.count_noun(m, value) {
                    unit = Some(u);
                    concept = Some(c);
                    l = next;
                }
            }
        }
        if let Some(u) = unit.as_deref() {
            if u == "percent" && self.seq_at(l, &["points"]) {
                unit = Some("percentage point".into());
                l += 1;
            }
        }

        // ranges with the unit on both ends: "from 1 per cent to 1.5 per cent",
        // "between 5% and 6%", "from $160 to $180"
        if measured && value_max.is_none() && !negative {
            let c = self.low(l);
            let is_conn = self.is_dash(l) || (c == "to" && !after_by) || (between && c == "and");
            if is_conn {
                let mut m = l + 1;
                let mut ok = true;
                if let Some(cur) = unit_cur {
                    match self.currency_prefix(m) {
                        Some((c2, m2)) if c2 == cur => m = m2,
                        _ => ok = false,
                    }
                }
                if ok && self.is_num(m) && self.not_a_quantity(m).is_none() {
                    if let Some(hi) = self.number(m, money) {
                        let mut n = hi.next;
                        let same = if unit_cur.is_some() {
                            if let Some((e, next)) = self.unit_at(n) {
                                if Some(e.unit) == unit_cur {
                                    n = next;
                                }
                            }
                            true
                        } else {
                            match self.unit_at(n) {
                                Some((e, next)) if Some(e.unit) == unit.as_deref() => {
                                    n = next;
                                    true
                                }
                                _ => false,
                            }
                        };
                        let hi_value = hi.value * mult;
                        let order_ok =
                            value < hi_value || ((after_from || between) && value != hi_value);
                        if same && order_ok {
                            value_max = Some(hi_value);
                            l = n;
                        }
                    }
                }
            }
        }

        // guards for numbers that are not measured
        if !measured {
            if num.year_like && change == "=" {
                return Some(Step::Skip(l));
            }
            if num.long_id {
                return Some(Step::Skip(l));
            }
            if unit.is_none() {
                if !(num.digits || (value > 0.0 && value < 1.0)) {
                    return Some(Step::Skip(l)); // "the two", "one of"
                }
                // a glued word that is no unit: "5G", "3D", "11a"
                if self.is_word(l) && self.glued(l) {
                    return Some(Step::Skip(l + 1));
                }
                if self.address_follows(l) {
                    return Some(Step::Skip(l));
                }
                // "Prescott (4)": a number alone in brackets is a label
                if k > 0 && self.low(k - 1) == "(" && self.low(l) == ")" {
                    return Some(Step::Skip(l));
                }
            }
            // "Section 427", "Big 12", "Windows 10 users"
            if k > 0 && k == i {
                let p = k - 1;
                if self.is_word(p)
                    && (LABEL_WORDS.contains(&self.low(p))
                        || (self.t[p].raw.chars().any(char::is_uppercase)
                            && !self.sentence_start(p)))
                {
                    return Some(Step::Skip(l));
                }
            }
        }

        // rate, postfix approximation, concept
        let mut per = None;
        if let Some((p, next)) = self.per_at(l) {
            if unit.is_some() && unit.as_deref() != Some(p) {
                per = Some(p);
                l = next;
            }
        }
        if self.seq_at(l, &["or", "more"]) {
            change = ">=";
            l += 2;
        } else if self.seq_at(l, &["or", "less"]) || self.seq_at(l, &["or", "fewer"]) {
            change = "<=";
            l += 2;
        } else if self.seq_at(l, &["or", "so"]) {
            change = "~";
            l += 2;
        }
        if concept.is_none() && measured && self.low(l) == "of" {
            let mut c = l + 1;
            if matches!(self.low(c), "the" | "a" | "an") {
                c += 1;
            }
            if self.is_word(c) && !self.capitalized(c) && !NOT_NOUNS.contains(&self.low(c)) {
                concept = Some(self.t[c].raw.to_owned());
                // "2.4 billion gallons of jet fuel a year"
                if per.is_none() {
                    for after in [c + 1, c + 2] {
                        if let Some((p, next)) = self.per_at(after) {
                            if after == c + 1
                                || (self.is_word(c + 1) && !NOT_NOUNS.contains(&self.low(c + 1)))
                            {
                                per = Some(p);
                                l = next;
                            }
                            break;
                        }
                    }
                }
            }
        }
        // change from a verb before the quantity: "rose 543 percent", "cut by a third"
        if change == "=" && i == k.min(j) {
            let mut p = i;
            if p > 0 && self.low(p - 1) == "by" {
                p -= 1;
            }
            if p > 0 {
                let v = self.low(p - 1);
                if UP_VERBS.contains(&v) {
                    change = "up";
                } else if DOWN_VERBS.contains(&v) {
                    change = "down";
                }
            }
        }
        let start = self.t[i].start;
        let end = self.t[l.saturating_sub(1).max(k)].end;
        let q = Quantity {
            start,
            end,
            value,
            value_max,
            unit,
            change,
            per,
            concept,
        };
        Some(Step::Found(q, l))
    }

    /// The value of the number at `i` before any scale ("12" of "12 million").
    fn number_unscaled(&self, i: usize) -> Option<f64> {
        if self.is_num(i) {
            parse_digits(self.t[i].raw)
        } else {
            self.word_number(i).map(|(v, _)| v)
        }
    }
}

fn is_plural(w: &str) -> bool {
    if matches!(
        w,
        "people"
            | "men"
            | "women"
            | "children"
            | "police"
            | "staff"
            | "personnel"
            | "cattle"
            | "feet"
            | "mice"
            | "geese"
            | "teeth"
            | "aircraft"
            | "sheep"
            | "fish"
            | "deer"
            | "crew"
    ) {
        return true;
    }
    (w.len() > 4 && w.ends_with("men") && !w.ends_with("specimen"))
        || w.len() > 2
            && w.ends_with('s')
            && !w.ends_with("ss")
            && !w.ends_with("us")
            && !w.ends_with("is")
}

fn singular(w: &str) -> String {
    match w {
        "people" | "police" | "staff" | "personnel" | "cattle" | "aircraft" | "sheep" | "fish"
        | "deer" | "crew" => return w.to_owned(),
        "men" => return "man".into(),
        "women" => return "woman".into(),
        "children" => return "child".into(),
        "feet" => return "foot".into(),
        "mice" => return "mouse".into(),
        "geese" => return "goose".into(),
        "teeth" => return "tooth".into(),
        _ => {}
    }
    if !is_plural(w) {
        return w.to_owned();
    }
    if let Some(stem) = w.strip_suffix("ies") {
        if stem.len() > 1 {
            return format!("{stem}y");
        }
    }
    if let Some(stem) = w.strip_suffix("men") {
        if stem.len() > 2 {
            return format!("{stem}man");
        }
    }
    for suffix in ["sses", "ches", "shes", "xes", "zes", "uses"] {
        if w.ends_with(suffix) {
            return w[..w.len() - 2].to_owned();
        }
    }
    w[..w.len() - 1].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Quantity {
        let qs = extract_quantities(text);
        assert_eq!(qs.len(), 1, "{text}: {qs:?}");
        qs.into_iter().next().unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    fn check(text: &str, value: f64, unit: Option<&str>) -> Quantity {
        let q = one(text);
        assert!(
            close(q.value, value),
            "{text}: value {} != {value}",
            q.value
        );
        assert_eq!(q.unit.as_deref(), unit, "{text}");
        q
    }

    #[test]
    fn money_with_currency_and_scale() {
        check("Revenue was $4.9b last year.", 4.9e9, Some("USD"));
        check("a $200 billion package", 200e9, Some("USD"));
        check("It will cost 5 trillion roubles.", 5e12, Some("RUB"));
        check("a €3bn deal", 3e9, Some("EUR"));
        check("a loan of US$1.2 million", 1.2e6, Some("USD"));
        check("He was paid £40m.", 40e6, Some("GBP"));
        check("sales of ¥10 billion", 10e9, Some("JPY"));
        check("a budget of Rs 500 crore", 5e9, Some("INR"));
        check("a C$16.4 million price", 16.4e6, Some("CAD"));
        check("It costs 10 EUR.", 10.0, Some("EUR"));
        check("USD115", 115.0, Some("USD"));
        check("35 lakh rupees", 3.5e6, Some("INR"));
        check("shares tumbled 34 cents", 34.0, Some("cent"));
        let q = check("a bid of $70-a-share", 70.0, Some("USD"));
        assert_eq!(q.per, Some("share"));
    }

    #[test]
    fn percentages_and_points() {
        check("inflation of 7.5%", 7.5, Some("percent"));
        check("up about 19 per cent for the year", 19.0, Some("percent"));
        check(
            "rates rose by 0.25 percentage points",
            0.25,
            Some("percentage point"),
        );
        check("it fell 5 pct", 5.0, Some("percent"));
        check("the index lost 190 points", 190.0, Some("point"));
        check("a cut of 25 basis points", 25.0, Some("basis point"));
    }

    #[test]
    fn physical_and_trade_quantities() {
        let q = check("capacity of 20 million tons per year", 20e6, Some("ton"));
        assert_eq!(q.per, Some("year"));
        check("exports reached 53 million tons.", 53e6, Some("ton"));
        check("handled 202,000 TEU in May", 202_000.0, Some("TEU"));
        let q = check("output of 1.2 million barrels a day", 1.2e6, Some("barrel"));
        assert_eq!(q.per, Some("day"));
        check("Gazprom will ship 30 bcm of gas", 30e9, Some("cubic metre"));
        check("a 45-acre farm", 45.0, Some("acre"));
        check("it drove 87 mph", 87.0, Some("mile per hour"));
        check("Water boils at 100 °C", 100.0, Some("celsius"));
        check("a 15 year-old student", 15.0, Some("year of age"));
        check("weighs 200lbs", 200.0, Some("pound-mass"));
        check("a 48m outreach", 48.0, Some("metre"));
        check("he lost 25 pounds", 25.0, Some("pound-mass"));
        check("a profit of 361 million pounds", 361e6, Some("GBP"));
    }

    #[test]
    fn counts_with_rate_and_concept() {
        let q = check("The plant makes 200 tanks a year.", 200.0, Some("tank"));
        assert_eq!(q.per, Some("year"));
        assert_eq!(q.concept.as_deref(), Some("tanks"));
        check("the deal for 126 fighter jets", 126.0, Some("fighter jet"));
        check("it killed at least fourteen people", 14.0, Some("people"));
        check(
            "You have one solution that does it all",
            1.0,
            Some("solution"),
        );
        check("Ford has 13000 workers in Britain", 13000.0, Some("worker"));
        check("I called 3 times", 3.0, Some("count"));
    }

    #[test]
    fn changes_and_approximations() {
        let q = check("spending was cut by a third", 1.0 / 3.0, None);
        assert_eq!(q.change, "down");
        let q = check("Exports rose 543 percent", 543.0, Some("percent"));
        assert_eq!(q.change, "up");
        assert_eq!(
            check("more than 80% of voters", 80.0, Some("percent")).change,
            ">"
        );
        assert_eq!(check("about $5 million", 5e6, Some("USD")).change, "~");
        assert_eq!(check("up to 300 troops", 300.0, Some("troop")).change, "<=");
        assert_eq!(
            check("nearly 2,000 homes", 2000.0, Some("home")).change,
            "~"
        );
        assert_eq!(
            check("at least 12 people", 12.0, Some("people")).change,
            ">="
        );
        assert_eq!(check("fewer than 10 cases", 10.0, Some("case")).change, "<");
        let qs = extract_quantities("Toronto Stock Exchange (16369.03 up 58.06 points).");
        assert_eq!(qs.len(), 2, "{qs:?}");
        assert_eq!((qs[0].value, qs[0].unit.as_deref()), (16369.03, None));
        assert_eq!((qs[1].value, qs[1].change), (58.06, "up"));
        assert_eq!(qs[1].unit.as_deref(), Some("point"));
    }

    #[test]
    fn negative_numbers_and_compound_money() {
        check(
            "it can dip to minus-130 degrees Fahrenheit",
            -130.0,
            Some("fahrenheit"),
        );
        check("a low of -5 °C", -5.0, Some("celsius"));
        check(
            "it only cost thirteen dollars and forty-five cents",
            13.45,
            Some("USD"),
        );
        check("They lost 75 USD million.", 75e6, Some("USD"));
        check("the rate fell to .001 per cent", 0.001, Some("percent"));
        check("worth $US55,931,000", 55_931_000.0, Some("USD"));
    }

    #[test]
    fn number_words() {
        check("three warships", 3.0, Some("warship"));
        check("a dozen eggs", 12.0, Some("egg"));
        check("half a million people", 500_000.0, Some("people"));
        check("twenty-five villages", 25.0, Some("village"));
        check("two thirds of members", 2.0 / 3.0, None);
        check(
            "It costs a quarter million us dollars.",
            250_000.0,
            Some("USD"),
        );
        check("one hundred and twenty soldiers", 120.0, Some("soldier"));
    }

    #[test]
    fn ranges() {
        let q = check("between 10-12 million tourists", 10e6, Some("tourist"));
        assert_eq!(q.value_max, Some(12e6));
        let q = check("walls eight to 10 feet tall", 8.0, Some("foot"));
        assert_eq!(q.value_max, Some(10.0));
        let q = check("between $5 and $7 billion", 5e9, Some("USD"));
        assert_eq!(q.value_max, Some(7e9));
        let q = check(
            "fees range from 1 per cent to 1.5 per cent",
            1.0,
            Some("percent"),
        );
        assert_eq!(q.value_max, Some(1.5));
        let q = check("prices rose from $160 to $180", 160.0, Some("USD"));
        assert_eq!(q.value_max, Some(180.0));
        let q = check("over the past three or four years", 3.0, Some("year"));
        assert_eq!(q.value_max, Some(4.0));
        // "by X to Y" is a change and a new level, not a range
        assert_eq!(
            extract_quantities("it increased by $43.6 billion to $419.2 billion").len(),
            2
        );
    }

    #[test]
    fn no_dates_years_times_phones_addresses() {
        for text in [
            "The talks began in 2019.",
            "It was signed on Nov. 21 in Minsk.",
            "Brexit is due on March 29.",
            "She died on 8 September in Dar es Salaam.",
            "The meeting starts at 11:42 today.",
            "Doors open at 10 a.m. and close at 6pm.",
            "The 22nd amendment was ratified.",
            "Call (555) 123-4567 or +1 202 555 0143 now.",
            "Call 555-0143 now.",
            "He lives at 10 Downing Street.",
            "The Big 12 and the S P 500 index",
            "Section 427 Row 21",
            "the COVID-19 crisis and the G7 summit",
            "2019-09-01T10:48:22.906Z",
            "in the 1990s",
            "in the 2019-20 season",
            "Version 1.2.3 was released",
            "They won 2-1 at home.",
            "paid on nov. 6 to shares of record oct. 25",
            "Dak Prescott (4) ran",
            "The base iPhone 11 is cheap",
        ] {
            let qs = extract_quantities(text);
            assert!(qs.is_empty(), "{text}: {qs:?}");
        }
        // a year-like number with a unit is a quantity
        check("They built 2000 tons of steel.", 2000.0, Some("ton"));
    }

    #[test]
    fn character_offsets_on_non_ascii_text() {
        let text = "Газпром: экспорт — €3bn, «Токаев» said 20% in 東京.";
        let layer = quantities_layer(text);
        assert_eq!(layer.name, "quantities");
        assert_eq!(layer.component.name, "nlp-quantities");
        assert!(layer.spans_fit(text.chars().count()));
        let texts: Vec<String> = layer
            .spans
            .iter()
            .map(|s| text.chars().skip(s.start).take(s.end - s.start).collect())
            .collect();
        assert_eq!(texts, vec!["€3bn".to_string(), "20%".to_string()]);
        let first = &layer.spans[0];
        assert_eq!(first.fields["value"], serde_json::json!(3e9));
        assert_eq!(first.fields["unit"], serde_json::json!("EUR"));
        assert_eq!(first.fields["change"], serde_json::json!("="));
        assert_eq!(first.fields["text"], serde_json::json!("€3bn"));
    }

    #[test]
    fn random_input_never_panics() {
        // xorshift: deterministic
        let mut rng = dossier_core::SplitMix64::new(0x9E37_79B9_7F4A_7C15);
        let mut next = || rng.next_u64();
        let alphabet: Vec<char> =
            "0123456789 ,.-–/:%$€£¥₽+()#abcmkbnts ahalfdozenthirdmillion\n°²³ТЮ東\u{301}"
                .chars()
                .collect();
        let words = [
            "more than",
            "up to",
            "$",
            "US$",
            "4.9",
            "bn",
            "million",
            "a",
            "third",
            "half",
            "to",
            "-",
            "between",
            "and",
            "per",
            "a year",
            "tons",
            "of",
            "Nov.",
            "21",
            "2019",
            "1/2",
            "10",
            "12",
            "%",
            "points",
            "percentage",
            "rose",
            "by",
            "Rs",
            "crore",
            "°",
            "C",
            "m",
            "²",
            "years",
            "old",
            "(",
            ")",
            ":",
            "one",
            "twenty",
            "hundred",
        ];
        for round in 0..3000 {
            let mut s = String::new();
            let len = (next() % 60) as usize;
            for _ in 0..len {
                if round % 2 == 0 {
                    s.push(alphabet[(next() % alphabet.len() as u64) as usize]);
                } else {
                    s.push_str(words[(next() % words.len() as u64) as usize]);
                    if next() % 3 != 0 {
                        s.push(' ');
                    }
                }
            }
            let layer = quantities_layer(&s);
            assert!(layer.spans_fit(s.chars().count()), "{s:?}");
            for span in &layer.spans {
                assert!(span.fields["value"].is_number(), "{s:?}");
            }
        }
        // long input crosses window boundaries
        let long = "about $5 million and 3 tanks, ".repeat(2000);
        assert_eq!(extract_quantities(&long).len(), 4000);
        let digits = "9".repeat(100_000);
        let _ = quantities_layer(&digits);
    }
}
