#!/usr/bin/env bash
# under_cage.sh KIOSK CONFIG SCRATCH: the kiosk session of roadshow-kiosk.service, minus the seat:
# `cage -- kiosk --fullscreen` on cage's headless wlroots backend (software rendering), the kiosk
# on SDL's Wayland driver as cage's client. Checks that it draws full screen there (a screenshot),
# and that SIGTERM sent to cage and the kiosk together, as systemd's stop does (KillMode=
# control-group), ends the kiosk cleanly. cage refuses to run as root: as root, this runs both as
# the user nobody in a scratch folder of its own.
set -euo pipefail
kiosk=$1 config=$2 scratch=$3
fail() { echo "FAIL: $*" >&2; for f in "$scratch"/*.log "$scratch"/data/kiosk.log; do [[ -f $f ]] && sed "s#^#  $(basename "$f"): #" "$f" >&2; done; exit 1; }
command -v cage >/dev/null || fail "cage missing (platform/setup/install-deps installs it)"
command -v Xwayland >/dev/null || fail "Xwayland missing: Debian's cage will not start without it"
# cage runs as nobody when we are root, and nobody may not reach the build tree at all (CI's clone
# sits in a root-only folder): the session gets a folder of its own with a copy of the kiosk, its
# config and the content, its data and its XDG_RUNTIME_DIR (short, for the Wayland socket).
top=$(mktemp -d /tmp/rk-cage.XXXXXX)
run=$top
trap 'rm -rf "$top"' EXIT
chmod 755 "$run"
mkdir -p "$run/app/config" "$run/run"
cp "$kiosk" "$run/app/kiosk"
cp "$config" "$run/app/config/"
cp -r "$(dirname "$config")/../content" "$run/app/content"
kiosk="$run/app/kiosk" config="$run/app/config/$(basename "$config")"
rm -rf "$scratch"; scratch="$run/scratch"; mkdir -p "$scratch/data"
run="$run/run"
chmod 700 "$run"
as_user=()
if [[ $(id -u) == 0 ]]; then
  chown -R nobody:nogroup "$scratch" "$run"
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
session() {  # the unit's ExecStart, headless
  "${as_user[@]}" env -u DISPLAY -u WAYLAND_DISPLAY HOME="$scratch" XDG_RUNTIME_DIR="$run" \
    WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman SDL_VIDEODRIVER=wayland \
    cage -- "$kiosk" --config "$config" --data-dir "$scratch/data" --fullscreen "$@"
}

# 1. It draws, full screen, as cage's Wayland client.
timeout 90 bash -c "$(declare -f session); $(declare -p as_user kiosk config scratch run); session --screenshot '$scratch/shot.png'" \
  >"$scratch/cage-shot.log" 2>&1 || fail "the kiosk under cage did not take its screenshot"
[[ $(stat -c %s "$scratch/shot.png" 2>/dev/null || echo 0) -gt 20000 ]] || fail "no screenshot from under cage"
grep -q ' INFO started: kiosk .*, video wayland$' "$scratch/data/kiosk.log" || fail "the kiosk did not run on Wayland"

# 2. A live kiosk under cage stops cleanly when systemd's stop signals the whole group.
setsid bash -c "$(declare -f session); $(declare -p as_user kiosk config scratch run); session" \
  >"$scratch/cage-live.log" 2>&1 &
leader=$!
deadline=$((SECONDS + 60))
until [[ $(grep -c ' INFO started: kiosk ' "$scratch/data/kiosk.log") -ge 2 ]]; do
  ((SECONDS < deadline)) || { kill -KILL -- -"$leader" 2>/dev/null; fail "the live kiosk did not start under cage"; }
  sleep 0.2
done
sleep 2
kill -TERM -- -"$leader"
for _ in $(seq 150); do kill -0 "$leader" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$leader" 2>/dev/null; then kill -KILL -- -"$leader"; fail "cage and the kiosk still ran 15 s after SIGTERM"; fi
grep -q ' INFO stopped by SIGTERM, exit 0$' "$scratch/data/kiosk.log" || fail "the kiosk under cage did not stop cleanly"
echo "ok: the kiosk ran full screen under a headless cage and stopped cleanly on SIGTERM"
