#!/usr/bin/env bash
# Load benchmark of the hot read paths on a release build.
#   bench/load.sh                      # SQLite, 64 connections, 10 s per page
#   DATABASE=postgres://postgres@127.0.0.1:5432/bench bench/load.sh
#   CONNECTIONS=128 DURATION=20 bench/load.sh
# Prints requests per second, latency percentiles and any error (an error or
# a 5xx is a lost request; the run fails if there is one).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-64}
SECONDS_PER_PAGE=${DURATION:-10}
PORT=${PORT:-18080}
cargo build --release -q -p maillage -p maillage-loadtest
work=$(mktemp -d)
DATABASE=${DATABASE:-sqlite://$work/bench.db}
MAILLAGE_LANG=en MAILLAGE_LOG=warn MAILLAGE_MAIL_DIR="$work/mail" target/release/maillage serve --demo \
  --bind "127.0.0.1:$PORT" --database "$DATABASE" > "$work/out.txt" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 200); do grep -q "listening" "$work/out.txt" 2>/dev/null && break; sleep 0.05; done
base="http://127.0.0.1:$PORT"
password=$(awk '/^demo login: staff@example.org/ {print $5}' "$work/out.txt")
if [ -z "$password" ]; then echo "the database must be empty (demo accounts needed)"; cat "$work/out.txt"; exit 1; fi
# Sign in once to measure an authenticated page.
jar="$work/jar"
curl -s -c "$jar" -b "$jar" -o /dev/null "$base/login"
csrf=$(awk '$6 == "mlg_csrf" {print $7}' "$jar")
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" \
  --data-urlencode "email=staff@example.org" --data-urlencode "password=$password" "$base/login"
session=$(awk '$6 == "mlg_session" {print $7}' "$jar")
echo "Maillage $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, database ${DATABASE%%:*}, $CONNECTIONS connections, ${SECONDS_PER_PAGE}s per page"
run() {
  local label=$1; shift
  printf '\n## %s\n' "$label"
  target/release/maillage-load --connections "$CONNECTIONS" --duration "$SECONDS_PER_PAGE" "$@"
}
run "public home page (GET /)" --url "$base/"
run "login form (GET /login)" --url "$base/login"
run "health check (GET /healthz, one database round trip)" --url "$base/healthz"
run "team dashboard, signed in (GET /team: session lookup + page)" --url "$base/team" --header "Cookie: mlg_session=$session"
run "public directory search (GET /annuaire?q=mediatheque)" --url "$base/annuaire?q=mediatheque"
run "commune lookup API (GET /api/v1/communes?q=pont de claix)" --url "$base/api/v1/communes?q=pont%20de%20claix"
run "team organisation list with filters, signed in" --url "$base/team/organisations?kind=library&epci=200040715" --header "Cookie: mlg_session=$session"
printf '\nserver RSS after the runs: %s\n' "$(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"
