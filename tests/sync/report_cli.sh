#!/bin/sh
# tests/sync/report_cli.sh HQ — `hq report` as an operator types it: exit codes, one-line reasons,
# the files written, and nothing left behind by a refusal. Usage: report_cli.sh path/to/hq
set -eu
HQ=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "report_cli: $*" >&2; exit 1; }

"$HQ" init "$T/lib" > /dev/null
"$HQ" --library "$T/lib" report --help | grep -q -- '--target-people' || fail "--help"
"$HQ" --library "$T/lib" report --year 2026 --out "$T/out" --target-people 500 > "$T/log" || fail "report failed"
for f in report.html report.xlsx queries.sql about.csv library_growth.csv event_summary.csv; do
  [ -s "$T/out/$f" ] || fail "missing $f"
done
grep -q 'No events in 2026' "$T/out/report.html" || fail "the empty year does not say so"
grep -q '^2026-12,0,0,500,0,0,300' "$T/out/library_growth.csv" || fail "target not applied"
unzip -l "$T/out/report.xlsx" | grep -q 'xl/worksheets/sheet14.xml' || fail "xlsx sheets"

set +e
"$HQ" --library "$T/lib" report --year 2026 > /dev/null 2>&1; [ $? -eq 2 ] || fail "usage error not 2"
"$HQ" --library "$T/lib" report --year 2026 --out "$T/zz" --country ZA 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "no event in this library is in country 'ZA'" "$T/err" || fail "unknown country"
: > "$T/file"
"$HQ" --library "$T/lib" report --year 2026 --out "$T/file/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot write the report here" "$T/err" || fail "unwritable folder"
"$HQ" --library "$T/lib" report --year 2026 --out "$T/out" 2> "$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "not an empty folder" "$T/err" || fail "overwrote a report"
set -e
[ -z "$(ls -A "$T" | grep tmp- || true)" ] || fail "a temporary folder was left behind"
[ ! -e "$T/zz" ] || fail "a refused report left a folder"
echo "report_cli: ok"
