#!/bin/bash
# sync-send-now.sh DIR KIOSK HQ SEED_PEOPLE CONFIG SCRIPT WxH — the Sync screen's "Send now"
# against the real headquarters: `hq serve` on a loopback port of its own (tried until one is
# free), a kiosk enrolled with that address (fixtures/enroll-kiosk.sh), then the harness SCRIPT.
# Afterwards headquarters must hold the six demo people exactly once. The server is stopped
# (SIGTERM to the one process this script started) however the script ends.
set -eu
dir=$1 kiosk=$2 hq=$3 seed=$4 config=$5 script=$6 size=$7
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$dir/data" "$dir/hq-library"
printf '1234\n' | "$kiosk" --config "$config" --data-dir "$dir/data" --add-staff Supervisor --role supervisor >/dev/null
"$hq" init "$dir/hq-library" >/dev/null
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true' EXIT
for attempt in 1 2 3 4 5 6 7 8; do
  port=$(( 20000 + ($$ * 13 + attempt * 977) % 30000 ))
  "$hq" --library "$dir/hq-library" serve --listen "127.0.0.1:$port" >"$dir/hq.log" 2>&1 &
  server=$!
  for _ in $(seq 50); do
    grep -q "listening on" "$dir/hq.log" && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  grep -q "listening on" "$dir/hq.log" && break
  wait "$server" 2>/dev/null || true
  server=
done
[ -n "$server" ] || { echo "sync-send-now: hq serve found no free port" >&2; exit 1; }
# The kiosk: demo people, enrolled with the serving library and its address.
"$seed" "$dir/data" >/dev/null
"$hq" --library "$dir/hq-library" enroll --device "Koh Pich entrance" --tour cambodia \
  --out "$dir/enroll.toml" --url "http://127.0.0.1:$port" >/dev/null
"$kiosk" --config "$config" --data-dir "$dir/data" --enroll "$dir/enroll.toml" >/dev/null
"$kiosk" --config "$config" --data-dir "$dir/data" --windowed "$size" --script "$script"
persons=$("$hq" --library "$dir/hq-library" persons --format csv | tail -n +2 | wc -l)
[ "$persons" -eq 6 ] || { echo "sync-send-now: headquarters holds $persons people, expected 6" >&2; exit 1; }
