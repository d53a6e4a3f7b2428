#!/bin/sh
# The layout sweep (issue 13, TESTING.md): the kiosk walks every visitor and staff screen with the
# layout audit on (layout-sweep.script.in), for languages x window sizes x text scales.
#
#   layout-sweep.sh KIOSK SEEDER CONFIG WORKDIR LANG WxH normal|large    one combination
#   layout-sweep.sh KIOSK SEEDER CONFIG WORKDIR --all [JOBS]             the full matrix
#
# KIOSK is the test build's kiosk, SEEDER its seed_demo_people. Each combination runs on a fresh
# store in WORKDIR/LANG-WxH-SCALE/ and fails with the audit's findings on stderr (file there:
# audit.txt). --all runs 8 languages x 1920x1080, 1080x1920, 1280x800 x normal, large (48 runs,
# JOBS at a time, default 2) and prints each failing run's findings, then a summary.
set -u
here=$(cd "$(dirname "$0")" && pwd)
kiosk=$1 seeder=$2 config=$3 work=$4
shift 4
if [ "${1:-}" = "--all" ]; then
  jobs=${2:-2}
  mkdir -p "$work"
  for lang in en km my ar zh zu xh af; do
    for size in 1920x1080 1080x1920 1280x800; do
      for scale in normal large; do echo "$lang $size $scale"; done
    done
  done | xargs -P "$jobs" -L 1 sh -c '"$0" "$1" "$2" "$3" "$4" "$5" "$6" "$7" >/dev/null 2>&1; echo "$? $5 $6 $7"' \
      "$0" "$kiosk" "$seeder" "$config" "$work" > "$work/results.txt"
  failed=0
  while read -r rc lang size scale; do
    if [ "$rc" != 0 ]; then
      failed=$((failed + 1))
      echo "== $lang $size $scale"
      cat "$work/$lang-$size-$scale/audit.txt"
    fi
  done < "$work/results.txt"
  echo "layout sweep: $(wc -l < "$work/results.txt") runs, $failed with findings"
  [ "$failed" = 0 ]
  exit
fi
lang=$1 size=$2 scale=$3
dir="$work/$lang-$size-$scale"
rm -rf "$dir" && mkdir -p "$dir" || exit 1
large="# normal text"
[ "$scale" = large ] && large="tap @visitor.large-text"
sed -e "s/%LANG%/$lang/g" -e "s/%LARGE%/$large/" "$here/layout-sweep.script.in" > "$dir/sweep.script"
printf '1234\n' | "$kiosk" --config "$config" --data-dir "$dir/data" --add-staff Supervisor --role supervisor >/dev/null || exit 1
"$seeder" "$dir/data" >/dev/null || exit 1
mkdir -p "$dir/data/import" || exit 1   # the "USB stick" Export and Backup offer
"$kiosk" --config "$config" --data-dir "$dir/data" --windowed "$size" --script "$dir/sweep.script" \
  --layout-audit 2> "$dir/audit.txt"
rc=$?
cat "$dir/audit.txt" >&2
exit $rc
