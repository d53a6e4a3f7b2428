#!/bin/bash
# pack-cli.sh DIR KIOSK HQ — `kiosk --install-pack FILE` and `kiosk --rollback-pack` (issue 16)
# against bad files, as a technician would meet them: each is refused with its reason, exit 1,
# and leaves the kiosk's pack pointer byte for byte as it was and no staging folder behind. A disk
# that fills up while staging is simulated with the file size limit (ulimit -f, SIGXFSZ ignored
# so that the write fails with EFBIG as it would with ENOSPC). Then a good pack installs, the
# kiosk starts on it, and rollback goes back and forth.
set -u
dir=$1 kiosk=$2 hq=$3
here=$(cd "$(dirname "$0")" && pwd)
config=$here/../../config/demo.toml
pack=$here/../../content/packs/demo
data=$dir/data
fail() { echo "pack-cli: $*" >&2; exit 1; }
run() { "$kiosk" --config "$config" --pack "$pack" --data-dir "$data" "$@"; }
rm -rf "$dir" && mkdir -p "$dir/stick" || exit 1
printf '1234\n' | run --add-staff Supervisor --role supervisor >/dev/null || fail "add-staff"
# hq refuses to build a pack the checker refuses, and writes nothing.
"$hq" init "$dir/hq" >/dev/null || fail "hq init"
"$hq" --library "$dir/hq" pack build "$here/fixtures/broken-pack" --out "$dir/stick/broken.rkp" 2>"$dir/err" && fail "hq built a broken pack"
grep -q "unknown key 'colour'" "$dir/err" && grep -q "nothing written" "$dir/err" || fail "hq pack build: $(cat "$dir/err")"
[ ! -e "$dir/stick/broken.rkp" ] || fail "hq pack build left a file"
# Not enrolled: no headquarters key to check a pack with.
"$hq" --library "$dir/hq" pack build "$pack" --tour cambodia --out "$dir/stick/good.rkp" >/dev/null || fail "hq pack build"
run --install-pack "$dir/stick/good.rkp" 2>"$dir/err" && fail "installed on a kiosk that is not enrolled"
grep -q "refused (not_enrolled)" "$dir/err" || fail "not enrolled: $(cat "$dir/err")"
"$hq" --library "$dir/hq" enroll --device "Demo" --tour cambodia --out "$dir/enroll.toml" >/dev/null || fail "enroll"
run --enroll "$dir/enroll.toml" >/dev/null || fail "kiosk --enroll"
run --windowed 800x600 --screenshot "$dir/first.png" || fail "first start"
cp "$data/packs/pointer" "$dir/pointer.before"

refused() {  # refused NAME FILE CODE REASON-REGEX [prefix command...]
  local name=$1 file=$2 code=$3 regex=$4; shift 4
  "$@" "$kiosk" --config "$config" --pack "$pack" --data-dir "$data" --install-pack "$file" 2>"$dir/err" >/dev/null
  local rc=$?
  [ $rc -eq 1 ] || fail "$name: exit $rc, expected 1: $(cat "$dir/err")"
  grep -q "refused ($code)" "$dir/err" || fail "$name: expected ($code): $(cat "$dir/err")"
  grep -Eq -- "$regex" "$dir/err" || fail "$name: reason not /$regex/: $(cat "$dir/err")"
  cmp -s "$data/packs/pointer" "$dir/pointer.before" || fail "$name: the pointer changed"
  ls "$data/packs" | grep -q '^staging-' && fail "$name: a staging folder was left"
  echo "refused as expected: $name: $(head -1 "$dir/err")"
}
: >"$dir/stick/empty.rkp"
refused "zero-byte file" "$dir/stick/empty.rkp" not_a_pack "empty file \(0 bytes\)"
head -c 300000 "$dir/stick/good.rkp" >"$dir/stick/truncated.rkp"
refused "truncated file" "$dir/stick/truncated.rkp" damaged "truncated"
"$hq" init "$dir/other-hq" >/dev/null && "$hq" --library "$dir/other-hq" pack build "$pack" --out "$dir/stick/other-key.rkp" >/dev/null
refused "another headquarters' key" "$dir/stick/other-key.rkp" bad_signature "signed by another key"
"$hq" --library "$dir/hq" pack build "$pack" --tour egypt --out "$dir/stick/egypt.rkp" >/dev/null
refused "another tour" "$dir/stick/egypt.rkp" other_tour "tour 'egypt'"
cp "$dir/stick/good.rkp" "$dir/stick/tampered.rkp"
size=$(stat -c %s "$dir/stick/tampered.rkp")
printf 'X' | dd of="$dir/stick/tampered.rkp" bs=1 seek=$((size - 50)) conv=notrunc 2>/dev/null
refused "tampered file" "$dir/stick/tampered.rkp" damaged "do not match the manifest's hash"
cp "$dir/stick/good.rkp" "$dir/stick/newer.rkp"
printf '\002' | dd of="$dir/stick/newer.rkp" bs=1 seek=4 conv=notrunc 2>/dev/null
refused "newer format" "$dir/stick/newer.rkp" newer_format "update the kiosk software"
refused "disk full while staging" "$dir/stick/good.rkp" disk_full "File too large" \
  bash -c 'trap "" XFSZ; ulimit -f 100; exec "$@"' limit

# A good pack: installed, the kiosk starts on it, rollback back and forth.
run --install-pack "$dir/stick/good.rkp" >"$dir/out" 2>&1 || fail "good pack: $(cat "$dir/out")"
grep -q "installed pack demo" "$dir/out" || fail "good pack: $(cat "$dir/out")"
cmp -s "$data/packs/pointer" "$dir/pointer.before" && fail "good pack: the pointer did not change"
run --windowed 800x600 --screenshot "$dir/installed.png" || fail "start after install"
run --rollback-pack >"$dir/out" 2>&1 || fail "rollback: $(cat "$dir/out")"
grep -q "^current $(sed -n 's/^current //p' "$dir/pointer.before")\$" "$data/packs/pointer" || fail "rollback did not restore the first copy"
run --rollback-pack >/dev/null 2>&1 || fail "rollback forward again"
run --windowed 800x600 --screenshot "$dir/rolled.png" || fail "start after rollbacks"

# One kiosk per data folder (platform/instance_lock.h K1-K3): while a kiosk runs, a second one
# and a pack install or rollback are refused, naming its pid, and nothing changes; a staff account
# (one store transaction) is still added beside it. SIGKILL leaves no lock behind.
cp "$data/packs/pointer" "$dir/pointer.before"
"$kiosk" --config "$config" --pack "$pack" --data-dir "$data" --windowed 800x600 >"$dir/live.log" 2>&1 &
live=$!
for _ in $(seq 100); do grep -qx "$live" "$data/kiosk.lock" 2>/dev/null && break; sleep 0.1; done
grep -qx "$live" "$data/kiosk.lock" || fail "the running kiosk did not take the lock: $(cat "$dir/live.log")"
run --windowed 800x600 --screenshot "$dir/second.png" 2>"$dir/err" && fail "a second kiosk started on the same data folder"
grep -q "another kiosk (pid $live) is running" "$dir/err" || fail "second kiosk: $(cat "$dir/err")"
run --install-pack "$dir/stick/good.rkp" 2>"$dir/err" && fail "installed under a running kiosk"
grep -q "pack refused: another kiosk (pid $live) is running.*Content screen" "$dir/err" || fail "install: $(cat "$dir/err")"
grep -q "nothing was changed" "$dir/err" || fail "install: $(cat "$dir/err")"
run --rollback-pack 2>"$dir/err" && fail "rolled back under a running kiosk"
grep -q "rollback refused: another kiosk (pid $live)" "$dir/err" || fail "rollback: $(cat "$dir/err")"
cmp -s "$data/packs/pointer" "$dir/pointer.before" || fail "the pointer changed under a running kiosk"
printf '5678\n' | run --add-staff Helper >/dev/null 2>"$dir/err" || fail "add-staff beside a running kiosk: $(cat "$dir/err")"
kill -KILL "$live"; wait "$live" 2>/dev/null
run --windowed 800x600 --screenshot "$dir/after-kill.png" 2>"$dir/err" || fail "start after SIGKILL: $(cat "$dir/err")"
echo "pack-cli: all refusals and the install/rollback behaved"
