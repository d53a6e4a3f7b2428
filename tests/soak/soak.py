#!/usr/bin/env python3
"""The soak: a compressed kiosk day under Xvfb, and its verdict (issue 14 item 7; TESTING.md "Soak").

    soak.py --kiosk BIN --seeder BIN --bare BIN --work DIR --minutes M [--warmup-minutes W]
            [--max-slope-mib-h S] [--max-step-mib M] [--pace-ms P]
    soak.py --analyse METRICS [--warmup-minutes W] [--max-slope-mib-h S] [--max-step-mib M]
            (judge a metrics file again, rules 3-4; no baseline then)

Contract:
 1. The kiosk runs the real loop in real time (kiosk --script-loop, script.h R1-R5) on
    tests/soak/day.script, on a fresh store (a supervisor, PIN 1234; seed_demo_people's event),
    in a 1920x1080 window on a private Xvfb with Mesa's software GL (never SDL's offscreen
    driver: its llvmpipe allocations grow on their own). It writes a sample every 10 s (--sample-s)
    (soak_metrics.h); each sample is printed here as it arrives.
 2. The baseline, measured in the same run on the same Xvfb: the bare SDL + GL + ImGui window
    (bench/bare_window.cpp) rendering 600 frames; its peak RSS is printed beside the kiosk's.
 3. Warm-up: the script's first pass, and at least W minutes (every screen, language, font and
    picture of the day has been met once by then; caches and the allocator settle).
 4. Verdict (fails with the reason, exit 1). A pass repeats the same day, so RSS is compared
    like with like: each complete pass after warm-up gives its floor (lowest sample) and its
    peak (highest); pictures decoded and dropped within a pass swing RSS by ~10 MiB, which
    comparing all samples would take for growth or hide.
    a. the least-squares slope of the floors against time is under S MiB/hour, and the last
       complete pass's floor is at most --max-step-mib (default 2) above the first's (a
       staircase the slope would average away). Peaks are printed, not judged: a sample every
       10 s catches a pass's pictures at different moments, so peaks scatter by several MiB;
    b. fds, threads and live textures: the last complete pass's floor is no higher than the
       first's (a leak of any of them raises every floor; the image cache's count swings
       within a pass, and a pool that starts lazily starts during the first pass);
    c. the kiosk exited 0 (every expect of every pass held), with at least 2 complete passes
       after warm-up.
    The slope over every sample after warm-up is printed too (the issue's "RSS growth per hour").
 5. Exit 0 only on a pass verdict; a tool that is missing (Xvfb) fails, never skips. SIGTERM or
    Ctrl-C stops the kiosk and Xvfb and fails ("interrupted").
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


def judge(samples, bare_kib, a):
    """Rules 3 and 4; exits 1 on a fail."""
    first_pass_end = next((s["t_s"] for s in samples if s["pass"] >= 2), None)
    if first_pass_end is None:
        fail(f"the script's first pass did not end within {a.minutes:g} minutes")
    warm_end = max(a.warmup_minutes * 60, first_pass_end)
    warm = [s for s in samples if s["t_s"] < warm_end]
    after = [s for s in samples if s["t_s"] >= warm_end]
    last_pass = int(samples[-1]["pass"])
    passes = []  # (mid time, floor MiB, peak MiB, number) of complete passes wholly after warm-up
    for n in range(2, last_pass):
        mine = [s for s in samples if s["pass"] == n]
        if mine and mine[0]["t_s"] >= warm_end:
            rss = [s["rss_kib"] / 1024 for s in mine]
            passes.append(((mine[0]["t_s"] + mine[-1]["t_s"]) / 2, min(rss), max(rss), n))
    if len(passes) < 2:
        fail(f"only {len(passes)} complete passes after the warm-up ({warm_end:.0f} s): run longer")

    def slope(points):
        xs, ys = [p[0] / 3600 for p in points], [p[1] for p in points]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0

    floor_slope = slope([(p[0], p[1]) for p in passes])
    peak_slope = slope([(p[0], p[2]) for p in passes])
    all_slope = slope([(s["t_s"], s["rss_kib"] / 1024) for s in after])
    step = passes[-1][1] - passes[0][1]
    print(f"soak: {last_pass} passes, {len(samples)} samples; warm-up until {warm_end:.0f} s; "
          + (f"baseline (bare window) {bare_kib / 1024:.1f} MiB" if bare_kib else "no baseline (--analyse)"))
    print("soak: complete passes after warm-up (RSS floor / peak, MiB): " +
          ", ".join(f"#{p[3]} {p[1]:.1f}/{p[2]:.1f}" for p in passes))
    print(f"soak: RSS at the end of warm-up {after[0]['rss_kib'] / 1024:.1f} MiB, at the end "
          f"{after[-1]['rss_kib'] / 1024:.1f} MiB; slopes over {(passes[-1][0] - passes[0][0]) / 60:.1f} "
          f"minutes: floors {floor_slope:+.2f}, peaks {peak_slope:+.2f} MiB/hour (limit {a.max_slope_mib_h:g}); "
          f"every sample {all_slope:+.2f} MiB/hour")
    print(f"soak: malloc's heap after warm-up {after[0]['heap_kib'] / 1024:.1f} MiB, at the end "
          f"{after[-1]['heap_kib'] / 1024:.1f} MiB; slope {slope_mib_per_hour(after, 'heap_kib'):+.2f} MiB/hour")
    problems = []
    if floor_slope >= a.max_slope_mib_h:
        problems.append(f"RSS grows after warm-up: the passes' floors rise {floor_slope:+.2f} MiB/hour "
                        f"(limit {a.max_slope_mib_h:g})")
    if step > a.max_step_mib:
        problems.append(f"the last pass's RSS floor is {step:.1f} MiB above the first's after warm-up "
                        f"(limit {a.max_step_mib:g})")
    for key in ("fds", "threads", "textures"):
        floors = [min(s[key] for s in samples if s["pass"] == p[3]) for p in passes]
        w, top = max(s[key] for s in warm), max(s[key] for s in after)
        print(f"soak: {key}: warm-up max {w:.0f}, after warm-up max {top:.0f}, last {after[-1][key]:.0f}; "
              f"floors of the passes " + " ".join(f"{f:.0f}" for f in floors))
        if floors[-1] > floors[0]:
            problems.append(f"{key} grow: the floor of pass {passes[-1][3]} is {floors[-1]:.0f}, "
                            f"of pass {passes[0][3]} {floors[0]:.0f}")
    if problems:
        fail("; ".join(problems))
    print("soak: PASS", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kiosk")
    ap.add_argument("--seeder")
    ap.add_argument("--bare")
    ap.add_argument("--work")
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--warmup-minutes", type=float, default=2.0)
    ap.add_argument("--max-slope-mib-h", type=float, default=1.0)
    ap.add_argument("--max-step-mib", type=float, default=2.0)
    ap.add_argument("--analyse", metavar="METRICS", help="judge an existing metrics file (no run)")
    ap.add_argument("--pace-ms", type=float, default=1500)
    ap.add_argument("--sample-s", type=float, default=10, help="seconds between samples (kiosk --metrics-every)")
    ap.add_argument("--script", default=os.path.join(HERE, "day.script"))
    ap.add_argument("--config", default=os.path.join(HERE, "soak.toml"))
    a = ap.parse_args()

    if not a.analyse and not (a.kiosk and a.seeder and a.bare and a.work):
        ap.error("--kiosk, --seeder, --bare and --work are needed (or --analyse METRICS)")
    if a.analyse:
        judge(read_samples(a.analyse, 0, lambda s: None), 0, a)
        return
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

    def interrupted(signum, frame):
        raise KeyboardInterrupt  # the kiosk and Xvfb are stopped on the way out
    signal.signal(signal.SIGTERM, interrupted)
    xvfb, display = start_xvfb()
    env = dict(os.environ, DISPLAY=display, SDL_VIDEODRIVER="x11", LIBGL_ALWAYS_SOFTWARE="1")
    try:
        bare_kib = bare_window_rss(a.bare, env)
        print(f"soak: baseline: the bare window's RSS {bare_kib / 1024:.1f} MiB (Xvfb {display}, "
              "software GL)", flush=True)
        print(f"soak: {a.minutes:g} minutes of {os.path.basename(a.script)} at a {a.pace_ms:g} ms pace; "
              f"a sample every {a.sample_s:g} s:", flush=True)
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
                "--script-pace", str(a.pace_ms), "--metrics", metrics, "--metrics-every", str(a.sample_s)],
                env=env, stdout=log,
                stderr=subprocess.STDOUT)
            seen = 0
            try:
                while kiosk.poll() is None:
                    time.sleep(1)
                    seen = len(read_samples(metrics, seen, echo))
            except KeyboardInterrupt:
                kiosk.send_signal(signal.SIGTERM)
                kiosk.wait()
                fail("interrupted; the samples so far are in " + metrics)
            samples = read_samples(metrics, seen, echo)
    finally:
        xvfb.terminate()
        xvfb.wait()

    with open(log_path) as f:
        tail = f.read()[-2000:]
    if kiosk.returncode != 0:
        fail(f"the kiosk exited {kiosk.returncode}; its output ({log_path}):\n{tail}")
    judge(samples, bare_kib, a)


if __name__ == "__main__":
    main()
