// platform/log.h — the kiosk's log: one line per event in a size-capped, rotating file.
//
// A kiosk runs all day far from an engineer, autostarted, with nobody reading stderr; the log
// file in the data directory is what a technician (or a Health screen) reads afterwards.
//
// Contract:
//  1. One event is one line: "2026-12-04T14:35:07.123Z INFO message". The time is UTC with
//     milliseconds; the level is INFO, WARN or ERROR. Newlines, tabs and other control characters
//     inside a message become spaces, so a message can never forge or split lines.
//  2. The file is <dir>/kiosk.log. A line that would take it past max_bytes first moves it to
//     <dir>/kiosk.log.1 (replacing the older one) and starts a new kiosk.log: the log never holds
//     more than about 2 x max_bytes on disk. max_bytes is clamped to [kMinBytes, kMaxBytes].
//  3. Each line is appended with one write() on a descriptor opened O_APPEND: a crash or power
//     cut loses at most the line being written, never earlier ones. Lines are not fsync'ed.
//  4. WARN and ERROR lines are also written to stderr as "kiosk: message" (what the kiosk printed
//     before there was a log, and what tests and the journal read); INFO lines go to stderr too
//     only when stderr is a terminal. Before open() (no data directory yet) or after a failed
//     open, stderr is the only sink.
//  5. NO PERSONAL DATA. Callers log events ("registration saved", "sync: sent 3 bundles"), never
//     names, birth dates, phone numbers, guardians, PINs or free text a person typed. The e2e test
//     service/no_personal_data registers a person and greps the log for the name.
//  6. Thread-safe: every function may be called from any thread (sync workers log too). The log
//     is process-wide, like stderr: the one piece of global state this layer keeps, because a
//     message from a lower library must not need the application context to be recorded.
//  7. A failing disk never stops the kiosk: a write or rotation error is reported once on stderr
//     and logging carries on to stderr alone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kiosk::log {

enum class Level { info, warn, error };

inline constexpr std::uint64_t kDefaultMaxBytes = 2u << 20;  // 2 MiB, so at most ~4 MiB on disk
inline constexpr std::uint64_t kMinBytes = 4096;
inline constexpr std::uint64_t kMaxBytes = 1u << 30;

// Opens (creating or appending to) <dir>/kiosk.log. False with *error set when it cannot; the
// log then keeps writing to stderr only. Calling open() again switches to the new file.
bool open(const std::string& dir, std::uint64_t max_bytes, std::string* error);
// Closes the file (stderr only from then on). Safe to call when nothing is open.
void close();
// The path of the open log file, or empty.
std::string path();

void write(Level level, std::string_view message);
inline void info(std::string_view message) { write(Level::info, message); }
inline void warn(std::string_view message) { write(Level::warn, message); }
inline void error(std::string_view message) { write(Level::error, message); }

// The text of one line as written (exposed for tests): time stamp, level, sanitized message.
std::string format_line(std::int64_t unix_ms, Level level, std::string_view message);

}  // namespace kiosk::log
