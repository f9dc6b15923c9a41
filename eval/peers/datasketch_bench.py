"""Python datasketch MinHashLSH on the same texts as eval/src/bin/dedup.rs.

Usage: python3 datasketch_bench.py INPUT.jsonl OUTPUT.json THRESHOLD NUM_PERM

INPUT has one {"id": int, "text": str} per line, in processing order. The
timed part is, per document: words (runs of letters and digits, lower-cased,
as dossier-link reads them), distinct 5-word shingles, MinHash(num_perm)
via update_batch, lsh.query, verification of each candidate by estimated
Jaccard >= THRESHOLD, lsh.insert. OUTPUT gets the seconds, the pairs found,
the banding datasketch chose and its version.
"""

import json
import re
import sys
import time

import datasketch
from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"[^\W_]+")
SHINGLE_WORDS = 5


def shingles(text):
    words = WORD.findall(text.lower())
    if not words:
        return []
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words).encode("utf8")]
    return list(
        {
            " ".join(words[i : i + SHINGLE_WORDS]).encode("utf8")
            for i in range(len(words) - SHINGLE_WORDS + 1)
        }
    )


def main():
    src, out, threshold, num_perm = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    docs = []
    with open(src, encoding="utf8") as f:
        for line in f:
            d = json.loads(line)
            docs.append((d["id"], d["text"]))
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    # The permutations are drawn once; datasketch reuses them when given.
    template = MinHash(num_perm=num_perm)
    kept = {}
    pairs = []
    start = time.perf_counter()
    for key, text in docs:
        sh = shingles(text)
        if not sh:
            continue
        m = MinHash(num_perm=num_perm, permutations=template.permutations, scheme=template.scheme)
        m.update_batch(sh)
        for other in lsh.query(m):
            if m.jaccard(kept[other]) >= threshold:
                pairs.append([other, key])
        lsh.insert(key, m)
        kept[key] = m
    seconds = time.perf_counter() - start
    with open(out, "w", encoding="utf8") as f:
        json.dump(
            {
                "seconds": seconds,
                "documents": len(docs),
                "pairs": pairs,
                "bands": lsh.b,
                "rows": lsh.r,
                "version": datasketch.__version__,
                "scheme": template.scheme,
            },
            f,
        )


if __name__ == "__main__":
    main()
