#!/usr/bin/env python3
"""Builds demo/ from ../shared/data/corpora/wikinews (CC BY 2.5, may ship with attribution).

English: all 500 records (they hold the multi-year storylines later stages follow).
Russian: the first 120 records, with `published` removed because the corpus README says
those dates were guessed from the text; dossier never stores a guessed date as declared.
Every record gets "source": "Wikinews". demo/ATTRIBUTION.md names each record's source.
"""
import json
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent.parent
shared = here.parent / "shared" / "data" / "corpora" / "wikinews"
if not shared.is_dir():
    sys.exit(f"{shared} not found")
out = here / "demo" / "corpus"
out.mkdir(exist_ok=True)

def load(name):
    with open(shared / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]

en = load("demo-corpus.jsonl")
ru = load("demo-corpus-ru.jsonl")[:120]
for r in ru:
    r.pop("published", None)
lines = ["# Attribution", "",
         "The files in this folder are English and Russian Wikinews articles, by Wikinews contributors,",
         "licensed under the Creative Commons Attribution 2.5 licence",
         "(https://creativecommons.org/licenses/by/2.5/); articles before 2005-09-25 are in the public domain.",
         "Text was extracted and cleaned (markup removed) by the projects named per record below;",
         "some English records come from the MEANTIME corpus (CC BY 4.0, Fondazione Bruno Kessler,",
         "VU University Amsterdam, Universidad del País Vasco) and the GUM corpus (CC BY 4.0, Zeldes 2017),",
         "as their attribution says. dossier added a \"source\" field and, for the Russian records,",
         "removed dates that had been guessed from the text.", "", "## Records", ""]
for name, rows in (("wikinews-en.jsonl", en), ("wikinews-ru.jsonl", ru)):
    with open(out / name, "w", encoding="utf-8") as f:
        for r in rows:
            r["source"] = "Wikinews"
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    lines.append(f"### {name}")
    lines.append("")
    for r in rows:
        lines.append(f"- {r.get('attribution') or r['url']}")
    lines.append("")
(out.parent / "ATTRIBUTION.md").write_text("\n".join(lines), encoding="utf-8")
print(f"wrote {len(en)} English and {len(ru)} Russian records to {out}")
