#!/usr/bin/env bash
# Load benchmark of the public programme at national scale, on a release build.
#   bench/programme.sh                        # SQLite file in a temporary directory
#   DATABASE=postgres bench/programme.sh      # a fresh PostgreSQL database (see PG_* below)
#   DATABASE=postgres://… bench/programme.sh  # an existing database (empty, or holding the programme)
#   CONNECTIONS=128 DURATION=20 bench/programme.sh
#
# 1. maillage-programme-gen fills the database through the storage functions:
#    project "national", 10,000 public activities, 30,000 sessions over ten
#    days of October in 3,000 communes (the most populated), their venues,
#    organisers and speakers.
# 2. `maillage serve` (release) answers; maillage-load keeps CONNECTIONS
#    keep-alive connections busy for DURATION seconds on each case:
#    the programme page filtered by commune (rotating over the communes), by
#    text (rotating over words, with and without accents, prefixes), not
#    filtered, and the activities API filtered by commune.
# 3. Each case runs twice:
#    - "cached": the rotating URLs were requested once before (warm-up), so
#      anonymous visitors get them from the page cache (crates/web/src/cache.rs);
#    - "uncached": every request carries a distinct, otherwise ignored
#      parameter (`&_=N`, as a cache-busting client sends), so every request
#      misses the cache and renders the page from the database.
# Prints requests per second, latency percentiles, errors (the run fails on
# any error or 5xx) and the server's resident memory sampled during each run.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10}
PORT=${PORT:-18081}
SLUG=${SLUG:-national}
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432}
PG_DATABASE=${PG_DATABASE:-maillage_bench_programme}
bin=${CARGO_TARGET_DIR:-target}/release
cargo build --release -q -p maillage -p maillage-loadtest
work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
case "${DATABASE:-sqlite}" in
  sqlite) url="sqlite://$work/programme.db" ;;
  postgres)
    psql "$PG_ADMIN/postgres" -qc "DROP DATABASE IF EXISTS $PG_DATABASE" -c "CREATE DATABASE $PG_DATABASE"
    url="$PG_ADMIN/$PG_DATABASE"
    ;;
  *) url=$DATABASE ;;
esac

echo "Maillage $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, database ${url%%:*}, $CONNECTIONS connections, ${DURATION}s per run, $(date -u +%FT%TZ)"
printf '\n## generation\n'
"$bin/maillage-programme-gen" "$url" --slug "$SLUG" --communes-out "$work/communes.txt"

MAILLAGE_LANG=en MAILLAGE_LOG=warn MAILLAGE_MAIL_DIR="$work/mail" "$bin/maillage" serve \
  --bind "127.0.0.1:$PORT" --database "$url" > "$work/out.txt" 2>&1 &
server=$!
for _ in $(seq 1 400); do grep -q "listening" "$work/out.txt" 2>/dev/null && break; sleep 0.05; done
grep -q "listening" "$work/out.txt" || { cat "$work/out.txt"; exit 1; }
base="http://127.0.0.1:$PORT"
printf 'server RSS at start: %s\n' "$(awk '/VmRSS/ {print $2, $3}' "/proc/$server/status")"

# URL lists: pages by commune, the same through the API, text searches.
awk -v b="$base" -v s="$SLUG" '{print b "/p/" s "?commune=" $1}' "$work/communes.txt" > "$work/commune.urls"
awk -v b="$base" -v s="$SLUG" '{print b "/api/v1/activities?project=" s "&commune=" $1}' "$work/communes.txt" > "$work/api.urls"
# Whole words, prefixes, with and without accents, several words.
words=(electricite "%C3%A9lectricit%C3%A9" "%C3%A9nergie" energie plan "plan%C3%A9tarium" astro volcan
  cerveau climat robot "atelier+robotique" "energie+solaire" "marie+curie" abeilles fossiles
  "chimie+cuisine" laser grenoble "atelier+lyon" exposition "conf%C3%A9rence" sommeil dinosaures
  "intelligence+artificielle" "fus%C3%A9es" "%C3%A9toiles" "vaccins" "scol" "familles" "gratuit")
for w in "${words[@]}"; do echo "$base/p/$SLUG?q=$w"; done > "$work/text.urls"
echo "$base/p/$SLUG" > "$work/all.urls"
# The same URLs with a distinct parameter on every request: cache misses.
for f in commune api text all; do
  awk '{ if (index($0, "?")) print $0 "&_={n}"; else print $0 "?_={n}" }' "$work/$f.urls" > "$work/$f.nocache.urls"
done

load() {
  "$bin/maillage-load" --connections "$CONNECTIONS" --duration "$DURATION" --pid "$server" "$@"
}
run() {
  local label=$1 list=$2
  printf '\n## %s — cached (%s URLs in turn)\n' "$label" "$(wc -l < "$work/$list.urls")"
  # Warm-up: every URL once, so the cache holds them all.
  "$bin/maillage-load" --connections 8 --requests "$(wc -l < "$work/$list.urls")" \
    --urls-file "$work/$list.urls" --json > /dev/null
  load --urls-file "$work/$list.urls"
  printf '\n## %s — uncached (every request a cache miss)\n' "$label"
  load --urls-file "$work/$list.nocache.urls"
}
# Warm-up of the server and the database's caches.
"$bin/maillage-load" --connections 8 --duration 3 --urls-file "$work/commune.nocache.urls" --json > /dev/null
"$bin/maillage-load" --connections 8 --duration 2 --urls-file "$work/text.nocache.urls" --json > /dev/null

run "programme filtered by commune (GET /p/$SLUG?commune=INSEE)" commune
run "programme filtered by text (GET /p/$SLUG?q=WORD)" text
run "programme, no filter (GET /p/$SLUG)" all
run "activities API filtered by commune (GET /api/v1/activities?project=$SLUG&commune=INSEE)" api
printf '\nserver memory after the runs: %s, peak (VmHWM) %s\n' \
  "$(awk '/VmRSS/ {print $2, $3}' "/proc/$server/status")" "$(awk '/VmHWM/ {print $2, $3}' "/proc/$server/status")"
