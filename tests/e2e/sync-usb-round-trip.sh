#!/bin/bash
# sync-usb-round-trip.sh DIR KIOSK HQ SEED_PEOPLE CONFIG EXPORT_SCRIPT RECEIPT_SCRIPT PACKAGE_SCRIPT
#                        WxH — the
# USB way to headquarters and back through the Sync screen: the kiosk (enrolled, six demo people,
# fixtures/enroll-kiosk.sh) exports its bundles onto the "stick" (<data_dir>/import) in
# EXPORT_SCRIPT; headquarters imports them from there and writes its receipt back onto it
# (`hq import --receipts`); RECEIPT_SCRIPT imports that receipt on the screen. Headquarters must
# then hold the six people exactly once, and a second import of the same stick changes nothing.
# Then headquarters adds a staff account for the tour and puts its package on the stick (the
# receipt taken away); PACKAGE_SCRIPT loads it on the screen and signs in with that account. The
# package file must not show the account's name or PIN hash to whoever finds the stick.
set -eu
dir=$1 kiosk=$2 hq=$3 seed=$4 config=$5 export_script=$6 receipt_script=$7 package_script=$8 size=$9
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$dir/data"
printf '1234\n' | "$kiosk" --config "$config" --data-dir "$dir/data" --add-staff Supervisor --role supervisor >/dev/null
"$here/fixtures/enroll-kiosk.sh" "$hq" "$kiosk" "$seed" "$config" - 0 "$dir/data"
"$kiosk" --config "$config" --data-dir "$dir/data" --windowed "$size" --script "$export_script"
ls "$dir/data/import"/roadshow-*.rkb >/dev/null
"$hq" --library "$dir/hq-library" import "$dir/data/import" --receipts "$dir/data/import" >/dev/null
"$hq" --library "$dir/hq-library" import "$dir/data/import" --receipts "$dir/data/import" >/dev/null
"$kiosk" --config "$config" --data-dir "$dir/data" --windowed "$size" --script "$receipt_script"
persons=$("$hq" --library "$dir/hq-library" persons --format csv | tail -n +2 | wc -l)
[ "$persons" -eq 6 ] || { echo "sync-usb-round-trip: headquarters holds $persons people, expected 6" >&2; exit 1; }
rm "$dir/data/import"/receipt-*.rkr
printf '9753\n' | "$hq" --library "$dir/hq-library" staff add --tour cambodia --name "Sovann Lead" --role supervisor >/dev/null
"$hq" --library "$dir/hq-library" downlink --tour cambodia --set staff.lock_s=600 --out "$dir/data/import/cambodia-1.rkd" >/dev/null
if grep -a -q -e "Sovann" -e "argon2" "$dir/data/import/cambodia-1.rkd"; then
  echo "sync-usb-round-trip: the package shows a staff name or PIN hash in clear" >&2; exit 1
fi
"$kiosk" --config "$config" --data-dir "$dir/data" --windowed "$size" --script "$package_script"
