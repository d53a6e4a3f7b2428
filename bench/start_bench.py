#!/usr/bin/env python3
"""Start to first frame (issue 15 item 5): the kiosk beside the bare window, and optionally beside
another kiosk build (e.g. the previous commit), interleaved in one run.

usage: bench/start_bench.py BUILD_DIR [--compare OTHER_KIOSK] [--runs N] [--data-dir DIR]

Each program runs with --exit-after-first-frame under a private Xvfb on Mesa's software OpenGL,
1920x1080, config/demo.toml: it renders and presents its first frame, glFinish, prints the
CLOCK_MONOTONIC reading at that moment (first_frame_clock_ms) and exits. Two figures per run:
  start to first frame   the clock just before the spawn to the first frame presented: what
                         item 5 budgets (within 1.2x the bare window);
  spawn to exit          as bench/shell_bench.py's (a) and this script until 2026-12-05: the
                         same plus tearing everything down.
Two baselines (bench/bare_window.cpp): "bare_window" draws its small ImGui window with a line of
text in its first frame, as its header says; "bare_blank" is the same program as it ran until
2026-12-05 (--blank-first-frame): ImGui hides a new auto-sized window for one frame, so its first
frame is only cleared and llvmpipe compiles none of its drawing code (about 20 ms here).
One untimed warm-up run each, then N rounds (default 15) in a rotating order; medians, and each
kiosk's ratios to both baselines. --data-dir keeps the kiosks' data directory (e.g. a copy of a
store of 100,000 people); the default is a fresh temporary one per kiosk.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shell_bench import WINDOW, BenchError, Program, loadavg, machine, software_gl_display  # noqa: E402

BUDGET = 1.2
BASELINES = ("bare_window", "bare_blank")


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


def first_frame_ms(prog, kv):
    """Spawn to the first frame presented, from the clock readings of the bench and the child;
    checks that the first frame drew what the program's role says (a baseline that silently
    stopped drawing, or started to, would change every ratio)."""
    for key in ("first_frame_clock_ms", "first_frame_vertices"):
        if key not in kv:
            raise BenchError(f"{prog.name} printed no {key}")
    must_draw = prog.name != "bare_blank"
    if (kv["first_frame_vertices"] > 0) != must_draw:
        raise BenchError(f"{prog.name}: its first frame drew {kv['first_frame_vertices']:.0f} vertices; "
                         f"it must {'show something' if must_draw else 'be empty'}")
    ms = kv["first_frame_clock_ms"] - kv["spawn_clock_ms"]
    if not 0 < ms < 120000:
        raise BenchError(f"{prog.name}: first frame {ms:.1f} ms after the spawn: not one clock?")
    return ms


def measure(args, build, temp):
    with software_gl_display() as (_, env):
        def kiosk(name, path):
            data = args.data_dir or tempfile.mkdtemp(prefix=f"start-{name}-")
            if not args.data_dir:
                temp.append(data)
            return Program(name, [path, "--config", "config/demo.toml", "--data-dir", data,
                                  "--windowed", WINDOW], env)

        bare = os.path.join(build, "bench", "bare_window")
        progs = [kiosk("kiosk", os.path.join(build, "kiosk", "app", "kiosk")),
                 Program("bare_window", [bare, "--windowed", WINDOW], env),
                 Program("bare_blank", [bare, "--windowed", WINDOW, "--blank-first-frame"], env)]
        if args.compare:
            progs.append(kiosk("compare", os.path.abspath(args.compare)))
        load0 = loadavg()
        for p in progs:
            p.run(["--exit-after-first-frame"], timeout=120)
        first = {p.name: [] for p in progs}
        whole = {p.name: [] for p in progs}
        for i in range(args.runs):
            order = progs[i % len(progs):] + progs[:i % len(progs)]
            for p in order:
                w, kv = p.run(["--exit-after-first-frame"], timeout=120)
                first[p.name].append(first_frame_ms(p, kv))
                whole[p.name].append(w * 1000.0)
        print(f"start_bench: {machine()}; load before {load0}, after {loadavg()}; {args.runs} rounds")
        for title, data, budgeted in (("start to first frame", first, True), ("spawn to exit", whole, False)):
            med = {n: statistics.median(v) for n, v in data.items()}
            print(f" {title} (median ms):")
            for n, v in data.items():
                extra = ""
                if n not in BASELINES:
                    ratios = [med[n] / med[b] for b in BASELINES]
                    extra = f"  {ratios[0]:.2f}x bare_window, {ratios[1]:.2f}x bare_blank"
                    if budgeted:
                        extra += f" (budget {BUDGET}x bare_window: {'pass' if ratios[0] <= BUDGET else 'FAIL'})"
                print(f"  {n:12s} {med[n]:7.1f}  (min {min(v):.0f}, max {max(v):.0f}){extra}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
