#!/usr/bin/env bash
# Booking throughput through the public API, on a release build.
#   bench/bookings.sh                        # SQLite file in a temporary directory
#   DATABASE=postgres bench/bookings.sh      # a fresh PostgreSQL database (see PG_* below)
#   CONNECTIONS=128 DURATION=20 bench/bookings.sh
#
# 1. maillage-booking-setup creates, through the storage functions, one
#    published project with SESSIONS sessions of CAPACITY places ("spread",
#    PER_ACTIVITY sessions an activity, as at a festival) and one session of
#    STORM_CAPACITY places ("storm"), individual seats, waiting list on.
# 2. `maillage serve` (release, rate limit off) answers
#    POST /api/v1/sessions/{id}/bookings with {"name", "email", "seats"}:
#    each booking is a write transaction (session lock, counts, insert, the
#    booker's e-mail queued in the outbox; the mail worker writes .eml files
#    meanwhile).
#    a. spread: CONNECTIONS connections for DURATION seconds, request n on
#       session n mod SESSIONS (2 seats each): bookings per second, latency;
#    b. storm: STORM_REQUESTS bookings of 1 seat on the storm session by
#       CONNECTIONS connections at once; then GET /api/v1/sessions/{id} must
#       show exactly STORM_CAPACITY booked and the rest waitlisted.
# Prints requests per second, latency percentiles and answers by status; the
# run fails on any error, any 5xx, or a storm that over- or under-books.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10}
PORT=${PORT:-18082}
SESSIONS=${SESSIONS:-1000}
PER_ACTIVITY=${PER_ACTIVITY:-4}
CAPACITY=${CAPACITY:-10000}
STORM_CAPACITY=${STORM_CAPACITY:-50}
STORM_REQUESTS=${STORM_REQUESTS:-1000}
PG_ADMIN=${PG_ADMIN:-postgres://postgres@127.0.0.1:5432}
PG_DATABASE=${PG_DATABASE:-maillage_bench_bookings}
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
  sqlite) url="sqlite://$work/bookings.db" ;;
  postgres)
    psql "$PG_ADMIN/postgres" -qc "DROP DATABASE IF EXISTS $PG_DATABASE" -c "CREATE DATABASE $PG_DATABASE"
    url="$PG_ADMIN/$PG_DATABASE"
    ;;
  *) url=$DATABASE ;;
esac

echo "Maillage $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, database ${url%%:*}, $CONNECTIONS connections, ${DURATION}s, $(date -u +%FT%TZ)"
printf '\n## setup\n'
"$bin/maillage-booking-setup" "$url" --sessions "$SESSIONS" --per-activity "$PER_ACTIVITY" --capacity "$CAPACITY" \
  --storm-capacity "$STORM_CAPACITY" --spread-out "$work/spread.txt" --storm-out "$work/storm.txt"

MAILLAGE_LANG=en MAILLAGE_RATE_LIMIT=off MAILLAGE_LOG=warn MAILLAGE_MAIL_DIR="$work/mail" "$bin/maillage" serve \
  --bind "127.0.0.1:$PORT" --database "$url" > "$work/out.txt" 2>&1 &
server=$!
for _ in $(seq 1 400); do grep -q "listening" "$work/out.txt" 2>/dev/null && break; sleep 0.05; done
grep -q "listening" "$work/out.txt" || { cat "$work/out.txt"; exit 1; }
base="http://127.0.0.1:$PORT"
awk -v b="$base" '{print b "/api/v1/sessions/" $1 "/bookings"}' "$work/spread.txt" > "$work/spread.urls"
storm=$(head -n1 "$work/storm.txt")

load() {
  "$bin/maillage-load" --connections "$CONNECTIONS" --pid "$server" "$@"
}
# Warm-up (bookings too, on the spread sessions).
"$bin/maillage-load" --connections 8 --duration 2 --urls-file "$work/spread.urls" \
  --post-json '{"name":"Camille Essai","email":"warmup-{n}@example.org","seats":2}' --json > /dev/null

printf '\n## a. spread: POST /api/v1/sessions/{id}/bookings over %s sessions, 2 seats each, %ss\n' "$SESSIONS" "$DURATION"
load --duration "$DURATION" --urls-file "$work/spread.urls" \
  --post-json '{"name":"Camille Essai","email":"spread-{n}@example.org","seats":2}'

printf '\n## b. storm: %s bookings of 1 seat on one session of %s places, %s connections at once\n' \
  "$STORM_REQUESTS" "$STORM_CAPACITY" "$CONNECTIONS"
load --requests "$STORM_REQUESTS" --url "$base/api/v1/sessions/$storm/bookings" \
  --post-json '{"name":"Dominique Tempête","email":"storm-{n}@example.org","seats":1}' | tee "$work/storm.out"
figures=$(curl -sf "$base/api/v1/sessions/$storm")
booked=$(jq -r .booked <<< "$figures")
waitlisted=$(jq -r .waitlisted <<< "$figures")
entries=$(jq -r .booking.waitlisted_entries <<< "$figures")
available=$(jq -r .available <<< "$figures")
printf '\nGET /api/v1/sessions/%s: booked %s of %s, available %s, waitlisted %s (%s entries)\n' \
  "$storm" "$booked" "$STORM_CAPACITY" "$available" "$waitlisted" "$entries"
if [ "$booked" -eq "$STORM_CAPACITY" ] && [ "$waitlisted" -eq $((STORM_REQUESTS - STORM_CAPACITY)) ]; then
  echo "storm: OK, exactly $STORM_CAPACITY confirmed and $((STORM_REQUESTS - STORM_CAPACITY)) on the waiting list"
else
  echo "storm: WRONG, expected $STORM_CAPACITY booked and $((STORM_REQUESTS - STORM_CAPACITY)) waitlisted"
  exit 1
fi
printf '\nserver memory after the runs: %s, peak (VmHWM) %s\n' \
  "$(awk '/VmRSS/ {print $2, $3}' "/proc/$server/status")" "$(awk '/VmHWM/ {print $2, $3}' "/proc/$server/status")"
