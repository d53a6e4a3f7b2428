#!/bin/sh
# `kiosk --health` (issue 14 item 4): JSON on stdout; exit 0 exactly when it lists no problems.
# usage: health-cli.sh DIR KIOSK CONFIG SEEDER
set -eu
dir=$1 kiosk=$2 config=$3 seeder=$4
rm -rf "$dir/data"
mkdir -p "$dir"
printf '1234\n' | "$kiosk" --config "$config" --data-dir "$dir/data" --add-staff Supervisor --role supervisor >/dev/null
"$seeder" "$dir/data" >/dev/null
rc=0
"$kiosk" --config "$config" --data-dir "$dir/data" --health >"$dir/health.json" || rc=$?
cat "$dir/health.json"
fail() { echo "health-cli: $*" >&2; exit 1; }
# A health check only looks (pack_guard.h G3): it never copies a pack in or writes the pack state,
# even for a kiosk that has not started yet.
[ ! -e "$dir/data/pack-state.txt" ] || fail "--health wrote pack-state.txt"
[ -z "$(find "$dir/data" -path '*/packs/*' -name pack.toml 2>/dev/null)" ] || fail "--health copied a pack in"
python3 - "$dir/health.json" "$rc" "$dir/data/kiosk.sqlite3" <<'PY' || fail "report does not hold"
import json, sqlite3, sys
report = json.load(open(sys.argv[1]))
rc = int(sys.argv[2])
db = sqlite3.connect(sys.argv[3])
people = db.execute("SELECT count(*) FROM participant").fetchone()[0]
assert people > 0, "the seeder added nobody"
assert report["sync"]["people_pending"] == people, (report["sync"], people)
assert report["sync"]["enrolled"] is False
assert report["store"]["bytes"] > 0 and report["store"]["open_check"] == "ok"
assert report["pack"]["id"], report["pack"]
assert report["pack"]["verdict"] == "ok", report["pack"]
assert report["disk"]["free_bytes"] > 0 and report["disk"]["total_bytes"] >= report["disk"]["free_bytes"]
assert report["memory"]["rss_bytes"] > 0
assert report["pin_pad"] == {"failed_attempts": 0, "lockouts": 0, "locked_for_s": 0}
assert report["version"]
# exit code and "ok" agree with the problem list
assert report["ok"] == (report["problems"] == []), report
assert (rc == 0) == report["ok"], (rc, report["ok"])
# no personal data: no participant's or guardian's name appears in the report
text = open(sys.argv[1]).read()
for (given, family) in db.execute("SELECT given_name, family_name FROM participant"):
    for name in (given, family):
        if name and len(name) > 2:
            assert name not in text, name
PY
echo "health-cli: ok"
