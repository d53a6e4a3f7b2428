#!/usr/bin/env python3
"""The soak: a compressed kiosk day under Xvfb, and its verdict (issue 14 item 7; TESTING.md "Soak").

    soak.py --kiosk BIN --seeder BIN --bare BIN --work DIR --minutes M [--warmup-minutes W]
            [--max-slope-mib-h S] [--pace-ms P]

Contract:
 1. The kiosk runs the real loop in real time (kiosk --script-loop, script.h R1-R5) on
    tests/soak/day.script, on a fresh store (a supervisor, PIN 1234; seed_demo_people's event),
    in a 1920x1080 window on a private Xvfb with Mesa's software GL (never SDL's offscreen
    driver: its llvmpipe allocations grow on their own). It writes a sample every 10 s
    (soak_metrics.h); each sample is printed here as it arrives.
 2. The baseline, measured in the same run on the same Xvfb: the bare SDL + GL + ImGui window
    (bench/bare_window.cpp) rendering 600 frames; its peak RSS is printed beside the kiosk's.
 3. Warm-up: the samples before the later of W minutes and the end of the script's first pass
    (every screen, language, font and picture of the day has been met once by then).
 4. Verdict, over the samples after warm-up (fails with the reason, exit 1):
    a. RSS: the least-squares slope must be under S MiB/hour, and the last sample's RSS no more
       than S/4 MiB (at least 2 MiB) above the first post-warm-up sample's ... (no growth by a
       staircase the slope would average away);
    b. fds, threads and live textures: never above their warm-up maximum (a leak of any of them
       grows without bound; a pool that starts lazily starts during the first pass);
    c. the kiosk exited 0 (every expect of every pass held) with at least 6 samples after warm-up.
 5. Exit 0 only on a pass verdict; a tool that is missing (Xvfb) fails, never skips.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = "t_s rss_kib fds threads textures atlas_pages images image_kib pass frames heap_kib layout_kib malloc_kib".split()


def fail(message):
    print(f"soak: FAIL: {message}", flush=True)
    sys.exit(1)


def start_xvfb():
    if not shutil.which("Xvfb"):
        fail("Xvfb is not installed (platform/setup/install-deps installs xvfb)")
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1920x1080x24",
                             "-nolisten", "tcp", "-noreset"], pass_fds=[write_fd],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    number = b""
    while not number.endswith(b"\n"):
        chunk = os.read(read_fd, 16)
        if not chunk:
            fail("Xvfb did not start")
        number += chunk
    os.close(read_fd)
    return xvfb, ":" + number.decode().strip()


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def bare_window_rss(bare, env):
    """Peak RSS (KiB) of the bare window rendering 600 frames (rule 2)."""
    p = subprocess.Popen([bare, "--windowed", "1920x1080", "--bench-frames", "600"], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while p.poll() is None:
        peak = max(peak, rss_kib(p.pid))
        time.sleep(0.05)
    if p.returncode != 0:
        fail(f"the bare window failed (exit {p.returncode}): {p.stderr.read().decode()[-500:]}")
    return peak


def read_samples(path, seen, echo):
    samples = []
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError:
        return samples
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split()
        if len(fields) != len(COLUMNS):
            continue  # a line being written
        samples.append(dict(zip(COLUMNS, (float(v) for v in fields))))
    for s in samples[seen:]:
        echo(s)
    return samples


def slope_mib_per_hour(samples, key="rss_kib"):
    n = len(samples)
    xs = [s["t_s"] / 3600 for s in samples]
    ys = [s[key] / 1024 for s in samples]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--seeder", required=True)
    ap.add_argument("--bare", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--minutes", type=float, required=True)
    ap.add_argument("--warmup-minutes", type=float, default=2.0)
    ap.add_argument("--max-slope-mib-h", type=float, default=1.0)
    ap.add_argument("--pace-ms", type=float, default=1500)
    ap.add_argument("--script", default=os.path.join(HERE, "day.script"))
    ap.add_argument("--config", default=os.path.join(HERE, "soak.toml"))
    a = ap.parse_args()

    work = os.path.abspath(a.work)
    data = os.path.join(work, "data")
    metrics = os.path.join(work, "metrics.txt")
    shutil.rmtree(data, ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    base = [a.kiosk, "--config", a.config, "--data-dir", data]
    r = subprocess.run(base + ["--add-staff", "Supervisor", "--role", "supervisor"], input=b"1234\n",
                       capture_output=True)
    if r.returncode != 0:
        fail(f"cannot add the supervisor: {r.stderr.decode()}")
    r = subprocess.run([a.seeder, data], capture_output=True)
    if r.returncode != 0:
        fail(f"cannot seed the store: {r.stderr.decode()}{r.stdout.decode()}")

    xvfb, display = start_xvfb()
    env = dict(os.environ, DISPLAY=display, SDL_VIDEODRIVER="x11", LIBGL_ALWAYS_SOFTWARE="1")
    try:
        bare_kib = bare_window_rss(a.bare, env)
        print(f"soak: baseline: the bare window's RSS {bare_kib / 1024:.1f} MiB (Xvfb {display}, "
              "software GL)", flush=True)
        print(f"soak: {a.minutes:g} minutes of {os.path.basename(a.script)} at a {a.pace_ms:g} ms pace; "
              "a sample every 10 s:", flush=True)
        print("  " + "  ".join(f"{c:>8}" for c in ["t_s", "rss_mib", "heap_mib", "fds", "threads",
                                                  "textures", "images", "pass", "frames"]), flush=True)

        def echo(s):
            print("  " + "  ".join(f"{v:>8}" for v in [
                f"{s['t_s']:.0f}", f"{s['rss_kib'] / 1024:.1f}", f"{s['heap_kib'] / 1024:.1f}", int(s["fds"]), int(s["threads"]),
                int(s["textures"]), int(s["images"]), int(s["pass"]), int(s["frames"])]), flush=True)

        log_path = os.path.join(work, "kiosk.out")
        with open(log_path, "w") as log:
            kiosk = subprocess.Popen(base + [
                "--windowed", "1920x1080", "--script", a.script, "--script-loop", str(a.minutes * 60),
                "--script-pace", str(a.pace_ms), "--metrics", metrics], env=env, stdout=log,
                stderr=subprocess.STDOUT)
            seen = 0
            try:
                while kiosk.poll() is None:
                    time.sleep(1)
                    seen = len(read_samples(metrics, seen, echo))
            except KeyboardInterrupt:
                kiosk.send_signal(signal.SIGTERM)
                kiosk.wait()
            samples = read_samples(metrics, seen, echo)
    finally:
        xvfb.terminate()
        xvfb.wait()

    with open(log_path) as f:
        tail = f.read()[-2000:]
    if kiosk.returncode != 0:
        fail(f"the kiosk exited {kiosk.returncode}; its output ({log_path}):\n{tail}")
    first_pass_end = next((s["t_s"] for s in samples if s["pass"] >= 2), None)
    if first_pass_end is None:
        fail(f"the script's first pass did not end within {a.minutes:g} minutes")
    warm_end = max(a.warmup_minutes * 60, first_pass_end)
    warm = [s for s in samples if s["t_s"] < warm_end]
    after = [s for s in samples if s["t_s"] >= warm_end]
    if len(after) < 6:
        fail(f"only {len(after)} samples after the warm-up ({warm_end:.0f} s): run longer")

    slope = slope_mib_per_hour(after)
    start, end = after[0]["rss_kib"] / 1024, after[-1]["rss_kib"] / 1024
    step_limit = max(2.0, a.max_slope_mib_h / 4)
    passes = int(samples[-1]["pass"])
    print(f"soak: {passes} passes, {len(samples)} samples; warm-up until {warm_end:.0f} s")
    print(f"soak: RSS after warm-up {start:.1f} MiB, at the end {end:.1f} MiB "
          f"(bare window {bare_kib / 1024:.1f} MiB); slope {slope:+.2f} MiB/hour "
          f"(limit {a.max_slope_mib_h:g}) over {(after[-1]['t_s'] - after[0]['t_s']) / 60:.1f} minutes")
    print(f"soak: malloc's heap after warm-up {after[0]['heap_kib'] / 1024:.1f} MiB, at the end "
          f"{after[-1]['heap_kib'] / 1024:.1f} MiB; slope {slope_mib_per_hour(after, 'heap_kib'):+.2f} MiB/hour")
    problems = []
    if slope >= a.max_slope_mib_h:
        problems.append(f"RSS grows {slope:.2f} MiB/hour after warm-up (limit {a.max_slope_mib_h:g})")
    if end - start > step_limit:
        problems.append(f"RSS ended {end - start:.1f} MiB above its post-warm-up start (limit {step_limit:g})")
    for key in ("fds", "threads", "textures"):
        w, top, last = max(s[key] for s in warm), max(s[key] for s in after), after[-1][key]
        print(f"soak: {key}: warm-up max {w:.0f}, after warm-up max {top:.0f}, last {last:.0f}")
        if top > w:
            problems.append(f"{key} rose to {top:.0f} after warm-up (warm-up max {w:.0f})")
    if problems:
        fail("; ".join(problems))
    print("soak: PASS", flush=True)


if __name__ == "__main__":
    main()
