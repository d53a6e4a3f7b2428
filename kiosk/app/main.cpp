// kiosk — the Roadshow Kiosk executable: parses the command line and runs the App.
#include "app.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

const char* kUsage =
    "usage: kiosk [options]\n"
    "  --config FILE          configuration (TOML); default ~/.config/roadshow-kiosk/kiosk.toml\n"
    "  --pack DIR             content pack folder (overrides the config)\n"
    "  --data-dir DIR         where the kiosk keeps its SQLite store (overrides the config)\n"
    "  --windowed WxH         a window of that size instead of fullscreen (development)\n"
    "  --fullscreen           fullscreen even if the config says otherwise\n"
    "  --screenshot FILE.png  render the first screen to FILE.png and exit\n"
    "  --script FILE          run a harness script (taps, waits, assertions) and exit\n"
    "  --layout-audit         with --script: fail on clipped, overflowing or overlapping text,\n"
    "                         small touch targets, avoidable ellipses, low contrast\n"
    "  --script-loop SECONDS  with --script: run it in real time, again and again, that long (soak)\n"
    "  --script-pace MS       with --script-loop: real time after each tap, key or drag (1500)\n"
    "  --metrics FILE         with --script-loop: RSS, fds, threads, textures every 10 s to FILE\n"
    "  --metrics-every S      sample every S seconds instead (0.5 to 3600)\n"
    "  --add-staff NAME [--role staff|supervisor]   add a staff account; PIN on stdin\n"
    "  --set-pin NAME         a new PIN (on stdin) for that staff account, e.g. a forgotten one\n"
    "  --import-organizations FILE.csv   load headquarters' organization directory, exit\n"
    "  --health               print the kiosk's health (JSON: disk, store, sync, pack...), exit;\n"
    "                         exit code 1 when staff have something to act on\n"
    "  --backup DIR           copy the store into DIR, encrypted to headquarters, and verify it\n"
    "  --backup-unencrypted DIR   the same for a kiosk not enrolled yet: a plain copy (keep it safe)\n"
    "  --restore FILE         restore a backup (a plain or `hq backup open`ed store) into a new\n"
    "                         --data-dir; asks to type RESTORE unless --yes\n"
    "  --enroll FILE          load headquarters' enrollment file (from `hq enroll`), exit\n"
    "  --sync-now             send what headquarters has not confirmed, over HTTP, exit\n"
    "  --export-bundle DIR    write those records as bundles into DIR (a USB stick), exit\n"
    "  --import-receipt FILE  apply headquarters' receipt (a file, or a folder of *.rkr), exit\n"
    "  --import-downlink FILE apply headquarters' package (organizations, events, settings), exit\n"
    "  --install-pack FILE    install a content pack file signed by headquarters (hq pack build), exit\n"
    "  --rollback-pack        go back to the content pack installed before the current one, exit\n"
    "  --exit-after-first-frame, --bench-frames N, --frame-stats   benchmarks (see bench/)\n"
    "  --version              print the version and exit\n"
    "Headless: SDL_VIDEODRIVER=offscreen (or run under xvfb-run).\n"
    "Files: the config falls back to /etc/roadshow-kiosk/kiosk.toml (the Debian package's);\n"
    "the store and the log (kiosk.log, kiosk.log.1) live in the data directory.\n"
    "SIGTERM or SIGINT stop the kiosk cleanly (exit 0); in kiosk mode (fullscreen) no key or\n"
    "window close request does.\n";

bool parse_size(const char* s, int* w, int* h) {
  return std::sscanf(s, "%dx%d", w, h) == 2 && *w >= 320 && *h >= 320 && *w <= 16384 &&
         *h <= 16384;
}

}  // namespace

int main(int argc, char** argv) {
  kiosk::platform::tune_allocator();  // large frees go back to the system (platform.h)
  kiosk::app::Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "kiosk: %s needs a value\n%s", a.c_str(), kUsage);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--config") o.config_path = value();
    else if (a == "--pack") o.pack_override = value();
    else if (a == "--data-dir") o.data_dir_override = value();
    else if (a == "--windowed") {
      const char* v = value();
      if (!parse_size(v, &o.windowed_w, &o.windowed_h)) {
        std::fprintf(stderr, "kiosk: --windowed expects WxH (e.g. 1280x800), got '%s'\n", v);
        return 2;
      }
    } else if (a == "--fullscreen") o.force_fullscreen = true;
    else if (a == "--screenshot") o.screenshot_path = value();
    else if (a == "--script") o.script_path = value();
    else if (a == "--exit-after-first-frame") o.exit_after_first_frame = true;
    else if (a == "--bench-frames") o.bench_frames = std::atoi(value());
    else if (a == "--add-staff") o.add_staff_name = value();
    else if (a == "--import-organizations") o.import_organizations = value();
    else if (a == "--set-pin") o.set_pin_name = value();
    else if (a == "--health") o.health = true;
    else if (a == "--backup") o.backup_dir = value();
    else if (a == "--backup-unencrypted") {
      o.backup_dir = value();
      o.backup_unencrypted = true;
    } else if (a == "--restore") o.restore_file = value();
    else if (a == "--yes") o.assume_yes = true;
    else if (a == "--enroll") o.enroll_file = value();
    else if (a == "--sync-now") o.sync_now = true;
    else if (a == "--export-bundle") o.export_bundle_dir = value();
    else if (a == "--import-receipt") o.import_receipt = value();
    else if (a == "--import-downlink") o.import_downlink = value();
    else if (a == "--install-pack") o.install_pack = value();
    else if (a == "--rollback-pack") o.rollback_pack = true;
    else if (a == "--frame-stats") o.frame_stats = true;
    else if (a == "--layout-audit") o.layout_audit = true;
    else if (a == "--script-loop" || a == "--script-pace" || a == "--metrics-every") {
      // The soak's numbers (script.h R1-R5): seconds, milliseconds, seconds.
      const bool every = a == "--metrics-every";
      const double lo = every ? 0.5 : 1e-3, hi = every ? 3600 : 1e7;
      const char* v = value();
      char* end = nullptr;
      const double d = std::strtod(v, &end);
      if (end == v || *end != '\0' || !(d >= lo && d <= hi)) {
        std::fprintf(stderr, "kiosk: %s expects a number from %g to %g, got '%s'\n", a.c_str(), lo, hi, v);
        return 2;
      }
      (every ? o.metrics_every_s : a == "--script-loop" ? o.script_loop_s : o.script_pace_ms) = d;
    } else if (a == "--metrics") o.metrics_path = value();
    else if (a == "--role") {
      o.add_staff_role = value();
      if (o.add_staff_role != "staff" && o.add_staff_role != "supervisor") {
        std::fprintf(stderr, "kiosk: --role must be staff or supervisor\n");
        return 2;
      }
    }
    else if (a == "--version") {
      std::printf("kiosk %s\n", KIOSK_VERSION);
      return 0;
    } else if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      std::fprintf(stderr, "kiosk: unknown option '%s'\n%s", a.c_str(), kUsage);
      return 2;
    }
  }
  if ((o.script_loop_s > 0 || !o.metrics_path.empty()) && o.script_path.empty()) {
    std::fprintf(stderr, "kiosk: --script-loop and --metrics need --script FILE\n");
    return 2;
  }
  if (!o.metrics_path.empty() && o.script_loop_s <= 0) {
    std::fprintf(stderr, "kiosk: --metrics needs --script-loop SECONDS (samples are taken in real time)\n");
    return 2;
  }
  kiosk::app::App app(std::move(o));
  return app.run();
}
