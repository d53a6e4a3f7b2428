#!/bin/bash
# backup_bench.sh BUILD_DIR [PEOPLE] [ROUNDS] — issue 14 item 5: `kiosk --backup DIR` (SQLite's
# online backup, integrity_check of the copy, sealed to headquarters, written durably, read back
# and compared) on a store of PEOPLE people (core_bench builds it), against the baseline in the
# same run: sqlite3's own `.backup` of the same store plus `sync -f` (the bare copy, durable).
# Rounds alternate the two so both see the same machine load. Prints medians and the ratio.
set -euo pipefail
build=$1 people=${2:-10000} rounds=${3:-5}
kiosk=$build/kiosk/app/kiosk hq=$build/sync/hq core_bench=$build/kiosk/core/core_bench
for b in "$kiosk" "$hq" "$core_bench"; do [ -x "$b" ] || { echo "backup_bench: missing $b" >&2; exit 1; }; done
command -v sqlite3 >/dev/null || { echo "backup_bench: sqlite3 is not installed" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
config=$here/../config/demo.toml
work=$(mktemp -d "${TMPDIR:-/tmp}/backup-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$core_bench" --dir "$work/data" --people "$people" --saves 1 --typed 1 >/dev/null
"$hq" init "$work/hq" >/dev/null
"$hq" --library "$work/hq" enroll --device "Bench" --tour cambodia --out "$work/enroll.toml" >/dev/null
"$kiosk" --config "$config" --data-dir "$work/data" --enroll "$work/enroll.toml" >/dev/null
store=$work/data/kiosk.sqlite3
bytes=$(stat -c %s "$store")
ms() { date +%s%N; }
kiosk_ms=() base_ms=()
for ((i = 0; i < rounds; i++)); do
  rm -rf "$work/stick" "$work/plain" && mkdir -p "$work/stick" "$work/plain"
  t0=$(ms); "$kiosk" --config "$config" --data-dir "$work/data" --backup "$work/stick" >/dev/null; t1=$(ms)
  sqlite3 "$store" ".backup '$work/plain/copy.sqlite3'" && sync -f "$work/plain/copy.sqlite3"; t2=$(ms)
  kiosk_ms+=($(((t1 - t0) / 1000000))) base_ms+=($(((t2 - t1) / 1000000)))
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
k=$(median "${kiosk_ms[@]}") b=$(median "${base_ms[@]}")
rka=$(ls "$work/stick"/*.rka)
echo "people=$people store_bytes=$bytes backup_bytes=$(stat -c %s "$rka") rounds=$rounds"
echo "kiosk_backup_median_ms=$k (runs: ${kiosk_ms[*]})"
echo "baseline_sqlite3_backup_sync_median_ms=$b (runs: ${base_ms[*]})"
awk -v k="$k" -v b="$b" 'BEGIN { printf "ratio=%.2fx\n", (b > 0 ? k / b : 0) }'
