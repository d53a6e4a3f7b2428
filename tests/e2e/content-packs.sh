#!/bin/sh
# content-packs.sh DIR KIOSK HQ SCRIPT WxH [THEME] — e2e fixture and run for the Content screen
# (issue 16).
#   1. A copy of the demo content (DIR/src) is the kiosk's configured pack folder; the kiosk runs
#      once on it (it copies it into its data directory) and is enrolled with a headquarters
#      library (hq init, hq enroll, kiosk --enroll).
#   2. Headquarters corrects an exhibit and builds a signed pack file onto the "stick"
#      (DIR/data/import, which the kiosk offers like a mounted USB stick); another headquarters
#      signs one too (refused on the screen).
#   3. The configured folder is then edited into a broken state (default_language = "xx"):
#      the kiosk must still start, on its last good copy, and say why.
#   4. SCRIPT walks the Content screen; afterwards the data directory holds the pointer's two
#      whole copies and nothing staged.
# THEME (issue 13): headquarters' corrected pack also carries `theme = "THEME"` (the kiosk
# starts on the demo pack's default theme), so the install changes the tour's accent.
set -eu
dir=$1 kiosk=$2 hq=$3 script=$4 size=$5 theme=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
src=$here/../../content
rm -rf "$dir/data" "$dir/src" "$dir/hq" "$dir/other-hq" "$dir/enroll.toml"
mkdir -p "$dir/src/content/packs"
cp -r "$src/packs/demo" "$dir/src/content/packs/"
cp -r "$src/catalog" "$src/exhibits" "$src/forms" "$src/keyboards" "$dir/src/content/"
pack=$dir/src/content/packs/demo
config=$here/../../config/demo.toml
run() { "$kiosk" --config "$config" --pack "$pack" --data-dir "$dir/data" "$@"; }
printf '1234\n' | run --add-staff Supervisor --role supervisor >/dev/null
run --windowed "$size" --screenshot "$dir/first.png"
"$hq" init "$dir/hq" >/dev/null
"$hq" --library "$dir/hq" enroll --device "Demo entrance" --tour cambodia --out "$dir/enroll.toml" >/dev/null
run --enroll "$dir/enroll.toml" >/dev/null
mkdir -p "$dir/data/import"
printf '\n# Corrected at headquarters.\n' >>"$dir/src/content/exhibits/magnets/en.toml"
if [ -n "$theme" ]; then sed -i "s/^digits = .*/&\ntheme = \"$theme\"/" "$pack/pack.toml"; fi
"$hq" --library "$dir/hq" pack build "$pack" --tour cambodia --out "$dir/data/import/demo-2.rkp" >/dev/null
"$hq" init "$dir/other-hq" >/dev/null
"$hq" --library "$dir/other-hq" pack build "$pack" --out "$dir/data/import/other-hq.rkp" >/dev/null
sed -i 's/^default_language = .*/default_language = "xx"/' "$pack/pack.toml"
run --windowed "$size" --script "$script"
ls "$dir/data/packs" | grep -c '^store-' | grep -qx 2 || { echo "content-packs: expected two kept copies" >&2; exit 1; }
if ls "$dir/data/packs" | grep -q '^staging-'; then echo "content-packs: a staging folder was left" >&2; exit 1; fi
