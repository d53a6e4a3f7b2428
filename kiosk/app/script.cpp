#include "script.h"

#include <charconv>
#include <sstream>

namespace kiosk::app {
namespace {

// Splits a line into words; a word in double quotes may hold spaces and \" \\ \n escapes.
bool split_words(const std::string& line, std::vector<std::string>* words, std::string* reason) {
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size() || line[i] == '#') break;
    std::string word;
    if (line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        char c = line[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < line.size()) {
          char e = line[i++];
          word += (e == 'n') ? '\n' : e;
        } else {
          word += c;
        }
      }
      if (!closed) {
        *reason = "unterminated quoted text";
        return false;
      }
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') word += line[i++];
    }
    words->push_back(word);
  }
  return true;
}

bool to_number(const std::string& s, float* out) {
  const char* end = s.data() + s.size();
  auto r = std::from_chars(s.data(), end, *out);
  return r.ec == std::errc() && r.ptr == end;
}

}  // namespace

bool parse_script(const std::string& source, const std::string& file_name,
                  std::vector<ScriptCommand>* out, std::string* error, bool test_commands) {
  using Kind = ScriptCommand::Kind;
  std::istringstream in(source);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> w;
    std::string reason;
    auto fail = [&](const std::string& why) {
      *error = file_name + ":" + std::to_string(number) + ": " + why;
      return false;
    };
    if (!split_words(line, &w, &reason)) return fail(reason);
    if (w.empty()) continue;
    ScriptCommand c;
    c.line = number;
    const std::string& verb = w[0];
    // Reads "X Y" or "@id" starting at word i; returns the index after it, or 0 on error.
    auto point = [&](size_t i, float* x, float* y) -> size_t {
      if (i < w.size() && !w[i].empty() && w[i][0] == '@') {
        c.target = w[i].substr(1);
        return c.target.empty() ? 0 : i + 1;
      }
      if (i + 1 < w.size() && to_number(w[i], x) && to_number(w[i + 1], y)) return i + 2;
      return 0;
    };
    auto number_at = [&](size_t i, double* v) {
      float f = 0;
      if (i >= w.size() || !to_number(w[i], &f) || f < 0) return false;
      *v = f;
      return true;
    };
    if (verb == "tap" || verb == "click") {
      c.kind = verb == "tap" ? Kind::Tap : Kind::Click;
      if (point(1, &c.x1, &c.y1) != w.size()) return fail(verb + " needs X Y or @widget-id");
    } else if (verb == "press") {
      c.kind = Kind::Press;
      if (point(1, &c.x1, &c.y1) != w.size()) return fail("press needs X Y or @widget-id");
    } else if (verb == "release") {
      c.kind = Kind::Release;
      if (w.size() != 1) return fail("release takes no arguments");
    } else if (verb == "expect-colour") {
      c.kind = Kind::ExpectColour;
      unsigned v = 0;
      // RRGGBB without '#' (a '#' starts a comment).
      const bool hex = w.size() == 3 && w[2].size() == 6 &&
                       std::from_chars(w[2].data(), w[2].data() + 6, v, 16).ptr == w[2].data() + 6;
      if (w.size() != 3 || w[1].size() < 2 || w[1][0] != '@' || !hex)
        return fail("expect-colour needs @widget-id and RRGGBB (six hex digits, no '#')");
      c.target = w[1].substr(1);
      c.colour = v;
    } else if (verb == "longpress") {
      c.kind = Kind::LongPress;
      size_t next = point(1, &c.x1, &c.y1);
      if (next == 0 || next + 1 != w.size() || !number_at(next, &c.ms))
        return fail("longpress needs X Y MS or @widget-id MS");
    } else if (verb == "drag" || verb == "flick") {
      c.kind = verb == "drag" ? Kind::Drag : Kind::Flick;
      c.ms = verb == "drag" ? 300 : 80;
      if (w.size() < 5 || !to_number(w[1], &c.x1) || !to_number(w[2], &c.y1) ||
          !to_number(w[3], &c.x2) || !to_number(w[4], &c.y2))
        return fail(verb + " needs X1 Y1 X2 Y2");
      if (verb == "drag" && w.size() == 6 && !number_at(5, &c.ms)) return fail("bad duration");
      if (w.size() > (verb == "drag" ? 6u : 5u)) return fail("too many words");
    } else if (verb == "pinch") {
      c.kind = Kind::Pinch;
      c.ms = 300;
      if (w.size() != 5 || !to_number(w[1], &c.x1) || !to_number(w[2], &c.y1) ||
          !to_number(w[3], &c.x2) || !to_number(w[4], &c.y2) || c.x2 <= 0 || c.y2 <= 0)
        return fail("pinch needs X Y FROM TO (distances > 0)");
    } else if (verb == "stroke") {
      c.kind = Kind::Stroke;
      if (w.size() < 3 || w[1].size() < 2 || w[1][0] != '@')
        return fail("stroke needs @widget-id and at least one X,Y point");
      c.target = w[1].substr(1);
      for (size_t i = 2; i < w.size(); ++i) {
        const size_t comma = w[i].find(',');
        float x = 0, y = 0;
        if (comma == std::string::npos || !to_number(w[i].substr(0, comma), &x) ||
            !to_number(w[i].substr(comma + 1), &y) || !(x >= 0 && x <= 1 && y >= 0 && y <= 1))
          return fail("stroke point '" + w[i] + "' must be X,Y with both between 0 and 1");
        c.points.emplace_back(x, y);
      }
    } else if (verb == "type") {
      c.kind = Kind::Type;
      if (w.size() != 2) return fail("type needs one quoted text");
      c.text = w[1];
    } else if (verb == "key") {
      c.kind = Kind::Key;
      if (w.size() != 2) return fail("key needs one key name");
      c.text = w[1];
    } else if (verb == "wait") {
      c.kind = Kind::Wait;
      if (w.size() != 2 || !number_at(1, &c.ms)) return fail("wait needs milliseconds");
    } else if (verb == "wait-for") {
      c.kind = Kind::WaitFor;
      c.ms = 20000;
      if (w.size() < 2 || w.size() > 3 || w[1].size() < 2 || w[1][0] != '@' ||
          (w.size() == 3 && !number_at(2, &c.ms)))
        return fail("wait-for needs @id and optionally real milliseconds");
      c.target = w[1].substr(1);
    } else if (verb == "expect-screen") {
      c.kind = Kind::ExpectScreen;
      if (w.size() != 2) return fail("expect-screen needs a screen name");
      c.text = w[1];
    } else if (verb == "expect-widget" || verb == "expect-no-widget") {
      c.kind = verb == "expect-widget" ? Kind::ExpectWidget : Kind::ExpectNoWidget;
      if (w.size() != 2 || w[1].size() < 2 || w[1][0] != '@') return fail(verb + " needs @id");
      c.target = w[1].substr(1);
    } else if (verb == "reset-frame-stats") {
      c.kind = Kind::ResetFrameStats;
      if (w.size() != 1) return fail("reset-frame-stats takes no arguments");
    } else if (verb == "close-window") {
      c.kind = Kind::CloseWindow;
      if (w.size() != 1) return fail("close-window takes no arguments");
    } else if (verb == "expect-text") {
      c.kind = Kind::ExpectText;
      if (w.size() != 3 || w[1].empty() || !number_at(2, &c.ms) || c.ms <= 0)
        return fail("expect-text needs \"TEXT\" and a type size in units (> 0)");
      c.text = w[1];
    } else if (verb == "expect-layout-clean") {
      c.kind = Kind::ExpectLayoutClean;
      if (w.size() != 1) return fail("expect-layout-clean takes no arguments");
    } else if ((verb == "expect-db" || verb == "store-fault") && !test_commands) {
      return fail("'" + verb + "' is a test-build command (it reads or breaks the store directly);"
                  " this kiosk was built without it (KIOSK_BUILD_TESTS=OFF), so the script cannot run"
                  " here: run it with a test build");
    } else if (verb == "expect-db") {
      c.kind = Kind::ExpectDb;
      if (w.size() != 3) return fail("expect-db needs \"SQL\" \"VALUE\"");
      c.text = w[1];
      c.expected = w[2];
    } else if (verb == "store-fault") {
      c.kind = Kind::StoreFault;
      if (w.size() != 2 || (w[1] != "read-only" && w[1] != "none"))
        return fail("store-fault needs read-only or none");
      c.text = w[1];
    } else if (verb == "screenshot") {
      c.kind = Kind::Screenshot;
      if (w.size() != 2) return fail("screenshot needs a file name");
      c.text = w[1];
    } else {
      return fail("unknown command '" + verb + "'");
    }
    out->push_back(std::move(c));
  }
  return true;
}

std::string expand_pass(std::string_view text, int pass) {
  std::string letters;
  for (int n = pass < 1 ? 1 : pass; n > 0; n = (n - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('a' + (n - 1) % 26));
  std::string out;
  constexpr std::string_view kToken = "%PASS%";
  for (std::size_t i = 0;;) {
    const std::size_t at = text.find(kToken, i);
    out.append(text.substr(i, at == std::string_view::npos ? std::string_view::npos : at - i));
    if (at == std::string_view::npos) return out;
    out += letters;
    i = at + kToken.size();
  }
}

}  // namespace kiosk::app
