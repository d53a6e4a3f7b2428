#!/usr/bin/env bash
# verify_units.sh UNIT_DIR SCRATCH: every *.service in UNIT_DIR must pass `systemd-analyze verify`
# with no message at all (it exits 0 on an unknown key and only warns, so any output fails here),
# and keep the promises of README.md's "Deploying a kiosk". Two broken copies (an unknown key, a
# missing program) must be caught by the same check, so this test can fail.
set -euo pipefail
units=$1; scratch=$2
rm -rf "$scratch"; mkdir -p "$scratch"
command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze missing (package systemd)"; exit 1; }

verify() {  # verify FILE -> 0 when clean; prints what systemd-analyze said
  local out rc=0
  out=$(systemd-analyze verify --man=no "$1" 2>&1) || rc=$?
  [[ $rc -eq 0 && -z $out ]] && return 0
  echo "systemd-analyze verify $1 (exit $rc): $out"
  return 1
}

shopt -s nullglob
files=("$units"/*.service)
(( ${#files[@]} > 0 )) || { echo "FAIL: no unit in $units"; exit 1; }
for f in "${files[@]}"; do
  verify "$f" || { echo "FAIL: $f"; exit 1; }
  echo "ok: $(basename "$f") verifies cleanly"
done

kiosk=$units/roadshow-kiosk.service
for want in '^Type=notify$' '^NotifyAccess=all$' '^WatchdogSec=[0-9]+' '^Restart=(always|on-failure)$' \
            '^User=roadshow-kiosk$' '^PAMName=roadshow-kiosk$' '^TTYPath=/dev/tty7$' \
            '^ExecStart=/usr/bin/cage -- /usr/bin/kiosk ' '^WantedBy=graphical.target$'; do
  grep -Eq "$want" "$kiosk" || { echo "FAIL: $kiosk lacks /$want/"; exit 1; }
done
if grep -Eq '^ExecStart=/usr/bin/cage .*-s( |$)' "$kiosk"; then
  echo "FAIL: cage -s would allow switching to another VT"; exit 1
fi

# The check itself must be able to fail.
sed 's/^TTYReset=yes$/TTYReset=yes\nTTYRest=yes/' "$kiosk" >"$scratch/typo.service"
sed 's#^ExecStart=/usr/bin/cage #ExecStart=/usr/bin/no-such-compositor #' "$kiosk" >"$scratch/missing.service"
for broken in typo missing; do
  if verify "$scratch/$broken.service" >/dev/null; then
    echo "FAIL: a broken unit ($broken) passed the check"; exit 1
  fi
done
echo "ok: broken copies are refused"
