#!/bin/sh
# Scheduled backups (issue 14 item 5): with [backup] folder set, an enrolled kiosk idling on
# Attract writes one encrypted backup there when none is recent, and not another while the last
# is younger than every_hours; with the folder absent (stick out) it writes nothing.
# usage: backup-scheduled.sh DIR KIOSK HQ ROOT SEEDER
set -eu
dir=$1 kiosk=$2 hq=$3 root=$4 seed=$5
fail() { echo "backup-scheduled: $*" >&2; exit 1; }
rm -rf "$dir"
mkdir -p "$dir/stick"
cat >"$dir/kiosk.toml" <<TOML
[kiosk]
pack = "$root/content/packs/demo"
forms_dir = "$root/content/forms"
fullscreen = false
[backup]
folder = "$dir/stick"
every_hours = 1
TOML
k() { SDL_VIDEODRIVER=offscreen LIBGL_ALWAYS_SOFTWARE=1 "$kiosk" --config "$dir/kiosk.toml" --data-dir "$dir/data" "$@"; }
printf '1234\n' | k --add-staff Supervisor --role supervisor >/dev/null
"$seed" "$dir/data" >/dev/null
"$hq" init "$dir/hq" >/dev/null
"$hq" --library "$dir/hq" enroll --device "Scheduled" --tour cambodia --out "$dir/enroll.toml" >/dev/null
k --enroll "$dir/enroll.toml" >/dev/null
printf 'wait 70000\nexpect-screen attract\n' >"$dir/idle.script"
k --windowed 1280x800 --script "$dir/idle.script" >/dev/null 2>"$dir/run1.txt" || fail "idle run: $(cat "$dir/run1.txt")"
[ "$(ls "$dir/stick" | grep -c '\.rka$')" = 1 ] || fail "expected one backup after idling, found: $(ls "$dir/stick")"
"$hq" --library "$dir/hq" backup open "$dir/stick"/*.rka --out "$dir/opened.sqlite3" >/dev/null || fail "hq cannot open it"
# Again at once: the last backup is younger than an hour, so none.
k --windowed 1280x800 --script "$dir/idle.script" >/dev/null 2>&1 || fail "second idle run"
[ "$(ls "$dir/stick" | grep -c '\.rka$')" = 1 ] || fail "a second backup within the hour: $(ls "$dir/stick")"
# The stick pulled out: nothing written anywhere, the kiosk runs on.
rm -rf "$dir/stick" "$dir/data/last-backup.txt"
k --windowed 1280x800 --script "$dir/idle.script" >/dev/null 2>&1 || fail "run without the stick"
[ ! -e "$dir/stick" ] || fail "the kiosk created the missing backup folder"
echo "backup-scheduled: ok"
