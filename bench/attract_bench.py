#!/usr/bin/env python3
"""Attract loop benchmark (issue 15 item 4): CPU of an untouched kiosk averaged over whole slides.

usage: bench/attract_bench.py KIOSK [--compare OTHER_KIOSK] [--slides N] [--burn N]

KIOSK (and OTHER_KIOSK, e.g. a build of the previous commit: the baseline of the same run) run
side by side under one private Xvfb on Mesa's software OpenGL (as bench/shell_bench.py does),
1920x1080, with config/demo.toml and a data directory each. Each first runs 8 s untouched
(warm-up: page cache, fonts, the pictures' sized copies a kiosk makes once), then starts again on
the same data directory and is left untouched for N slides (default 10 x 20 s) plus 2 s;
measured: utime+stime of the whole process (llvmpipe threads included) from /proc, as % of one
core, from 2 s after the start to the end. --burn N adds N processes spinning on the CPU for the
whole run (the load of a parallel build). Budget (DESIGN.md, issue 15): under 0.5% of a core.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shell_bench import ROOT, WINDOW, BenchError, loadavg, machine, proc_cpu_s, software_gl_display  # noqa: E402

SLIDE_S = 20.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kiosk")
    ap.add_argument("--compare", metavar="OTHER_KIOSK")
    ap.add_argument("--slides", type=int, default=10)
    ap.add_argument("--burn", type=int, default=0)
    args = ap.parse_args()
    bins = [("kiosk", os.path.abspath(args.kiosk))]
    if args.compare:
        bins.append(("compare", os.path.abspath(args.compare)))
    burners, procs, dirs = [], [], []
    try:
        with software_gl_display() as (display, env):
            return measure(args, bins, env, display, burners, procs, dirs)
    except BenchError as e:
        print(f"attract_bench: {e}", file=sys.stderr)
        return 2
    finally:
        for p in procs + burners:
            if p.poll() is None:
                p.kill()
                p.wait()
        for d in dirs:
            shutil.rmtree(d, ignore_errors=True)


def measure(args, bins, env, display, burners, procs, dirs):
    for _ in range(args.burn):
        burners.append(subprocess.Popen([sys.executable, "-c", "while True: pass"]))
    print(f"attract_bench: Xvfb {display}; {machine()}; load {loadavg()}; burners {args.burn}",
          flush=True)

    def spawn(path, data):
        return subprocess.Popen([path, "--config", "config/demo.toml", "--data-dir", data,
                                 "--windowed", WINDOW], cwd=ROOT, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    for name, path in bins:
        dirs.append(tempfile.mkdtemp(prefix=f"attract-{name}-"))
    warm = [spawn(path, d) for (name, path), d in zip(bins, dirs)]
    time.sleep(8)
    for p in warm:
        p.terminate()
        p.wait(timeout=10)
    procs.extend(spawn(path, d) for (name, path), d in zip(bins, dirs))
    time.sleep(2)
    for p in procs:
        if p.poll() is not None:
            raise BenchError(f"a kiosk exited by itself ({p.returncode})")
    c0 = [proc_cpu_s(p.pid) for p in procs]
    t0 = time.monotonic()
    time.sleep(args.slides * SLIDE_S)
    c1 = [proc_cpu_s(p.pid) for p in procs]
    t1 = time.monotonic()
    pct = [100.0 * (b - a) / (t1 - t0) for a, b in zip(c0, c1)]
    print(f"load average at the end {loadavg()}")
    for (name, path), v in zip(bins, pct):
        verdict = "pass" if v < 0.5 else "FAIL"
        print(f"{name}: {path}: {v:.3f}% of one core over {args.slides} slides "
              f"({t1 - t0:.0f} s); budget 0.5%: {verdict}")
    if len(pct) == 2 and pct[1] > 0:
        print(f"ratio kiosk / compare: {pct[0] / pct[1]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
