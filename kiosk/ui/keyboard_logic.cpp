// kiosk/ui/keyboard_logic.cpp — see keyboard_logic.h (design note and held-state diagram there).
//
// [SECTIONS] script helpers · layout parsing · KeyboardLibrary · KeyboardComposer ·
//            KeyboardController
#include "keyboard_logic.h"

#include "toml_safety.h"

#include <toml++/toml.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "text/edit_buffer.h"
#include "text/utf8.h"

namespace kiosk::ui {
namespace fs = std::filesystem;
namespace {

constexpr char32_t kDottedCircle = 0x25CC;

// [script helpers] ----------------------------------------------------------------------------

using unicode::script_of;

bool is_letter(char32_t cp) { return u_isalpha(static_cast<UChar32>(cp)) != 0; }

bool is_myanmar(char32_t cp) { return cp >= 0x1000 && cp <= 0x109F; }

// Canonical position of the Burmese characters the composer reorders (UTN #11 order:
// consonant, medials Y R W H, vowel E); 0 for everything else.
int myanmar_order(char32_t cp) {
  switch (cp) {
    case 0x103B: return 1;  // medial ya   ျ
    case 0x103C: return 2;  // medial ra   ြ
    case 0x103D: return 3;  // medial wa   ွ
    case 0x103E: return 4;  // medial ha   ှ
    case 0x1031: return 5;  // vowel e     ေ
    default: return 0;
  }
}

std::u32string decode(std::string_view utf8) {
  std::u32string out;
  for (const text::CodePoint& cp : text::decode_utf8(text::sanitize_utf8(utf8)))
    if (cp.value != kDottedCircle) out.push_back(cp.value);
  return out;
}

std::string encode(std::u32string_view cps) {
  std::string out;
  for (char32_t cp : cps) text::append_utf8(out, cp);
  return out;
}

// The code point before byte offset `at` of valid UTF-8 (0 at the start) and where it begins.
char32_t code_point_before(const std::string& s, std::uint32_t at, std::uint32_t* begin = nullptr) {
  if (at == 0 || at > s.size()) return 0;
  auto b = static_cast<std::uint32_t>(text::prev_code_point(s, at));
  if (begin) *begin = b;
  auto cps = text::decode_utf8(std::string_view(s).substr(b, at - b));
  return cps.empty() ? 0 : cps.front().value;
}

// A mark may follow a letter or mark of its own script (Inherited/Common marks: any script).
bool has_base_for_mark(const text::EditBuffer& buffer, char32_t mark) {
  char32_t prev = code_point_before(buffer.text(), buffer.caret());
  if (prev == 0 || !(is_letter(prev) || is_combining_mark(prev))) return false;
  UScriptCode ms = script_of(mark);
  if (ms == USCRIPT_INHERITED || ms == USCRIPT_COMMON) return true;
  UScriptCode ps = script_of(prev);
  return ps == ms || ps == USCRIPT_INHERITED;
}

// Can the Burmese syllable ending at the caret take pre-base `cp` (ေ or ြ)? Its tail after the
// consonant may hold only medials and ေ, and must not already hold `cp`.
bool syllable_takes_prebase(const text::EditBuffer& buffer, char32_t cp) {
  const std::string& s = buffer.text();
  std::uint32_t at = buffer.caret();
  while (at > 0) {
    std::uint32_t begin = 0;
    char32_t prev = code_point_before(s, at, &begin);
    if (prev == cp) return false;
    if (myanmar_order(prev) > 0) {
      at = begin;
      continue;
    }
    return is_myanmar(prev) && is_consonant(prev);
  }
  return false;
}

// Inserts one code point at its canonical place in the syllable before the caret (design note 4)
// and leaves the caret after the syllable.
void insert_ordered(text::EditBuffer& buffer, char32_t cp) {
  const std::string& s = buffer.text();
  const std::uint32_t caret = buffer.caret();
  std::uint32_t pos = caret;
  if (int key = myanmar_order(cp); key > 0) {
    while (pos > 0) {
      std::uint32_t begin = 0;
      char32_t prev = code_point_before(s, pos, &begin);
      if (myanmar_order(prev) <= key) break;
      pos = begin;
    }
  } else if (cp == 0x1037) {  // dot below goes before a typed asat (NFC order)
    std::uint32_t begin = 0;
    if (code_point_before(s, pos, &begin) == 0x103A) pos = begin;
  }
  std::string piece = encode(std::u32string(1, cp));
  if (pos == caret) {
    buffer.insert(piece);
    return;
  }
  const std::size_t before = s.size();
  buffer.set_caret(pos, false);
  buffer.insert(piece);
  const auto grew = static_cast<std::uint32_t>(buffer.text().size() - before);
  buffer.set_caret(caret + grew, false);
}

// [layout parsing] ----------------------------------------------------------------------------

struct Parser {
  std::string source;
  std::vector<std::string>* errors;
  bool ok = true;

  void fail(const toml::source_region& where, const std::string& message) {
    ok = false;
    std::string at = source;
    if (where.begin.line > 0) at += ":" + std::to_string(where.begin.line);
    errors->push_back(at + ": " + message);
  }

  static bool valid_name(std::string_view n) {
    return !n.empty() && n.size() <= 40 && std::all_of(n.begin(), n.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_' || c == '-';
    });
  }

  // A name derived from a one-letter ASCII output ("a", "A", "7"), else empty.
  static std::string default_name(std::string_view output) {
    if (output.size() == 1 && valid_name(output)) return std::string(output);
    return {};
  }

  bool string_field(const toml::node& n, std::string_view key, std::string* out) {
    if (auto v = n.value<std::string>()) {
      *out = *v;
      return true;
    }
    fail(n.source(), "'" + std::string(key) + "' must be a string");
    return false;
  }

  void check_output(const toml::node& n, const std::string& output, std::string_view what) {
    if (decode(output).size() != text::decode_utf8(text::sanitize_utf8(output)).size())
      fail(n.source(), std::string(what) + " contains U+25CC DOTTED CIRCLE, which must never be "
                                           "stored (put the mark alone in the label instead)");
  }

  std::vector<KeyExtra> parse_extras(const toml::node& n) {
    std::vector<KeyExtra> extras;
    const toml::array* arr = n.as_array();
    if (!arr) {
      fail(n.source(), "'extras' must be an array of strings or {label, output} tables");
      return extras;
    }
    for (const toml::node& e : *arr) {
      KeyExtra x;
      if (auto s = e.value<std::string>()) {
        x.output = *s;
      } else if (const toml::table* t = e.as_table()) {
        for (auto&& [k, v] : *t) {
          if (k.str() == "label") string_field(v, "label", &x.label);
          else if (k.str() == "output") string_field(v, "output", &x.output);
          else fail(v.source(), "unknown extra field '" + std::string(k.str()) + "'");
        }
      } else {
        fail(e.source(), "an extra must be a string or a {label, output} table");
        continue;
      }
      if (x.output.empty()) fail(e.source(), "an extra needs a non-empty output");
      check_output(e, x.output, "extra output");
      if (x.label.empty()) x.label = x.output;
      extras.push_back(std::move(x));
    }
    return extras;
  }

  // Fills a face from a table (base or shift); `action` decides the defaults.
  void parse_face(const toml::table& t, KeyAction action, bool is_shift, KeyFace* face,
                  const toml::node& where) {
    for (auto&& [k, v] : t) {
      std::string_view key = k.str();
      if (key == "name") string_field(v, key, &face->name);
      else if (key == "label") string_field(v, key, &face->label);
      else if (key == "output") string_field(v, key, &face->output);
      else if (key == "extras") face->extras = parse_extras(v);
      else if (is_shift || (key != "action" && key != "width" && key != "shift"))
        fail(v.source(), "unknown key field '" + std::string(key) + "'");
    }
    finish_face(action, face, where);
  }

  void finish_face(KeyAction action, KeyFace* face, const toml::node& where) {
    if (action == KeyAction::Space && face->output.empty()) face->output = " ";
    if (action == KeyAction::Text && face->output.empty()) {
      fail(where.source(), "a text key needs a non-empty 'output'");
      return;
    }
    check_output(where, face->output, "output");
    if (face->name.empty()) face->name = default_name(face->output);
    if (face->name.empty()) {
      fail(where.source(), "key '" + face->output + "' needs a 'name' (ASCII letters, digits, _ -) "
                           "for its widget id");
    } else if (!valid_name(face->name)) {
      fail(where.source(), "key name '" + face->name + "' may use only ASCII letters, digits, _ and -");
    }
    if (face->label.empty() && action == KeyAction::Text) face->label = face->output;
  }

  std::optional<KeyDef> parse_key(const toml::node& n) {
    const toml::table* t = n.as_table();
    if (!t) {
      fail(n.source(), "a key must be an inline table like { name = \"ka\", output = \"ក\" }");
      return std::nullopt;
    }
    KeyDef key;
    key.line = static_cast<int>(n.source().begin.line);
    if (const toml::node* a = t->get("action")) {
      std::string s;
      if (string_field(*a, "action", &s)) {
        static const std::pair<std::string_view, KeyAction> kActions[] = {
            {"text", KeyAction::Text},           {"shift", KeyAction::Shift},
            {"backspace", KeyAction::Backspace}, {"space", KeyAction::Space},
            {"switch", KeyAction::Switch},       {"done", KeyAction::Done}};
        auto it = std::find_if(std::begin(kActions), std::end(kActions),
                               [&](const auto& p) { return p.first == s; });
        if (it == std::end(kActions))
          fail(a->source(), "unknown action '" + s +
                                "' (text, shift, backspace, space, switch, done)");
        else
          key.action = it->second;
      }
      if (key.action != KeyAction::Text && key.action != KeyAction::Space &&
          !t->get("name"))
        key.base.name = s;
    }
    if (const toml::node* w = t->get("width")) {
      std::optional<double> v = w->value<double>();
      // isfinite first: nan fails every comparison, so a range test alone would accept it.
      if (!v || !std::isfinite(*v) || *v < 0.5 || *v > 12.0)
        fail(w->source(), "'width' must be a number in [0.5, 12]");
      else key.width = static_cast<float>(*v);
    }
    if (key.action == KeyAction::Space && !t->get("name")) key.base.name = "space";
    parse_face(*t, key.action, false, &key.base, n);
    if (const toml::node* sh = t->get("shift")) {
      KeyFace face;
      if (auto s = sh->value<std::string>()) {
        face.output = *s;
        finish_face(key.action, &face, *sh);
      } else if (const toml::table* st = sh->as_table()) {
        parse_face(*st, key.action, true, &face, *sh);
      } else {
        fail(sh->source(), "'shift' must be a string (its output) or a table");
      }
      if (key.action != KeyAction::Text) fail(sh->source(), "only text keys have a shift face");
      key.shift = std::move(face);
    }
    return key;
  }

  std::optional<KeyboardLayout> parse(const toml::table& root) {
    KeyboardLayout layout;
    const toml::node* rows = nullptr;
    const toml::node* pad_rows = nullptr;
    for (auto&& [k, v] : root) {
      std::string_view key = k.str();
      if (key == "name") string_field(v, key, &layout.name);
      else if (key == "lang") string_field(v, key, &layout.lang);
      else if (key == "switch_label") string_field(v, key, &layout.switch_label);
      else if (key == "prebase") {
        std::string s;
        if (string_field(v, key, &s)) {
          if (s == "visual") layout.prebase = PreBaseOrder::Visual;
          else if (s == "logical") layout.prebase = PreBaseOrder::Logical;
          else fail(v.source(), "'prebase' must be \"visual\" or \"logical\"");
        }
      } else if (key == "input") {
        if (string_field(v, key, &layout.input) && layout.input != "pinyin" &&
            layout.input != "handwriting")
          fail(v.source(), "'input' must be \"pinyin\" or \"handwriting\"");
      } else if (key == "pad_rows") {
        std::optional<std::int64_t> n = v.value<std::int64_t>();
        if (!n || *n < 1 || *n > 6) fail(v.source(), "'pad_rows' must be a whole number from 1 to 6");
        else layout.pad_rows = static_cast<int>(*n);
        pad_rows = &v;
      } else if (key == "rows") rows = &v;
      else fail(v.source(), "unknown layout field '" + std::string(key) + "'");
    }
    toml::source_region top{};
    top.begin.line = 1;
    if (!valid_name(layout.name)) fail(top, "'name' is missing or not an ASCII id");
    if (layout.lang.size() < 2 || layout.lang.size() > 3) fail(top, "'lang' must be a language code");
    if (layout.switch_label.empty()) layout.switch_label = layout.name;
    if (!rows || !rows->as_array() || rows->as_array()->empty()) {
      fail(rows ? rows->source() : top, "'rows' must be a non-empty array of rows");
      return std::nullopt;
    }
    for (const toml::node& row : *rows->as_array()) {
      const toml::array* keys = row.as_array();
      if (!keys || keys->empty()) {
        fail(row.source(), "a row must be a non-empty array of keys");
        continue;
      }
      std::vector<KeyDef>& out = layout.rows.emplace_back();
      for (const toml::node& k : *keys)
        if (auto key = parse_key(k)) out.push_back(std::move(*key));
    }
    // Names are widget ids: unique within each layer.
    for (bool shifted : {false, true}) {
      std::set<std::string> seen;
      for (const auto& row : layout.rows)
        for (const KeyDef& key : row) {
          if (shifted && !key.shift) continue;
          const std::string& n = key.face(shifted).name;
          if (n.empty()) continue;
          toml::source_region at{};
          at.begin.line = static_cast<toml::source_index>(key.line);
          if (!seen.insert(n).second)
            fail(at, "duplicate key name '" + n + "'" + (shifted ? " in the shift layer" : ""));
        }
    }
    for (const auto& row : layout.rows)
      for (const KeyDef& key : row) layout.has_shift = layout.has_shift || key.shift.has_value();
    // Rule 11 (keyboard_logic.h): one switch key on every keyboard.
    int switches = 0;
    for (const auto& row : layout.rows)
      for (const KeyDef& key : row) switches += key.action == KeyAction::Switch ? 1 : 0;
    if (switches != 1)
      fail(rows->source(), "a layout needs exactly one key with action = \"switch\" (it has " +
                               std::to_string(switches) + ")");
    if (layout.input == "handwriting" && layout.pad_rows == 0)
      fail(top, "a handwriting layout needs 'pad_rows' (the writing pad's height in rows)");
    if (pad_rows && layout.input != "handwriting")
      fail(pad_rows->source(), "'pad_rows' is for input = \"handwriting\" layouts only");
    if (!ok) return std::nullopt;
    return layout;
  }
};

}  // namespace

// [script helpers] public ---------------------------------------------------------------------

bool is_pre_base_vowel(char32_t cp) { return cp == 0x1031 || cp == 0x103C; }
bool is_joiner(char32_t cp) { return cp == 0x17D2 || cp == 0x1039; }
bool is_consonant(char32_t cp) {
  return (cp >= 0x1780 && cp <= 0x17A2) || (cp >= 0x1000 && cp <= 0x1021) || cp == 0x103F;
}
bool is_combining_mark(char32_t cp) { return unicode::is_mark(cp); }

// [layout parsing] public ---------------------------------------------------------------------

std::optional<KeyboardLayout> parse_keyboard_layout(std::string_view toml_text,
                                                    const std::string& source,
                                                    std::vector<std::string>* errors) {
  Parser p{source, errors};
  // The one gate every TOML reader passes (kiosk/core/toml_safety.h): without it a layout of
  // `a.a.a… = 1` some 50,000 levels deep overflows the stack inside toml++, as the config did
  // (the layouts were the one TOML reader left out; noticed while adding tests/fuzz).
  toml::table root;
  core::TomlRefusal refusal;
  if (!core::parse_toml_checked(toml_text, source, &root, &refusal)) {
    toml::source_region where;
    where.begin.line = static_cast<toml::source_index>(refusal.line);
    p.fail(where, refusal.reason);
    return std::nullopt;
  }
  return p.parse(root);
}

std::optional<KeyboardLayout> load_keyboard_layout(const std::string& path,
                                                   std::vector<std::string>* errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors->push_back(path + ": cannot open the file");
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto layout = parse_keyboard_layout(text.str(), path, errors);
  if (layout && layout->name != fs::path(path).stem().string()) {
    errors->push_back(path + ":1: 'name' is \"" + layout->name +
                      "\" but must equal the file name without .toml");
    return std::nullopt;
  }
  return layout;
}

// [KeyboardLibrary] ---------------------------------------------------------------------------

std::size_t KeyboardLibrary::load_dir(const std::string& dir, std::vector<std::string>* errors) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  if (ec) {
    errors->push_back(dir + ": cannot read the keyboard folder (" + ec.message() + ")");
    return 0;
  }
  std::sort(files.begin(), files.end());
  std::size_t loaded = 0;
  for (const fs::path& f : files)
    if (auto layout = load_keyboard_layout(f.string(), errors)) {
      add(std::move(*layout));
      ++loaded;
    }
  return loaded;
}

void KeyboardLibrary::add(KeyboardLayout layout) {
  auto it = std::find_if(m_layouts.begin(), m_layouts.end(),
                         [&](const KeyboardLayout& l) { return l.name == layout.name; });
  if (it != m_layouts.end()) *it = std::move(layout);
  else m_layouts.push_back(std::move(layout));
}

const KeyboardLayout* KeyboardLibrary::find(std::string_view name) const {
  for (const KeyboardLayout& l : m_layouts)
    if (l.name == name) return &l;
  return nullptr;
}

// [KeyboardComposer] --------------------------------------------------------------------------

void KeyboardComposer::reset() { m_held.clear(); }

void KeyboardComposer::sync(const text::EditBuffer& buffer) {
  if (m_buffer != &buffer || buffer.revision() != m_revision || buffer.caret() != m_caret)
    m_held.clear();  // design note 6: someone else moved the caret or changed the text
  remember(buffer);
}

void KeyboardComposer::remember(const text::EditBuffer& buffer) {
  m_buffer = &buffer;
  m_revision = buffer.revision();
  m_caret = buffer.caret();
}

void KeyboardComposer::drop_joiner() {
  if (!m_held.empty() && is_joiner(m_held.back())) m_held.pop_back();
}

std::u32string KeyboardComposer::held_prebase_sorted() const {
  std::u32string pre;
  for (char32_t c : m_held)
    if (is_pre_base_vowel(c)) pre.push_back(c);
  std::stable_sort(pre.begin(), pre.end(),
                   [](char32_t a, char32_t b) { return myanmar_order(a) < myanmar_order(b); });
  return pre;
}

bool KeyboardComposer::attach_prebase(text::EditBuffer& buffer) {
  std::u32string pre = held_prebase_sorted();
  if (pre.empty()) return false;
  for (char32_t c : pre)
    if (!syllable_takes_prebase(buffer, c)) return false;
  for (char32_t c : pre) insert_ordered(buffer, c);
  std::erase_if(m_held, [](char32_t c) { return is_pre_base_vowel(c); });
  return true;
}

ComposeResult KeyboardComposer::type(text::EditBuffer& buffer, std::string_view output) {
  sync(buffer);
  const std::u32string cps = decode(output);
  if (cps.empty()) return ComposeResult::Ignored;
  if (buffer.has_selection()) buffer.backspace();  // typing replaces the selection
  const char32_t first = cps.front();
  ComposeResult result = ComposeResult::Inserted;

  if (cps.size() == 1 && is_pre_base_vowel(first)) {
    // [1] Burmese ေ / ြ: attach (logical order) or hold for the next consonant.
    if (m_order == PreBaseOrder::Logical && m_held.empty() && syllable_takes_prebase(buffer, first)) {
      insert_ordered(buffer, first);
    } else if (std::find(m_held.begin(), m_held.end(), first) != m_held.end()) {
      result = ComposeResult::Ignored;
    } else {
      auto joiner = std::find_if(m_held.begin(), m_held.end(), is_joiner);
      m_held.insert(joiner, first);  // a held joiner stays last
      result = ComposeResult::Held;
    }
  } else if (cps.size() == 1 && is_joiner(first)) {
    // [2] coeng / virama: only after a consonant of its script; held until the next key.
    char32_t prev = code_point_before(buffer.text(), buffer.caret());
    bool has_joiner = !m_held.empty() && is_joiner(m_held.back());
    if (!has_joiner && is_consonant(prev) && script_of(prev) == script_of(first)) {
      m_held.push_back(first);
      result = ComposeResult::Held;
    } else {
      result = ComposeResult::Ignored;
    }
  } else if (is_consonant(first)) {
    // [3] a consonant (or a consonant-led sequence such as kinzi "င်္"): takes a held joiner
    // before it and the held pre-base vowels after it.
    if (!held_prebase_sorted().empty() && !is_myanmar(first)) commit(buffer);
    std::u32string ins;
    if (!m_held.empty() && is_joiner(m_held.back())) {
      if (script_of(m_held.back()) == script_of(first)) ins.push_back(m_held.back());
      m_held.pop_back();
    }
    const bool ends_with_joiner = cps.size() > 1 && is_joiner(cps.back());
    ins.append(cps, 0, ends_with_joiner ? cps.size() - 1 : cps.size());
    if (!ends_with_joiner) {
      ins += held_prebase_sorted();
      std::erase_if(m_held, [](char32_t c) { return is_pre_base_vowel(c); });
    }
    buffer.insert(encode(ins));
    if (ends_with_joiner) m_held.push_back(cps.back());
  } else if (is_combining_mark(first)) {
    // [4] a dependent vowel or sign: never starts a word.
    drop_joiner();
    if (!held_prebase_sorted().empty() && !attach_prebase(buffer)) {
      result = ComposeResult::Ignored;  // nothing to attach to: the pre-base vowel stays held
    } else if (!has_base_for_mark(buffer, first)) {
      result = ComposeResult::Ignored;
    } else if (cps.size() == 1) {
      insert_ordered(buffer, first);
    } else {
      buffer.insert(encode(cps));
    }
  } else {
    // [5] anything else (space, punctuation, digits, Latin, independent vowels) ends a syllable.
    commit(buffer);
    buffer.insert(encode(cps));
  }
  remember(buffer);
  return result;
}

ComposeResult KeyboardComposer::backspace(text::EditBuffer& buffer) {
  sync(buffer);
  if (!m_held.empty()) {
    m_held.pop_back();
    return ComposeResult::Removed;
  }
  if (!buffer.has_selection() && buffer.caret() == 0) return ComposeResult::Ignored;
  const bool had_selection = buffer.has_selection();
  buffer.backspace();
  // Design note 3: a joiner that backspace left at the caret (ក្ម -> ក្) goes back to being
  // held, so the next consonant is still a subscript and nothing dangling stays stored.
  std::uint32_t begin = 0;
  char32_t prev = code_point_before(buffer.text(), buffer.caret(), &begin);
  if (!had_selection && is_joiner(prev) && is_consonant(code_point_before(buffer.text(), begin))) {
    buffer.backspace();
    m_held.push_back(prev);
  }
  remember(buffer);
  return ComposeResult::Removed;
}

bool KeyboardComposer::commit(text::EditBuffer& buffer) {
  sync(buffer);
  drop_joiner();
  bool changed = false;
  if (!held_prebase_sorted().empty()) changed = attach_prebase(buffer);
  m_held.clear();
  remember(buffer);
  return changed;
}

std::string KeyboardComposer::preview() const {
  std::u32string p = held_prebase_sorted();
  if (!m_held.empty() && is_joiner(m_held.back())) p.push_back(m_held.back());
  return encode(p);
}

bool KeyboardComposer::is_held(std::string_view output) const {
  std::u32string cps = decode(output);
  return cps.size() == 1 && std::find(m_held.begin(), m_held.end(), cps.front()) != m_held.end();
}

// [KeyboardController] ------------------------------------------------------------------------

bool KeyboardController::offered(const KeyboardLayout& layout) const {
  if (!layout.has_candidates()) return true;
  InputMethod* im = m_inputs ? m_inputs->find(layout.input) : nullptr;
  return im && im->problem().empty();  // rule 10
}

InputMethod* KeyboardController::input() const {
  const KeyboardLayout* l = layout();
  if (!l || !l->has_candidates() || !m_inputs) return nullptr;
  return m_inputs->find(l->input);
}

bool KeyboardController::set_allowed(const std::vector<std::string>& names) {
  if (InputMethod* im = input()) im->clear();  // I1: never into another field
  m_allowed.clear();
  for (const std::string& n : names)
    if (const KeyboardLayout* l = m_library.find(n); l && offered(*l) &&
        std::find(m_allowed.begin(), m_allowed.end(), l) == m_allowed.end())
      m_allowed.push_back(l);
  // I1 again: keyboards of other screens share the engines; start this field with nothing composed.
  for (const KeyboardLayout* l : m_allowed)
    if (l->has_candidates() && m_inputs)
      if (InputMethod* im = m_inputs->find(l->input)) im->clear();
  m_active = 0;
  m_shift = ShiftState::Off;
  m_composer.reset();
  if (!m_allowed.empty()) m_composer.set_prebase_order(m_allowed.front()->prebase);
  return !m_allowed.empty();
}

bool KeyboardController::select(std::string_view name, text::EditBuffer* buffer) {
  for (std::size_t i = 0; i < m_allowed.size(); ++i) {
    if (m_allowed[i]->name != name) continue;
    if (buffer) commit(*buffer);
    else if (InputMethod* im = input()) im->clear();
    m_composer.reset();
    m_active = i;
    m_shift = ShiftState::Off;
    m_composer.set_prebase_order(m_allowed[i]->prebase);
    return true;
  }
  return false;
}

const KeyboardLayout* KeyboardController::layout() const {
  return m_allowed.empty() ? nullptr : m_allowed[m_active];
}

const KeyboardLayout* KeyboardController::next_layout() const {
  return m_allowed.size() < 2 ? nullptr : m_allowed[(m_active + 1) % m_allowed.size()];
}

KeyPress KeyboardController::press(const KeyDef& key, text::EditBuffer& buffer, double now_ms) {
  KeyPress out;
  const std::uint64_t revision = buffer.revision();
  InputMethod* im = input();
  switch (key.action) {
    case KeyAction::Text:
    case KeyAction::Space: {
      const std::string& output = key.face(shifted()).output;
      if (m_shift == ShiftState::Once) m_shift = ShiftState::Off;
      const bool letters = !output.empty() && std::all_of(output.begin(), output.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || c == '\'';
      });
      if (im && key.action == KeyAction::Text && letters && im->key(output)) {
        out.result = ComposeResult::Held;  // rule 8: composed, not stored
        break;
      }
      if (im && key.action == KeyAction::Space && im->composing()) {
        const std::string text = im->choose(0);  // rule 9
        out.result = text.empty() ? ComposeResult::Held : m_composer.type(buffer, text);
        break;
      }
      commit_input(buffer);
      out.result = m_composer.type(buffer, output);
      break;
    }
    case KeyAction::Backspace:
      if (im && im->backspace()) out.result = ComposeResult::Removed;
      else out.result = m_composer.backspace(buffer);
      break;
    case KeyAction::Shift:
      if (m_shift == ShiftState::Off) m_shift = ShiftState::Once;
      else if (m_shift == ShiftState::Once && now_ms - m_last_shift_tap <= kDoubleTapMs)
        m_shift = ShiftState::Locked;
      else m_shift = ShiftState::Off;
      m_last_shift_tap = now_ms;
      out.result = ComposeResult::Held;
      break;
    case KeyAction::Switch:
      if (const KeyboardLayout* next = next_layout()) {
        select(next->name, &buffer);
        out.result = ComposeResult::Held;
      }
      break;
    case KeyAction::Done:
      commit(buffer);
      m_shift = ShiftState::Off;
      out.done = true;
      out.result = ComposeResult::Held;
      break;
  }
  out.changed = buffer.revision() != revision;
  return out;
}

KeyPress KeyboardController::press_extra(const KeyExtra& extra, text::EditBuffer& buffer) {
  KeyPress out;
  const std::uint64_t revision = buffer.revision();
  out.result = m_composer.type(buffer, extra.output);
  if (m_shift == ShiftState::Once) m_shift = ShiftState::Off;
  out.changed = buffer.revision() != revision;
  return out;
}

bool KeyboardController::commit_input(text::EditBuffer& buffer) {
  InputMethod* im = input();
  if (!im || !im->composing()) return false;
  const std::string text = im->commit();
  return !text.empty() && m_composer.type(buffer, text) == ComposeResult::Inserted;
}

bool KeyboardController::commit(text::EditBuffer& buffer) {
  const bool stored = commit_input(buffer);
  return m_composer.commit(buffer) || stored;
}

KeyPress KeyboardController::choose(std::size_t index, text::EditBuffer& buffer) {
  KeyPress out;
  InputMethod* im = input();
  if (!im) return out;
  const std::uint64_t revision = buffer.revision();
  const std::string text = im->choose(index);
  out.result = text.empty() ? ComposeResult::Held : m_composer.type(buffer, text);
  out.changed = buffer.revision() != revision;
  return out;
}

std::optional<std::size_t> KeyboardController::find_candidate(std::string_view text) const {
  InputMethod* im = input();
  if (!im) return std::nullopt;
  const auto& c = im->candidates();
  auto it = std::find(c.begin(), c.end(), text);
  if (it == c.end()) return std::nullopt;
  return static_cast<std::size_t>(it - c.begin());
}

bool KeyboardController::add_stroke(const InkStroke& stroke) {
  InputMethod* im = input();
  return im && im->add_stroke(stroke);
}

void KeyboardController::page(int direction) {
  if (InputMethod* im = input()) im->page(direction);
}

const KeyDef* KeyboardController::find_key(std::string_view name) const {
  const KeyboardLayout* l = layout();
  if (!l) return nullptr;
  for (const auto& row : l->rows)
    for (const KeyDef& key : row)
      if (key.face(shifted()).name == name) return &key;
  return nullptr;
}

bool KeyboardController::press_name(std::string_view name, text::EditBuffer& buffer, double now_ms,
                                    KeyPress* out) {
  const KeyDef* key = find_key(name);
  if (!key) return false;
  KeyPress p = press(*key, buffer, now_ms);
  if (out) *out = p;
  return true;
}

}  // namespace kiosk::ui
