#!/usr/bin/env python3
"""Shell benchmark (issue 2, item 9): the kiosk beside a bare SDL2 + OpenGL3 + ImGui window.

usage: bench/shell_bench.py [BUILD_DIR] [--markdown FILE] [--runs N] [--strict]

BUILD_DIR (default build/release) holds kiosk/app/kiosk and bench/bare_window. Both programs run
under a private Xvfb (started here on a free display, killed at the end) on Mesa's software
OpenGL (LIBGL_ALWAYS_SOFTWARE=1, llvmpipe), with the kiosk and the baseline interleaved so that
noise on the machine hits both. Measured, in one run:
  (a) start to first presented frame: wall clock from spawn to exit with
      --exit-after-first-frame (render, present, glFinish, exit), median of N runs each;
  (b) peak RSS: ru_maxrss (os.wait4) of a run that starts, renders and sits untouched for 3 s,
      then gets SIGTERM;
  (c) CPU over 10 s untouched: utime+stime from /proc/PID/stat, 2 s after the start and 10 s
      later, as % of one core;
  (d) a warm frame's CPU: the medians the programs print with --bench-frames 300 (the render
      thread's whole frame, GL calls included, and the UI work alone, both from
      CLOCK_THREAD_CPUTIME_ID), and, for information, the mean CPU of a frame over the whole
      process, Mesa's llvmpipe rasterizer threads included (from rusage).
Budgets (issue 2): untouched CPU <= 1% of one core (absolute), first frame <= 1.5x the baseline,
RSS <= baseline + 25 MiB; and from DESIGN.md, a warm frame's own UI work under 1 ms.
Python 3 standard library only. Exit status: 0 when everything was measured (budget misses are
reported, not fatal, unless --strict), 1 with --strict and a missed budget, 2 when a measurement
could not be made.
"""

import argparse
import contextlib
import datetime
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLK_TCK = os.sysconf("SC_CLK_TCK")
WINDOW = "1920x1080"


class BenchError(Exception):
    pass


# --- the virtual display ----------------------------------------------------------------------

class Xvfb:
    """A private Xvfb on a free display number; ready once it writes that number (-displayfd)."""

    def __init__(self):
        self.proc = None
        self.display = None

    def start(self):
        if not shutil.which("Xvfb"):
            raise BenchError("Xvfb is not installed (Debian package xvfb)")
        # Free display numbers only, away from the usual :0 and xvfb-run's :99 (other sessions on
        # the machine may be starting X servers of their own); Xvfb refuses a taken number.
        base = 110 + os.getpid() % 400
        last = ""
        for n in range(base, base + 60):
            if os.path.exists(f"/tmp/.X{n}-lock") or os.path.exists(f"/tmp/.X11-unix/X{n}"):
                continue
            try:
                return self._try(n)
            except BenchError as e:
                last = str(e)
        raise BenchError("Xvfb did not start on any free display: " + last)

    def _try(self, n):
        rfd, wfd = os.pipe()
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            ["Xvfb", f":{n}", "-displayfd", str(wfd), "-screen", "0", WINDOW + "x24",
             "-nolisten", "tcp"],
            pass_fds=(wfd,), stdout=self.log, stderr=self.log, start_new_session=True)
        os.close(wfd)
        data = b""
        deadline = time.monotonic() + 20
        os.set_blocking(rfd, False)
        while not data.endswith(b"\n"):  # Xvfb writes the number once it accepts clients
            if time.monotonic() > deadline or self.proc.poll() is not None:
                os.close(rfd)
                self.stop()
                self.log.seek(0)
                raise BenchError(self.log.read().decode(errors="replace").strip())
            try:
                chunk = os.read(rfd, 64)
                if not chunk:
                    time.sleep(0.02)
                data += chunk
            except BlockingIOError:
                time.sleep(0.02)
        os.close(rfd)
        self.display = ":" + data.decode().strip()
        return self.display

    def cpu_s(self):
        return proc_cpu_s(self.proc.pid)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@contextlib.contextmanager
def software_gl_display():
    """A private Xvfb for the block, and the environment that puts a program on it with Mesa's
    software OpenGL (bench/attract_bench.py, bench/start_bench.py)."""
    xvfb = Xvfb()
    try:
        display = xvfb.start()
        env = dict(os.environ, DISPLAY=display, LIBGL_ALWAYS_SOFTWARE="1", SDL_VIDEODRIVER="x11")
        env.pop("WAYLAND_DISPLAY", None)
        yield display, env
    finally:
        xvfb.stop()


# --- helpers ----------------------------------------------------------------------------------

def proc_cpu_s(pid):
    """utime + stime of a whole process (all its threads), in seconds, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "; fields[0] is field 3
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 (utime) and 15 (stime)


def parse_kv(text):
    out = {}
    for line in text.splitlines():
        if "=" in line:
            k, _, v = line.partition("=")
            try:
                out[k.strip()] = float(v)
            except ValueError:
                pass
    return out


def exit_description(status):
    if os.WIFSIGNALED(status):
        return "killed by " + signal.Signals(os.WTERMSIG(status)).name
    return f"exit {os.WEXITSTATUS(status)}"


class Program:
    def __init__(self, name, argv, env):
        self.name = name
        self.argv = argv
        self.env = env

    def spawn(self, extra, stdout=subprocess.PIPE, stderr=subprocess.PIPE):
        return subprocess.Popen(self.argv + extra, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                                stdout=stdout, stderr=stderr, text=True)

    def run(self, extra, timeout):
        """Run to completion; returns (wall seconds from spawn to exit, parsed stdout). The
        CLOCK_MONOTONIC reading just before the spawn is added as "spawn_clock_ms". The
        child's CPU over its whole life, all threads (Mesa's llvmpipe workers included), is
        added to the dict as "process_cpu_s" (the RUSAGE_CHILDREN delta; runs are sequential
        and Xvfb, the only other child, is reaped only at the end)."""
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        spawn_clock_ms = time.clock_gettime(time.CLOCK_MONOTONIC) * 1000.0  # the children's clock
        p = self.spawn(extra)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            raise BenchError(f"{self.name} {' '.join(extra)}: no exit within {timeout} s")
        wall = time.perf_counter() - t0
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0:
            raise BenchError(f"{self.name} {' '.join(extra)}: exit {p.returncode}\n{err.strip()}")
        kv = parse_kv(out)
        kv["process_cpu_s"] = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
        kv["spawn_clock_ms"] = spawn_clock_ms
        return wall, kv

    def run_untouched(self, seconds_before, seconds_measured, xvfb=None):
        """Start normally, leave it alone, SIGTERM it. Returns a dict: cpu_pct (over
        seconds_measured, after seconds_before), xvfb_cpu_pct, maxrss_mib, exit."""
        errlog = tempfile.TemporaryFile(mode="w+")  # not a pipe: nobody reads it while it runs
        p = self.spawn([], stdout=subprocess.DEVNULL, stderr=errlog)
        result = {}
        try:
            time.sleep(seconds_before)
            if p.poll() is not None:
                errlog.seek(0)
                raise BenchError(f"{self.name} exited by itself ({p.returncode}) while untouched:\n"
                                 + errlog.read().strip())
            if seconds_measured > 0:
                c0, x0, t0 = proc_cpu_s(p.pid), xvfb.cpu_s() if xvfb else 0, time.monotonic()
                time.sleep(seconds_measured)
                c1, x1, t1 = proc_cpu_s(p.pid), xvfb.cpu_s() if xvfb else 0, time.monotonic()
                result["cpu_pct"] = 100.0 * (c1 - c0) / (t1 - t0)
                result["xvfb_cpu_pct"] = 100.0 * (x1 - x0) / (t1 - t0)
            p.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            while True:
                pid, status, rusage = os.wait4(p.pid, os.WNOHANG)
                if pid == p.pid:
                    break
                if time.monotonic() > deadline:
                    p.kill()
                    pid, status, rusage = os.wait4(p.pid, 0)
                    result["sigterm_ignored"] = True
                    break
                time.sleep(0.02)
            p.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
            result["exit"] = exit_description(status)
            result["maxrss_mib"] = rusage.ru_maxrss / 1024.0  # KiB on Linux
            return result
        finally:
            if p.returncode is None:
                p.kill()
                p.wait()
            errlog.close()


def fmt(v, digits=1):
    return "—" if v is None else f"{v:.{digits}f}"


def ratio(a, b):
    return None if (a is None or b is None or b == 0) else a / b


# --- the benchmark ----------------------------------------------------------------------------

def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}"


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build_dir", nargs="?", default="build/release")
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as markdown to FILE")
    ap.add_argument("--runs", type=int, default=7, help="first-frame runs per program (default 7)")
    ap.add_argument("--frames", type=int, default=300, help="warm frames (default 300)")
    ap.add_argument("--idle-s", type=float, default=10.0, help="untouched CPU window (default 10)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a budget is missed")
    args = ap.parse_args()

    build = os.path.abspath(args.build_dir)
    kiosk_bin = os.path.join(build, "kiosk", "app", "kiosk")
    bare_bin = os.path.join(build, "bench", "bare_window")
    for b in (kiosk_bin, bare_bin):
        if not os.access(b, os.X_OK):
            print(f"shell_bench: {b} is missing; build it first (./dev bench builds build/release)",
                  file=sys.stderr)
            return 2

    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = loadavg()
    xvfb = Xvfb()
    data_dir = tempfile.mkdtemp(prefix="kiosk-bench-")
    try:
        display = xvfb.start()
        env = dict(os.environ)
        env.update(DISPLAY=display, LIBGL_ALWAYS_SOFTWARE="1", SDL_VIDEODRIVER="x11")
        env.pop("WAYLAND_DISPLAY", None)
        kiosk = Program("kiosk", [kiosk_bin, "--config", "config/demo.toml", "--data-dir", data_dir,
                                  "--windowed", WINDOW], env)
        bare = Program("bare_window", [bare_bin, "--windowed", WINDOW], env)
        pair = (kiosk, bare)
        print(f"shell_bench: Xvfb on {display}, Mesa software GL, window {WINDOW}; "
              f"{machine()}; load {load_before}", flush=True)
        if float(load_before.split()[0]) > 0.5 * (os.cpu_count() or 1):
            print("shell_bench: warning: the machine is busy (load average above half the CPUs); "
                  "the ratios are noisier than usual", flush=True)

        # Warm-up (not measured): page cache, font caches, the kiosk's SQLite file.
        for prog in pair:
            prog.run(["--exit-after-first-frame"], timeout=60)

        # (a) start to first presented frame, interleaved; the order alternates every round.
        wall = {p.name: [] for p in pair}
        inproc = {p.name: [] for p in pair}
        startcpu = {p.name: [] for p in pair}
        for i in range(args.runs):
            for prog in (pair if i % 2 == 0 else pair[::-1]):
                w, kv = prog.run(["--exit-after-first-frame"], timeout=60)
                wall[prog.name].append(w * 1000.0)
                inproc[prog.name].append(kv.get("first_frame_ms", float("nan")))
                startcpu[prog.name].append(kv["process_cpu_s"])
        print("  (a) first frame, wall ms: " + "; ".join(
            f"{n} {', '.join(f'{v:.0f}' for v in wall[n])}" for n in wall), flush=True)

        # (b) peak RSS after 3 s untouched, then SIGTERM.
        rss = {}
        for prog in pair:
            rss[prog.name] = prog.run_untouched(3.0, 0)
        print("  (b) peak RSS: " + "; ".join(
            f"{n} {r['maxrss_mib']:.1f} MiB ({r['exit']} on SIGTERM)" for n, r in rss.items()),
            flush=True)

        # (c) CPU over 10 s untouched, 2 s after the start. Sequential, so the baseline's
        # spinning loop does not steal the kiosk's CPU (or the X server's).
        idle = {}
        for prog in pair:
            idle[prog.name] = prog.run_untouched(2.0, args.idle_s, xvfb)
        print("  (c) untouched CPU: " + "; ".join(
            f"{n} {r['cpu_pct']:.2f}% (X server {r['xvfb_cpu_pct']:.2f}%)"
            for n, r in idle.items()), flush=True)

        # (d) warm frames, interleaved, 3 rounds; the median of the programs' medians.
        frame = {p.name: [] for p in pair}
        ui = {p.name: [] for p in pair}
        benchcpu = {p.name: [] for p in pair}
        for i in range(3):
            for prog in (pair if i % 2 == 0 else pair[::-1]):
                _, kv = prog.run(["--bench-frames", str(args.frames)], timeout=300)
                if "frame_cpu_median_us" not in kv:
                    raise BenchError(f"{prog.name} printed no frame_cpu_median_us")
                frame[prog.name].append(kv["frame_cpu_median_us"])
                ui[prog.name].append(kv.get("frame_ui_cpu_median_us"))
                benchcpu[prog.name].append(kv["process_cpu_s"])
        print("  (d) warm frame CPU µs (whole / UI): " + "; ".join(
            f"{n} {', '.join(f'{a:.0f}/{b:.0f}' for a, b in zip(frame[n], ui[n]))}"
            for n in frame), flush=True)
    except BenchError as e:
        print(f"shell_bench: {e}", file=sys.stderr)
        return 2
    finally:
        xvfb.stop()
        shutil.rmtree(data_dir, ignore_errors=True)

    med = statistics.median
    k, b = "kiosk", "bare_window"
    rows = []  # metric, kiosk, baseline, ratio, budget, verdict

    ff_k, ff_b = med(wall[k]), med(wall[b])
    r = ratio(ff_k, ff_b)
    rows.append((f"Start to first presented frame, ms (median of {args.runs})", fmt(ff_k, 0),
                 fmt(ff_b, 0), f"{r:.2f}x", "≤ 1.5x baseline", "pass" if r <= 1.5 else "FAIL"))

    rk, rb = rss[k]["maxrss_mib"], rss[b]["maxrss_mib"]
    r = ratio(rk, rb)
    rows.append(("Peak RSS after 3 s untouched, MiB", fmt(rk), fmt(rb),
                 f"{r:.2f}x ({rk - rb:+.1f} MiB)", "≤ baseline + 25 MiB",
                 "pass" if rk - rb <= 25.0 else "FAIL"))

    ck, cb = idle[k]["cpu_pct"], idle[b]["cpu_pct"]
    r = ratio(ck, cb)
    rows.append((f"CPU over {args.idle_s:g} s untouched, % of one core", fmt(ck, 2), fmt(cb, 2),
                 "—" if r is None else f"{r:.3f}x", "≤ 1% (absolute)",
                 "pass" if ck <= 1.0 else "FAIL"))

    fk, fb = med(frame[k]), med(frame[b])
    rows.append(("Warm frame CPU, render thread incl. GL calls, µs (median)", fmt(fk, 0),
                 fmt(fb, 0), f"{ratio(fk, fb):.2f}x", "— (info)", "—"))
    # Mean process CPU of a warm frame, every thread: (a --bench-frames run's CPU - the median
    # first-frame run's CPU) / frames. Under llvmpipe the rasterizer runs on worker threads that
    # CLOCK_THREAD_CPUTIME_ID on the render thread does not see.
    pk = (med(benchcpu[k]) - med(startcpu[k])) / args.frames * 1e6
    pb = (med(benchcpu[b]) - med(startcpu[b])) / args.frames * 1e6
    rows.append(("Warm frame CPU, whole process incl. llvmpipe threads, µs (mean)", fmt(pk, 0),
                 fmt(pb, 0), f"{ratio(pk, pb):.2f}x", "— (info)", "—"))
    if all(v is not None for v in ui[k] + ui[b]):
        uk, ub = med(ui[k]), med(ui[b])
        rows.append(("Warm frame CPU, UI work only (NewFrame..Render), µs (median)", fmt(uk, 0),
                     fmt(ub, 0), f"{ratio(uk, ub):.2f}x", "< 1000 µs (DESIGN.md)",
                     "pass" if uk < 1000.0 else "FAIL"))

    head = ("Metric", "Kiosk", "Baseline", "Ratio", "Budget", "Result")
    widths = [max(len(str(row[i])) for row in rows + [head]) for i in range(len(head))]
    print()
    for row in [head] + rows:
        print("  ".join(str(c).ljust(widths[i]) for i, c in enumerate(row)).rstrip())
    notes = [
        f"date {started.strftime('%Y-%m-%d %H:%M UTC')}; {machine()}; "
        f"load average before {load_before}, after {loadavg()}",
        "X server CPU while untouched: kiosk {:.2f}%, baseline {:.2f}% of one core".format(
            idle[k]["xvfb_cpu_pct"], idle[b]["xvfb_cpu_pct"]),
        "in-process first_frame_ms (median): kiosk {:.0f} (from App::init), baseline {:.0f} "
        "(from main)".format(med(inproc[k]), med(inproc[b])),
        f"on SIGTERM: kiosk {rss[k]['exit']}, baseline {rss[b]['exit']}",
        "peak RSS at the end of the {:g} s untouched-CPU run: kiosk {:.1f} MiB, baseline {:.1f} "
        "MiB".format(2 + args.idle_s, idle[k]["maxrss_mib"], idle[b]["maxrss_mib"]),
    ]
    print()
    for n in notes:
        print("note: " + n)

    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("| " + " | ".join(head) + " |\n")
            f.write("|" + "|".join(["---"] + ["---:"] * 3 + ["---", "---"]) + "|\n")
            for row in rows:
                f.write("| " + " | ".join(str(c) for c in row) + " |\n")
            f.write("\n")
            for n in notes:
                f.write(f"- {n}\n")

    failed = any(row[5] == "FAIL" for row in rows)
    return 1 if (failed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
