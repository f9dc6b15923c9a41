"""Python trafilatura on the Scrapinghub pages, for side-by-side numbers.

Usage: python3 trafilatura_bench.py DATA_DIR OUT_JSON
Reads html/<id>.html.gz (or .html) for every id in ground-truth.json, times
trafilatura.extract() with default settings (decompression excluded), and
writes {"seconds": s, "pages": n, "version": v, "output": {id: {"articleBody": text}}}.
"""
import gzip
import json
import os
import sys
import time

import trafilatura


def read_html(html_dir, page_id):
    gz = os.path.join(html_dir, page_id + ".html.gz")
    if os.path.exists(gz):
        with gzip.open(gz, "rb") as f:
            return f.read().decode("utf-8", errors="replace")
    with open(os.path.join(html_dir, page_id + ".html"), "rb") as f:
        return f.read().decode("utf-8", errors="replace")


def main():
    data_dir, out_path = sys.argv[1], sys.argv[2]
    with open(os.path.join(data_dir, "ground-truth.json"), encoding="utf-8") as f:
        gold = json.load(f)
    pages = {pid: read_html(os.path.join(data_dir, "html"), pid) for pid in sorted(gold)}
    output = {}
    start = time.perf_counter()
    for pid, html in pages.items():
        text = trafilatura.extract(html, url=gold[pid].get("url"))
        output[pid] = {"articleBody": text or ""}
    seconds = time.perf_counter() - start
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"seconds": seconds, "pages": len(pages),
                   "version": trafilatura.__version__, "output": output}, f)


if __name__ == "__main__":
    main()
