#!/bin/sh
# Backups and restores end to end (issue 14 item 5; sync/kiosk_backup.cpp B1-B6, R1-R2):
#  - an unenrolled kiosk refuses an encrypted backup and writes a plain one only when asked;
#  - a restore asks for RESTORE, never writes over a store, and brings back every person in a
#    new incarnation; an encrypted backup is refused with what to do;
#  - an enrolled kiosk's backup is encrypted (no name readable on the stick), opens only at its
#    headquarters (`hq backup open`; a flipped byte is refused), and restores every person;
#  - Health reports the last backup.
# usage: backup-restore.sh DIR KIOSK HQ CONFIG SEEDER
set -eu
dir=$1 kiosk=$2 hq=$3 config=$4 seed=$5
fail() { echo "backup-restore: $*" >&2; exit 1; }
k() { "$kiosk" --config "$config" "$@"; }
count() { sqlite3 "$1/kiosk.sqlite3" "SELECT count(*) FROM participant"; }
rm -rf "$dir"
mkdir -p "$dir/stick" "$dir/stick2"
printf '1234\n' | k --data-dir "$dir/data" --add-staff Supervisor --role supervisor >/dev/null
"$seed" "$dir/data" >/dev/null
people=$(count "$dir/data")
[ "$people" -gt 0 ] || fail "the seeder added nobody"

# Not enrolled: no encrypted backup possible, and nothing is written.
if k --data-dir "$dir/data" --backup "$dir/stick" 2>"$dir/err.txt"; then fail "an unenrolled kiosk wrote a backup"; fi
grep -q -- "--backup-unencrypted" "$dir/err.txt" || fail "the refusal does not say what to do: $(cat "$dir/err.txt")"
[ -z "$(ls -A "$dir/stick")" ] || fail "a refused backup left files: $(ls "$dir/stick")"
k --data-dir "$dir/data" --backup-unencrypted "$dir/stick" | grep -q "read back and verified" || fail "plain backup"
plain=$(ls "$dir/stick"/kiosk-backup-UNENCRYPTED-*.sqlite3)
[ "$(stat -c %a "$plain")" = 600 ] || fail "the backup is not owner-only: $(stat -c %a "$plain")"
ls "$dir/data" | grep -q backup-snapshot && fail "the plaintext snapshot was left in the data folder"
k --data-dir "$dir/data" --health >"$dir/health.json" || true
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["backup"]["last_at"], r["backup"]' "$dir/health.json" ||
  fail "Health does not report the backup"

# Restore: not confirmed -> nothing; confirmed -> every person, a new incarnation.
if printf 'no\n' | k --data-dir "$dir/restored" --restore "$plain" >/dev/null 2>&1; then fail "restored without RESTORE"; fi
[ ! -e "$dir/restored/kiosk.sqlite3" ] || fail "an unconfirmed restore wrote a store"
printf 'RESTORE\n' | k --data-dir "$dir/restored" --restore "$plain" | grep -q "restored $people people" || fail "restore"
[ "$(count "$dir/restored")" = "$people" ] || fail "restored $(count "$dir/restored") of $people people"
before=$(sqlite3 "$dir/data/kiosk.sqlite3" "SELECT group_concat(id) FROM incarnation")
after=$(sqlite3 "$dir/restored/kiosk.sqlite3" "SELECT id FROM incarnation ORDER BY base_seq DESC LIMIT 1")
case ",$before," in *",$after,"*) fail "the restored store kept the original's incarnation $after" ;; esac
[ "$(sqlite3 "$dir/restored/kiosk.sqlite3" "SELECT reason FROM incarnation ORDER BY base_seq DESC LIMIT 1")" = copied ] ||
  fail "the new incarnation is not marked copied"
if printf 'RESTORE\n' | k --data-dir "$dir/restored" --restore "$plain" 2>"$dir/err.txt" >/dev/null; then fail "restored over a store"; fi
grep -q "already exists" "$dir/err.txt" || fail "no reason for refusing to restore over a store"

# Enrolled: encrypted to headquarters.
"$hq" init "$dir/hq" >/dev/null
"$hq" --library "$dir/hq" enroll --device "Backup kiosk" --tour cambodia --out "$dir/enroll.toml" >/dev/null
k --data-dir "$dir/data" --enroll "$dir/enroll.toml" >/dev/null
k --data-dir "$dir/data" --backup "$dir/stick2" | grep -q "read back and verified" || fail "encrypted backup"
sealed=$(ls "$dir/stick2"/kiosk-backup-*.rka)
name=$(sqlite3 "$dir/data/kiosk.sqlite3" "SELECT family_name_latin FROM participant WHERE family_name_latin <> '' LIMIT 1")
[ -n "$name" ] || fail "no Latin family name to look for"
if grep -a -q "$name" "$sealed"; then fail "the name '$name' is readable in the encrypted backup"; fi
if grep -a -q "SQLite format 3" "$sealed"; then fail "the encrypted backup holds a plain SQLite header"; fi
if printf 'RESTORE\n' | k --data-dir "$dir/r2" --restore "$sealed" 2>"$dir/err.txt" >/dev/null; then fail "restored an encrypted file"; fi
grep -q "hq --library DIR backup open" "$dir/err.txt" || fail "no hint for an encrypted backup: $(cat "$dir/err.txt")"
"$hq" --library "$dir/hq" backup open "$sealed" --out "$dir/opened.sqlite3" >/dev/null || fail "hq backup open"
[ "$(stat -c %a "$dir/opened.sqlite3")" = 600 ] || fail "the opened store is not owner-only"
# A flipped byte (in the ciphertext) and a truncated file are refused.
cp "$sealed" "$dir/flipped.rka"
printf '\377' | dd of="$dir/flipped.rka" bs=1 seek=400 conv=notrunc 2>/dev/null
if "$hq" --library "$dir/hq" backup open "$dir/flipped.rka" --out "$dir/x.sqlite3" 2>"$dir/err.txt"; then fail "opened a changed backup"; fi
[ ! -e "$dir/x.sqlite3" ] || fail "a refused backup wrote a store"
head -c 1000 "$sealed" >"$dir/short.rka"
if "$hq" --library "$dir/hq" backup open "$dir/short.rka" --out "$dir/y.sqlite3" 2>"$dir/err.txt"; then fail "opened a truncated backup"; fi
grep -q "truncated" "$dir/err.txt" || fail "truncation not named: $(cat "$dir/err.txt")"
# Another headquarters cannot open it.
"$hq" init "$dir/hq-other" >/dev/null
if "$hq" --library "$dir/hq-other" backup open "$sealed" --out "$dir/z.sqlite3" 2>/dev/null; then fail "another hq opened it"; fi
printf 'RESTORE\n' | k --data-dir "$dir/r3" --restore "$dir/opened.sqlite3" >/dev/null || fail "restore of the opened backup"
[ "$(count "$dir/r3")" = "$people" ] || fail "restored $(count "$dir/r3") of $people people from the encrypted backup"
echo "backup-restore: ok ($people people)"
