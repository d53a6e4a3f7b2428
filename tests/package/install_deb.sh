#!/usr/bin/env bash
# install_deb.sh BUILD_DIR SCRATCH: builds the Debian package from BUILD_DIR with CPack, installs
# it with dpkg into the scratch root SCRATCH/root (dpkg --root, maintainer scripts run with
# DPKG_ROOT, no chroot), runs the INSTALLED kiosk headless on the installed config and pack, then
# removes and purges it and checks what is left. Needs no root (--force-not-root) and never
# touches the host's /etc, /usr or users (postinst honours DPKG_ROOT).
set -euo pipefail
build=$(cd "$1" && pwd); scratch=$2
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$scratch"; mkdir -p "$scratch/pkg"
scratch=$(cd "$scratch" && pwd)
(cd "$build" && cpack -G DEB -B "$scratch/pkg" >"$scratch/cpack.log" 2>&1) ||
  { cat "$scratch/cpack.log"; fail "cpack failed"; }
debs=("$scratch"/pkg/roadshow-kiosk_*_*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "expected one roadshow-kiosk_*.deb, got: ${debs[*]}"
deb=${debs[0]}
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# -- control: Depends names the fonts, the compositor and dpkg-shlibdeps' libraries, and every
#    package it names exists (is installed on this machine, where install-deps put them).
depends=$(dpkg-deb -f "$deb" Depends)
for p in fonts-noto-core fonts-noto-cjk fonts-dejavu-core cage xwayland libpam-systemd adduser \
         libsdl2-2.0-0 libsqlite3-0 libharfbuzz0b libicu72 libsystemd0 libsodium23 libcpp-httplib0.11; do
  grep -Eq "(^|, )$p( |,|$)" <<<"$depends" || fail "Depends lacks $p: $depends"
done
IFS=',' read -ra alternatives <<<"$depends"
for d in "${alternatives[@]}"; do
  name=$(sed -E 's/^ *([^ (|]+).*/\1/' <<<"$d")
  dpkg-query -W -f='${Status}\n' "$name" 2>/dev/null | grep -q 'install ok installed' ||
    fail "Depends names '$name', which is not an installed Debian package here"
done
conffiles=$(dpkg-deb -I "$deb" conffiles)
for f in /etc/roadshow-kiosk/kiosk.toml /etc/pam.d/roadshow-kiosk; do
  grep -qx "$f" <<<"$conffiles" || fail "$f is not a conffile: $conffiles"
done

# -- the file list
listing=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#')
for f in /usr/bin/kiosk /usr/bin/hq /usr/bin/kiosk-content /usr/lib/roadshow-kiosk/kiosk-http.so \
         /etc/roadshow-kiosk/kiosk.toml \
         /etc/pam.d/roadshow-kiosk /lib/systemd/system/roadshow-kiosk.service \
         /usr/share/man/man1/kiosk.1 /usr/share/doc/roadshow-kiosk/demo.toml \
         /usr/share/roadshow-kiosk/content/packs/demo/pack.toml \
         /usr/share/roadshow-kiosk/content/packs/cambodia/pack.toml \
         /usr/share/roadshow-kiosk/content/catalog/km.po \
         /usr/share/roadshow-kiosk/content/forms/default.toml \
         /usr/share/roadshow-kiosk/content/keyboards/khmer.toml \
         /usr/share/roadshow-kiosk/content/exhibits/magnets/illustration.png; do
  grep -qx "$f" <<<"$listing" || fail "the package lacks $f"
done
if grep -E '^/(build|home|tmp|work|usr/local)/' <<<"$listing"; then fail "files outside the Debian layout"; fi

# -- install into the scratch root
root=$scratch/root
mkdir -p "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/info"
: >"$root/var/lib/dpkg/status"; : >"$root/var/lib/dpkg/available"
dpkg_root() {
  dpkg --root="$root" --force-not-root --force-script-chrootless --force-depends \
       --log=/dev/null "$@" >>"$scratch/dpkg.log" 2>&1 || { cat "$scratch/dpkg.log"; fail "dpkg $*"; }
}
dpkg_root --install "$deb"
[[ -d $root/var/lib/roadshow-kiosk ]] || fail "postinst did not make the data directory"
[[ -L $root/etc/systemd/system/graphical.target.wants/roadshow-kiosk.service ]] ||
  fail "postinst did not enable roadshow-kiosk.service for graphical.target"

# -- the installed programs, on the installed files only (the config's paths are relative to
#    /etc/roadshow-kiosk, so inside the scratch root they lead to the scratch root's pack)
export SDL_VIDEODRIVER=offscreen LIBGL_ALWAYS_SOFTWARE=1
"$root/usr/bin/kiosk" --version | grep -Eq '^kiosk [0-9]+\.[0-9]+\.[0-9]+$' || fail "kiosk --version"
"$root/usr/bin/kiosk" --help | grep -q -- '--data-dir' || fail "kiosk --help"
"$root/usr/bin/hq" --help >/dev/null 2>&1 || "$root/usr/bin/hq" 2>&1 | grep -q 'usage: hq' || fail "hq runs"
"$root/usr/bin/kiosk-content" check "$root/usr/share/roadshow-kiosk/content/packs/demo" |
  grep -q '^0 errors' || fail "kiosk-content check on the installed demo pack"
mkdir -p "$scratch/run"
cp "$here/installed.script" "$scratch/run/"
"$root/usr/bin/kiosk" --config "$root/etc/roadshow-kiosk/kiosk.toml" --windowed 1280x800 \
  --script "$scratch/run/installed.script" || fail "the installed kiosk did not run its script"
for shot in installed-attract installed-language; do
  png=$scratch/run/shots/$shot.png
  [[ $(stat -c %s "$png" 2>/dev/null || echo 0) -gt 20000 ]] || fail "$png missing or blank"
done
data=$root/var/lib/roadshow-kiosk
[[ -s $data/kiosk.sqlite3 ]] || fail "no store in the installed data directory $data"
grep -q ' INFO started: kiosk ' "$data/kiosk.log" || fail "no 'started' line in $data/kiosk.log"
grep -q ' INFO stopped' "$data/kiosk.log" || fail "no 'stopped' line in $data/kiosk.log"

# -- the installed kiosk sends with the installed HTTP module (sync/http_client.h H2), loaded only
#    when it sends: enrolled by the installed hq with an address nobody listens on, "Send now"
#    loads /usr/lib/roadshow-kiosk/kiosk-http.so from the scratch root and reports the refusal.
"$root/usr/bin/hq" init "$scratch/hq-library" >/dev/null
"$root/usr/bin/hq" --library "$scratch/hq-library" enroll --device "Package test" --tour demo \
  --out "$scratch/enroll.toml" --url "http://127.0.0.1:9" >/dev/null
sync_data=$scratch/sync-data
printf '1234\n' | "$root/usr/bin/kiosk" --config "$root/etc/roadshow-kiosk/kiosk.toml" --data-dir "$sync_data" \
  --add-staff Supervisor --role supervisor >/dev/null || fail "the installed kiosk did not add a staff account"
"$root/usr/bin/kiosk" --config "$root/etc/roadshow-kiosk/kiosk.toml" --data-dir "$sync_data" \
  --enroll "$scratch/enroll.toml" >/dev/null || fail "the installed kiosk did not load its enrollment"
LD_DEBUG=files "$root/usr/bin/kiosk" --config "$root/etc/roadshow-kiosk/kiosk.toml" --data-dir "$sync_data" \
  --sync-now >"$scratch/sync-now.out" 2>"$scratch/sync-now.err" && fail "a send to a closed port succeeded"
grep -q "127.0.0.1:9: Connection" "$scratch/sync-now.out" "$scratch/sync-now.err" ||
  fail "--sync-now did not report the refused connection: $(cat "$scratch/sync-now.out" "$scratch/sync-now.err" | grep -v 'file=' | head -5)"
grep -qF "calling init: $root/usr/lib/roadshow-kiosk/kiosk-http.so" "$scratch/sync-now.err" ||
  fail "the installed kiosk did not load the installed kiosk-http.so: $(grep kiosk-http "$scratch/sync-now.err")"
LD_DEBUG=files "$root/usr/bin/kiosk" --version 2>&1 >/dev/null | grep -Eq 'file=(libssl|libcrypto|libcpp-httplib)' &&
  fail "the installed kiosk loads HTTP or TLS libraries at start (sync/http_client.h H1)"

# -- remove: only the conffiles, systemd's enable/mask state and the data directory remain
leftovers() { (cd "$root" && find . ! -type d ! -path './var/lib/dpkg/*' | sed 's#^\.##' | sort); }
dpkg_root --remove roadshow-kiosk
expected_after_remove=$(printf '%s\n' /etc/pam.d/roadshow-kiosk /etc/roadshow-kiosk/kiosk.toml \
  /etc/systemd/system/graphical.target.wants/roadshow-kiosk.service \
  /etc/systemd/system/roadshow-kiosk.service \
  /var/lib/systemd/deb-systemd-helper-enabled/graphical.target.wants/roadshow-kiosk.service \
  /var/lib/systemd/deb-systemd-helper-enabled/roadshow-kiosk.service.dsh-also \
  /var/lib/systemd/deb-systemd-helper-masked/roadshow-kiosk.service | sort)
got=$(leftovers | grep -v '^/var/lib/roadshow-kiosk/' || true)
[[ $got == "$expected_after_remove" ]] ||
  fail "after remove, expected only conffiles and systemd state; got:"$'\n'"$got"
# -- purge: nothing but the store, kept on purpose (registrations headquarters may lack)
dpkg_root --purge roadshow-kiosk
got=$(leftovers)
[[ $got == "/var/lib/roadshow-kiosk/kiosk.sqlite3" ]] ||
  fail "after purge, expected only the kept store; got:"$'\n'"$got"
echo "installed, ran, removed and purged $(basename "$deb") in $root"
