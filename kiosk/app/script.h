// kiosk/app/script.h — the headless harness's plain-text script language.
//
//   # a comment; blank lines are ignored
//   tap X Y | tap @widget-id            finger tap at logical coordinates or on a widget's centre
//   click X Y | click @widget-id        the same with the mouse
//   longpress X Y MS | longpress @id MS finger held still for MS milliseconds, then lifted
//   press X Y | press @widget-id        finger down and held there (a few frames drawn), until
//   release                             lifts it where it went down (a tap when it was short)
//   drag X1 Y1 X2 Y2 [MS]               finger drag (default 300 ms), lifted at the end
//   flick X1 Y1 X2 Y2                   a fast drag (80 ms) that leaves inertia behind
//   pinch X Y FROM TO                   two fingers centred on X Y move from FROM to TO units apart
//   stroke @id X,Y X,Y ...              one finger stroke through the points, given as fractions
//                                       of the widget's box (0,0 top left; 1,1 bottom right), e.g.
//                                       a stroke on the handwriting pad @kbd.handwriting.pad
//   type "TEXT"                         text input, delivered in pieces of at most 32 bytes like SDL
//   key NAME                            Return, Backspace, Delete, Left, Right, Home, End, Escape, Tab
//   wait MS                             let MS milliseconds of (virtual) time pass
//   wait-for @id [MS]                   render as the loop would until widget @id is drawn, for
//                                       work that runs on a thread in real time (sync jobs);
//                                       fails after MS real milliseconds (default 20000)
//   expect-screen NAME                  fail unless the current screen is NAME
//   expect-widget @id | expect-no-widget @id   fail unless that widget was (not) drawn last frame
//   screenshot FILE.png                 save the current frame (relative to the script's folder)
//   expect-colour @id RRGGBB            fail unless the frame, drawn now, has that colour (each
//                                       channel within 3) 12 units inside the widget's leading
//                                       edge at half its height: a button's own fill, off its label
//   reset-frame-stats                   forget frame costs so far (--frame-stats measures from here)
//   close-window                        the window manager asks the window to close (SDL_QUIT, as
//                                       Alt+F4 does): a windowed kiosk ends the script there (exit
//                                       0), a kiosk-mode (fullscreen) one ignores it
//   expect-text "TEXT" SIZE             fail unless TEXT was drawn whole on the last frame, on one
//                                       line, at SIZE units or larger: a count that fits its box
//                                       is not shrunk to fit (the summary's "101,800")
//   expect-layout-clean                 fail unless the layout audit finds nothing on the last frame:
//                                       no clipped or overflowing text, no overlaps, no touch target
//                                       under 48, no ellipsis or lone last cluster that could be
//                                       avoided, no text contrast under 4.5:1 (kiosk/ui/layout_audit.h)
//
// `kiosk --script F --layout-audit` runs the same audit after every command and fails at the end
// of the script, listing each finding once with the screen, language and text scale it was on.
//
// Test builds only (KIOSK_HARNESS_TEST_COMMANDS, defined when KIOSK_BUILD_TESTS is ON; the shipped
// kiosk — ./dev run, Release with tests OFF — refuses these lines and carries no code for them):
//   expect-db "SQL" "VALUE"             fail unless the first column of the query's first row,
//                                       as text, equals VALUE (runs any SQL on the kiosk's store)
//   store-fault read-only | none        from now on every write to the store fails as on a
//                                       read-only disk (PRAGMA query_only), or writes work again
//
// Logical coordinates are window pixels divided by the UI scale (1920x1080 at scale 1).
//
// A script also ends early, with exit 0 and "stopped by SIGTERM" in the log, when the kiosk gets
// SIGTERM or SIGINT (app.h, stop_signals.h): it is checked before every command and while waiting.
//
// Real time (`kiosk --script F --script-loop SECONDS [--script-pace MS] [--metrics FILE]`: the
// soak, TESTING.md "Soak", issue 14 item 7):
//  R1. The clock is real, not virtual: `wait MS` takes MS real milliseconds, and the loop renders,
//      sleeps and wakes as the live loop does (harness.cpp advance_real()), timers included (the
//      idle reset comes after idle_timeout_s of real time).
//  R2. The script runs from the top again when it ends, until SECONDS of real time have passed;
//      the run stops between commands then (exit 0), or at the first failing command (exit 1,
//      naming the pass). A looped script must therefore end where it began (on attract).
//  R3. Visitor pace: after every tap, click, long press, drag, flick, pinch, stroke, key and type,
//      PACE ms (default 1500) of real time pass; `type` delivers one character at a time, PACE/5
//      apart (about 3 keys a second at the default).
//  R4. In a `type` text, %PASS% becomes the pass number in letters (expand_pass()), so each pass
//      can register a different person; outside a loop it is pass 1 ("a").
//  R5. --metrics FILE samples the process every 10 s (--metrics-every S) while the script runs
//      (soak_metrics.h).
//
// Contract: parse_script() never throws; on a bad line it returns false with
// "FILE:LINE: reason" in *error, so a broken test script fails loudly before it runs.
//
// The harness that runs a script (harness.cpp, `kiosk --script F`):
//  S1. It drives the real kiosk: its events go through the same translation (input.h), router,
//      widgets, store and renderer as a person's; nothing is stubbed.
//  S2. The clock is virtual (app.h design note 4): `wait` costs no real time and frames are
//      rendered when the loop would render them; only `wait-for` waits in real time, for work
//      on threads.
//  S3. Widgets are found by their ids as drawn on the last frame; a missing id fails the script
//      with its file and line, never taps somewhere else.
//  S4. The first failing command ends the script with exit 1 and "FILE:LINE: reason" on
//      stderr; exit 0 only when every command passed (and, with --layout-audit, nothing was
//      found).
//  S5. After every input command, while the screen reports work of its own on a thread
//      (Screen::busy(): the PIN comparison, staff.h P2), the harness draws frames in real time
//      until the screen has its answer (fails after 20 s), then three frames more: the next
//      command sees what a person would see once the answer is on screen.
//  S6. Before every command, a screen the kiosk switched to at the end of the last frame (a
//      PIN check that answered just as a command's frames ran out) is drawn once, so S3's ids
//      are the screen's that expect-screen names, not the one before it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk::app {

struct ScriptCommand {
  enum class Kind {
    Tap, Click, LongPress, Drag, Flick, Pinch, Type, Key, Wait, WaitFor, ExpectScreen, ExpectWidget,
    ExpectNoWidget, Screenshot, ExpectDb, ResetFrameStats, StoreFault, CloseWindow, ExpectLayoutClean, Stroke,
    Press, Release, ExpectColour, ExpectText
  };
  Kind kind = Kind::Wait;
  int line = 0;
  std::string target;  // widget id (without '@') when the command names one
  float x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  double ms = 0;      // durations; expect-text: the smallest type size allowed
  std::string text;  // typed text, key name, screen name, screenshot path, SQL or expected text
  std::string expected;  // expect-db: the value
  std::uint32_t colour = 0;  // expect-colour: 0xRRGGBB
  std::vector<std::pair<float, float>> points;  // stroke: fractions of the widget's box
};

#ifdef KIOSK_HARNESS_TEST_COMMANDS
inline constexpr bool kHarnessTestCommands = true;
#else
inline constexpr bool kHarnessTestCommands = false;
#endif

// test_commands: whether expect-db and store-fault are accepted (this build's setting unless a
// test asks for the other).
bool parse_script(const std::string& source, const std::string& file_name,
                  std::vector<ScriptCommand>* out, std::string* error,
                  bool test_commands = kHarnessTestCommands);

// text with every %PASS% replaced by pass (>= 1) in bijective base 26 over a..z: 1 "a", 26 "z",
// 27 "aa", 28 "ab" (letters only, so a name field accepts it; rule R4).
std::string expand_pass(std::string_view text, int pass);

}  // namespace kiosk::app
