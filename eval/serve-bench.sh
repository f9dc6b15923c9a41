#!/usr/bin/env bash
# Load test of `dossier serve` (issue 8, part 6): requests/s, p50 and p99 latency and errors of search
# (/api/search?q=, /search?q=) and article pages (/api/articles/ID, /articles/ID) on loopback, over a
# sizeable store, first idle and then while `dossier ingest` writes a second corpus into the same store.
#
#   cargo build --release -p dossier-cli && eval/serve-bench.sh
#
# The store: Timeline17's articles (../shared/data/timeline17/*/InputDocs, 2,460 texts) and the
# Scrapinghub benchmark's 181 HTML pages, the substitute the ingest benchmark uses where the Telegram
# corpus is absent; skips cleanly (exit 0) when Timeline17 is absent. The concurrent ingest: the Wikinews
# corpora (../shared/data/corpora/wikinews/*.jsonl, 1,328 records, else demo/corpus), then the same
# records again ROUNDS-1 times with each text and URL changed (new content, near-copies of round 0), in
# one run that outlasts the measurements (it is stopped with Ctrl-C's signal after them).
# Queries are title words of the stored articles, ids those of `dossier list --json`; wrk rotates
# through them (eval/serve-bench.lua). Builds nothing; needs wrk and jq (installed with apt-get when
# missing). Traffic goes to 127.0.0.1 only, each run bounded by DURATION.
#
# Environment: DOSSIER_BIN (target/release/dossier), SHARED (../shared/data), DURATION seconds per
# endpoint and phase (10), THREADS (2), CONNECTIONS (8), ROUNDS of the second corpus (12), KEEP=1 keeps
# the work folder.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(realpath -m "${DOSSIER_BIN:-target/release/dossier}")
shared=${SHARED:-../shared/data}
duration=${DURATION:-10}
threads=${THREADS:-2}
connections=${CONNECTIONS:-8}
rounds=${ROUNDS:-12}
t17=$shared/timeline17
html=$shared/extraction/scrapinghub/html

if [ ! -x "$bin" ]; then
  echo "serve-bench: no binary at $bin: run \`cargo build --release -p dossier-cli\` first" >&2
  exit 1
fi
if ! compgen -G "$t17/*/InputDocs" >/dev/null; then
  echo "serve-bench: $t17 is not on this machine; skipping"
  exit 0
fi
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v jq >/dev/null || missing+=(jq)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "serve-bench: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

second=()
if compgen -G "$shared/corpora/wikinews/*.jsonl" >/dev/null; then
  second=("$shared"/corpora/wikinews/*.jsonl)
else
  second=(demo/corpus/*.jsonl)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/serve-bench.XXXXXX")
store=$work/store
server_pid=""
ingest_pid=""
cleanup() {
  if [ -n "$ingest_pid" ]; then kill -INT "$ingest_pid" 2>/dev/null || true; wait "$ingest_pid" 2>/dev/null || true; fi
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "serve-bench: work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

dossier() { "$bin" --data "$store" "$@"; }
articles() {
  local n
  n=$(dossier stats --json 2>/dev/null | jq -r .articles 2>/dev/null) || true
  echo "${n:-0}"
}

echo "== store: Timeline17 InputDocs + Scrapinghub HTML"
start=$SECONDS
inputs=("$t17"/*/InputDocs)
if [ -d "$html" ]; then inputs+=("$html"); fi
dossier ingest "${inputs[@]}" >"$work/base-ingest.log" 2>&1
grep -E '^(ingested|interrupted)' "$work/base-ingest.log" || tail -n 3 "$work/base-ingest.log"
base_articles=$(articles)
echo "$base_articles articles in $((SECONDS - start)) s; $(du -sh "$store" | cut -f1) on disk"

echo "== request lists"
dossier list --json -n 100000 >"$work/list.json"
jq -r '.[].id' "$work/list.json" >"$work/ids"
jq -r '.[].title' "$work/list.json" | tr -cs 'A-Za-z' '\n' | tr 'A-Z' 'a-z' | awk 'length >= 4' |
  sort -u | shuf -n 500 --random-source=<(yes) >"$work/words"
sed 's|^|/api/articles/|' "$work/ids" >"$work/api-article"
sed 's|^|/articles/|' "$work/ids" >"$work/article"
sed 's|^|/api/search?q=|' "$work/words" >"$work/api-search"
sed 's|^|/search?q=|' "$work/words" >"$work/search"
echo "$(wc -l <"$work/ids") article ids, $(wc -l <"$work/words") query words (title words of 4+ letters)"

"$bin" --data "$store" serve --port 0 --bind 127.0.0.1 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
base=""
for _ in $(seq 100); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/serve.out" || true)
  [ -n "$base" ] && break
  sleep 0.2
done
if [ -z "$base" ]; then
  echo "serve-bench: dossier serve printed no address: $(cat "$work/serve.err")" >&2
  exit 1
fi
echo "== load average before the runs: $(cut -d" " -f1-3 /proc/loadavg) (other work on the machine skews the figures)"
echo "== serving $base; wrk -t$threads -c$connections -d${duration}s per endpoint and phase"

endpoints=("api-search:/api/search?q=WORD" "search:/search?q=WORD" "api-article:/api/articles/ID" "article:/articles/ID")
results=()
bench() { # bench PHASE NAME LABEL SECONDS [report]
  local line
  line=$(BENCH_PATHS="$work/$2" wrk -t"$threads" -c"$connections" -d"$4s" --timeout 10s \
    -s eval/serve-bench.lua "$base" | grep '^BENCH ' || true)
  [ "${5:-}" = report ] || return 0
  if [ -z "$line" ]; then
    echo "serve-bench: wrk gave no result for $3" >&2
    exit 1
  fi
  local row
  row=$(awk -v phase="$1" -v label="$3" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "%-14s %-24s %9.1f %9.2f %9.2f %9d %7d\n", phase, label,
        v["requests"] / (v["duration_us"] / 1e6), v["p50_us"] / 1000, v["p99_us"] / 1000, v["requests"],
        v["connect"] + v["read"] + v["write"] + v["status"] + v["timeout"] }' <<<"$line")
  echo "$row"
  results+=("$row")
}
header=$(printf "%-14s %-24s %9s %9s %9s %9s %7s" phase endpoint "req/s" "p50 ms" "p99 ms" requests errors)

# Warm up (caches, the page cache of the index); not reported.
for e in "${endpoints[@]}"; do bench warm "${e%%:*}" "${e#*:}" 2; done

echo "$header"
for e in "${endpoints[@]}"; do bench idle "${e%%:*}" "${e#*:}" "$duration" report; done

# The concurrent ingest: one `dossier ingest` of ROUNDS copies of the second corpus, each round's texts
# and URLs changed so that every record is new content (and a near-copy of round 0). The runs start at
# its first write: before that it loads the store's entity resolver (see eval/README.md).
cat "${second[@]}" >"$work/round-0.jsonl"
for round in $(seq 0 $((rounds - 1))); do
  if [ "$round" = 0 ]; then
    cat "$work/round-0.jsonl"
  else
    sed -e "s/\"text\": \"/\"text\": \"(Update $round.) /" \
      -e "s/\"url\": \"\([^\"]*\)\"/\"url\": \"\1?update=$round\"/" "$work/round-0.jsonl"
  fi
done >"$work/second.jsonl"
echo "== concurrent ingest of $(wc -l <"$work/second.jsonl") records ($rounds round(s) of ${second[*]##*/})"
ingest_start=$(date +%s.%N)
"$bin" --data "$store" ingest --no-resume "$work/second.jsonl" >"$work/ingest.out" 2>"$work/ingest.err" &
ingest_pid=$!
while kill -0 "$ingest_pid" 2>/dev/null && [ "$(articles)" -le "$base_articles" ]; do sleep 0.5; done
write_start=$(date +%s.%N)
before=$(articles)
awk -v s="$ingest_start" -v e="$write_start" 'BEGIN { printf "its first write came after %.1f s\n", e - s }'
echo "$header"
for e in "${endpoints[@]}"; do bench "during ingest" "${e%%:*}" "${e#*:}" "$duration" report; done
write_end=$(date +%s.%N)
after=$(articles)
if kill -0 "$ingest_pid" 2>/dev/null; then
  covered="yes"
  kill -INT "$ingest_pid" 2>/dev/null || true
else
  covered="NO: it ended before the last run did; raise ROUNDS"
fi
wait "$ingest_pid" || true
ingest_pid=""
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "serve-bench: dossier serve died: $(cat "$work/serve.err")" >&2
  exit 1
fi

echo
echo "== summary ($(nproc) cores, load average now $(cut -d" " -f1-3 /proc/loadavg); store of $base_articles articles; wrk -t$threads -c$connections -d${duration}s)"
echo "$header"
printf '%s\n' "${results[@]}"
awk -v a="$before" -v b="$after" -v s="$write_start" -v e="$write_end" -v c="$covered" 'BEGIN {
  printf "concurrent ingest while measured: %d articles written in %.1f s (%.1f articles/s); ran throughout: %s\n",
    b - a, e - s, (b - a) / (e - s), c }'
if [ -s "$work/serve.err" ]; then
  echo "dossier serve stderr (first lines):"
  head -n 20 "$work/serve.err"
fi
