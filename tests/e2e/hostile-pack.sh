#!/usr/bin/env bash
# hostile-pack.sh KIND REGEX KIOSK CONFIG GOOD_PACK WORK_DIR
#
# A copy of GOOD_PACK's manifest made hostile in one way (KIND), generated here rather than
# committed (the deep ones are megabytes):
#   no-languages   languages = []   (passed the checker, then SIGFPE on every start)
#   deep-keys      50,000 levels of dotted keys in pack.toml   (stack overflow in toml++)
#   deep-header    a 50,000-level [a.a…] header in pack.toml   (the same)
# Passes when
#   1. alone, on a fresh data dir, the kiosk exits non-zero, not by a signal, with REGEX (file,
#      line and reason) on stderr; and
#   2. once GOOD_PACK has run, the kiosk given the hostile pack runs GOOD_PACK instead (the last
#      good pack), saying so and why on stderr.
set -u
kind=$1 regex=$2 kiosk=$3 config=$4 good=$5 work=$6
rm -rf "$work" && mkdir -p "$work/packs/bad" || exit 1
# The copy keeps its relative strings_dir / exhibits_dir ("../../catalog") working.
ln -s "$good/../../catalog" "$work/catalog" && ln -s "$good/../../exhibits" "$work/exhibits" || exit 1
manifest=$work/packs/bad/pack.toml
deep=$(awk 'BEGIN { s = "a"; for (i = 1; i < 50000; i++) s = s ".a"; print s }')
case $kind in
  no-languages) sed 's/^languages = .*/languages = []/' "$good/pack.toml" >"$manifest" ;;
  deep-keys) { cat "$good/pack.toml"; echo "$deep = 1"; } >"$manifest" ;;
  deep-header) { cat "$good/pack.toml"; echo "[$deep]"; } >"$manifest" ;;
  *) echo "unknown kind $kind"; exit 2 ;;
esac

# 1. Refused alone.
err=$("$kiosk" --config "$config" --data-dir "$work/data-alone" --windowed 800x600 \
      --pack "$work/packs/bad" --screenshot "$work/never.png" 2>&1 >/dev/null); rc=$?
if (( rc == 0 )); then echo "expected a refusal, got exit 0"; exit 1; fi
if (( rc > 128 )); then echo "crashed with signal $((rc - 128)): $err"; exit 1; fi
if ! grep -Eq -- "$regex" <<<"$err"; then echo "stderr did not match /$regex/: $err"; exit 1; fi
echo "refused alone as expected (exit $rc): $err"

# 2. The last good pack runs instead.
"$kiosk" --config "$config" --data-dir "$work/data" --windowed 800x600 --pack "$good" \
  --screenshot "$work/good.png" >/dev/null || { echo "the good pack did not run"; exit 1; }
err=$("$kiosk" --config "$config" --data-dir "$work/data" --windowed 800x600 \
      --pack "$work/packs/bad" --screenshot "$work/fallback.png" 2>&1 >/dev/null); rc=$?
if (( rc != 0 )); then echo "expected the last good pack to run, got exit $rc: $err"; exit 1; fi
if ! grep -q 'running the last good pack instead' <<<"$err"; then echo "no fallback notice: $err"; exit 1; fi
if ! grep -Eq -- "$regex" <<<"$err"; then echo "fallback notice did not match /$regex/: $err"; exit 1; fi
[[ -s $work/fallback.png ]] || { echo "no screenshot of the last good pack"; exit 1; }
echo "fell back to the last good pack as expected"
