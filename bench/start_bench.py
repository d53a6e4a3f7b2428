#!/usr/bin/env python3
"""Start to first frame (issue 15 item 5): the kiosk beside the bare window, and optionally beside
another kiosk build (e.g. the previous commit), interleaved in one run.

usage: bench/start_bench.py BUILD_DIR [--compare OTHER_KIOSK] [--runs N] [--data-dir DIR]

Measured as bench/shell_bench.py's (a): wall clock from spawn to exit with
--exit-after-first-frame (render, present, glFinish, exit) under a private Xvfb on Mesa's
software OpenGL, 1920x1080, config/demo.toml; one untimed warm-up run each, then N rounds
(default 15) in a rotating order; medians and each kiosk's ratio to the bare window.
--data-dir keeps the kiosks' data directory (e.g. a copy of a store of 100,000 people);
the default is a fresh temporary one per kiosk. Budget (issue 15): within 1.2x the bare window.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shell_bench import WINDOW, BenchError, Program, loadavg, machine, software_gl_display  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build_dir")
    ap.add_argument("--compare", metavar="OTHER_KIOSK")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--data-dir")
    args = ap.parse_args()
    build = os.path.abspath(args.build_dir)
    temp = []
    try:
        return measure(args, build, temp)
    except BenchError as e:
        print(f"start_bench: {e}", file=sys.stderr)
        return 2
    finally:
        for d in temp:
            shutil.rmtree(d, ignore_errors=True)


def measure(args, build, temp):
    with software_gl_display() as (_, env):
        def kiosk(name, path):
            data = args.data_dir or tempfile.mkdtemp(prefix=f"start-{name}-")
            if not args.data_dir:
                temp.append(data)
            return Program(name, [path, "--config", "config/demo.toml", "--data-dir", data,
                                  "--windowed", WINDOW], env)

        progs = [kiosk("kiosk", os.path.join(build, "kiosk", "app", "kiosk")),
                 Program("bare_window", [os.path.join(build, "bench", "bare_window"), "--windowed", WINDOW], env)]
        if args.compare:
            progs.append(kiosk("compare", os.path.abspath(args.compare)))
        load0 = loadavg()
        for p in progs:
            p.run(["--exit-after-first-frame"], timeout=120)
        wall = {p.name: [] for p in progs}
        for i in range(args.runs):
            order = progs[i % len(progs):] + progs[:i % len(progs)]
            for p in order:
                w, _ = p.run(["--exit-after-first-frame"], timeout=120)
                wall[p.name].append(w * 1000.0)
        med = {n: statistics.median(v) for n, v in wall.items()}
        print(f"start_bench: {machine()}; load before {load0}, after {loadavg()}; {args.runs} rounds")
        for n, v in wall.items():
            r = med[n] / med["bare_window"]
            extra = "" if n == "bare_window" else f"  {r:.2f}x bare window (budget 1.2x: {'pass' if r <= 1.2 else 'FAIL'})"
            print(f"  {n:12s} median {med[n]:7.1f} ms  (min {min(v):.0f}, max {max(v):.0f}){extra}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
