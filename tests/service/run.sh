#!/usr/bin/env bash
# run.sh CASE KIOSK SEED CONFIG SCRATCH — the kiosk as a service (issue 14, item 3), headless:
#   no_personal_data   register a person, then grep the log files for the name, birth date
#   sigterm_script     SIGTERM a kiosk in the middle of a long script: exit 0, "stopped" logged,
#                      the store intact with the person registered before
#   sigint_live        SIGINT an idle live kiosk (no script): exit 0 within the idle wake-up
#   kiosk_mode         close requests and Escape do not end a fullscreen kiosk; a windowed one
#                      ends on a close request
#   log_rotation       a tiny [log] max_kib: kiosk.log moves to kiosk.log.1, neither over the cap
#   sd_notify          a stand-in for systemd's NOTIFY_SOCKET: READY=1 once, WATCHDOG=1 at least
#                      every 3 s from an untouched (idle) kiosk, STOPPING=1 on SIGTERM
set -euo pipefail
case=$1 kiosk=$2 seed=$3 config=$4 scratch=$5
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL ($case): $*" >&2; [[ -f $data/kiosk.log ]] && sed 's/^/  log: /' "$data/kiosk.log" >&2; exit 1; }
rm -rf "$scratch"; mkdir -p "$scratch"
data=$scratch/data
export SDL_VIDEODRIVER=offscreen LIBGL_ALWAYS_SOFTWARE=1

staff_store() {  # a supervisor (PIN 1234), one current event and six demo people
  printf '1234\n' | "$kiosk" --config "$config" --data-dir "$data" --add-staff Supervisor --role supervisor >/dev/null
  "$seed" "$data" >/dev/null
}
count_people() { sqlite3 "$data/kiosk.sqlite3" "SELECT count(*) FROM participant"; }
wait_for_log() {  # wait_for_log REGEX SECONDS PID
  local deadline=$((SECONDS + $2))
  until grep -Eq -- "$1" "$data/kiosk.log" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || fail "the kiosk ended before logging /$1/"
    ((SECONDS < deadline)) || fail "no /$1/ in the log after $2 s"
    sleep 0.2
  done
}
stop_and_check() {  # stop_and_check PID SIGNAL: the kiosk must leave by itself, exit 0, quickly
  local pid=$1 sig=$2 start=$SECONDS rc=0
  kill "-$sig" "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fail "still running 10 s after SIG$sig"; fi
  wait "$pid" || rc=$?
  ((rc == 0)) || fail "exit $rc after SIG$sig (expected 0)"
  grep -Eq " INFO stopped by SIG$sig, exit 0$" "$data/kiosk.log" || fail "no 'stopped by SIG$sig' line"
  echo "SIG$sig: exit 0 after $((SECONDS - start)) s"
}

case $case in
  no_personal_data)
    staff_store
    cp "$here/register-adult.script" "$scratch/"
    "$kiosk" --config "$config" --data-dir "$data" --windowed 1920x1080 \
      --script "$scratch/register-adult.script" >"$scratch/out.txt" 2>&1 || { cat "$scratch/out.txt"; fail "script"; }
    [[ $(sqlite3 "$data/kiosk.sqlite3" "SELECT count(*) FROM participant WHERE given_name_latin='Quillonia'") == 1 ]] ||
      fail "the person is not in the store, so the grep below would prove nothing"
    grep -q ' INFO registration saved$' "$data/kiosk.log" || fail "no 'registration saved' line"
    grep -q ' INFO started: kiosk ' "$data/kiosk.log" || fail "no 'started' line"
    grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z (INFO|WARN|ERROR) ' \
      "$data/kiosk.log" || fail "lines lack the UTC time and level"
    if grep -Eq -v '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z (INFO|WARN|ERROR) ' "$data/kiosk.log"; then
      fail "a line without time and level"
    fi
    for secret in Quillonia Vantershoek 1985-03-02 1985; do
      if grep -ri -- "$secret" "$data"/kiosk.log*; then fail "the log holds personal data: $secret"; fi
    done
    echo "log: $(wc -l <"$data/kiosk.log") lines, none with the person's name or birth date"
    ;;
  sigterm_script)
    staff_store
    before=$(count_people)
    { cat "$here/register-adult.script"
      echo "wait-for @never.drawn 120000"   # real time: only SIGTERM ends this
      echo "expect-screen never-reached"; } >"$scratch/long.script"
    "$kiosk" --config "$config" --data-dir "$data" --windowed 1280x800 --script "$scratch/long.script" \
      >"$scratch/out.txt" 2>&1 &
    pid=$!
    wait_for_log ' INFO registration saved$' 90 "$pid"
    sleep 1  # inside the wait-for now
    stop_and_check "$pid" TERM
    grep -Eq ' INFO script .* ended after [0-9]+ of [0-9]+ commands \(SIGTERM\)$' "$data/kiosk.log" ||
      fail "no line saying where the script was stopped"
    [[ $(sqlite3 "$data/kiosk.sqlite3" "PRAGMA quick_check") == ok ]] || fail "store quick_check"
    [[ $(count_people) == $((before + 1)) ]] || fail "expected $((before + 1)) people, got $(count_people)"
    ;;
  sigint_live)
    "$kiosk" --config "$config" --data-dir "$data" --windowed 800x600 >"$scratch/out.txt" 2>&1 &
    pid=$!
    wait_for_log ' INFO started: kiosk ' 60 "$pid"
    sleep 3  # idle on Attract: blocked in the idle wait
    stop_and_check "$pid" INT
    [[ $(sqlite3 "$data/kiosk.sqlite3" "PRAGMA quick_check") == ok ]] || fail "store quick_check"
    ;;
  kiosk_mode)
    cp "$here/kiosk-mode.script" "$here/windowed-close.script" "$scratch/"
    "$kiosk" --config "$config" --data-dir "$data" --fullscreen --script "$scratch/kiosk-mode.script" ||
      fail "a kiosk-mode kiosk did not run its script to the end"
    [[ $(grep -c ' INFO window close request ignored (kiosk mode)$' "$data/kiosk.log") == 2 ]] ||
      fail "expected two ignored close requests in the log"
    "$kiosk" --config "$config" --data-dir "$data" --windowed 800x600 \
      --script "$scratch/windowed-close.script" || fail "a windowed kiosk failed on a close request"
    grep -Eq ' INFO script .* ended after 2 of 3 commands \(window closed\)$' "$data/kiosk.log" ||
      fail "the windowed kiosk did not end on the close request"
    ;;
  log_rotation)
    src=$(cd "$(dirname "$config")/.." && pwd)
    printf '[kiosk]\npack = "%s"\nforms_dir = "%s"\nfullscreen = false\n[log]\nmax_kib = 64\n' \
      "$src/content/packs/demo" "$src/content/forms" >"$scratch/kiosk.toml"
    # A log just under the 64 KiB cap, as a long-running kiosk leaves it (139-byte lines).
    mkdir -p "$data"
    line="2026-01-01T00:00:00.000Z INFO padding $(printf '%0100d' 0)"
    for _ in $(seq 470); do echo "$line"; done >"$data/kiosk.log"
    for _ in 1 2 3; do
      "$kiosk" --config "$scratch/kiosk.toml" --data-dir "$data" --windowed 800x600 \
        --screenshot "$scratch/shot.png" >/dev/null 2>&1 || fail "kiosk run"
    done
    [[ -f $data/kiosk.log.1 ]] || fail "kiosk.log was not rotated to kiosk.log.1"
    for f in "$data/kiosk.log" "$data/kiosk.log.1"; do
      size=$(stat -c %s "$f")
      ((size <= 64 * 1024)) || fail "$f is $size bytes, over the 64 KiB cap"
    done
    [[ $(grep -c ' INFO padding ' "$data/kiosk.log.1") == 470 ]] || fail "kiosk.log.1 is not the older log, whole"
    if grep -q ' INFO padding ' "$data/kiosk.log"; then fail "the new kiosk.log still holds old lines"; fi
    [[ $(grep -c ' INFO started: kiosk ' "$data/kiosk.log" "$data/kiosk.log.1" | awk -F: '{n += $2} END {print n}') == 3 ]] ||
      fail "three runs should have logged three 'started' lines across both files"
    ;;
  sd_notify)
    sock=$scratch/notify.sock msgs=$scratch/notify.txt
    python3 "$here/notify_listener.py" "$sock" "$msgs" 60 &
    listener=$!
    trap 'kill $listener 2>/dev/null || true' EXIT
    for _ in $(seq 50); do grep -q listening "$msgs" 2>/dev/null && break; sleep 0.1; done
    NOTIFY_SOCKET=$sock WATCHDOG_USEC=30000000 "$kiosk" --config "$config" --data-dir "$data" \
      --windowed 800x600 >"$scratch/out.txt" 2>&1 &
    pid=$!
    wait_for_log ' INFO started: kiosk ' 60 "$pid"
    sleep 8  # untouched on Attract: no frames, only idle wake-ups
    stop_and_check "$pid" TERM
    sleep 0.5
    kill $listener 2>/dev/null || true
    [[ $(grep -c ' READY=1$' "$msgs") == 1 ]] || fail "expected READY=1 once: $(cat "$msgs")"
    [[ $(grep -c ' STOPPING=1$' "$msgs") == 1 ]] || fail "expected STOPPING=1 once: $(cat "$msgs")"
    # The idle heartbeat: in the 8 s without input, no gap between WATCHDOG=1 over 3 s, and some.
    awk '/ WATCHDOG=1$/ { if (last != "" && $1 - last > 3.0) { print "gap " $1 - last; bad = 1 } last = $1; n++ }
         END { if (n < 4) { print "only " n " WATCHDOG=1"; bad = 1 } exit bad }' "$msgs" ||
      fail "the watchdog was not petted while idle: $(cat "$msgs")"
    echo "notify: $(grep -c WATCHDOG=1 "$msgs") WATCHDOG=1, READY=1 and STOPPING=1 once"
    ;;
  *) echo "unknown case $case" >&2; exit 2 ;;
esac
echo "ok: $case"
