// kiosk/ui/keyboard_logic.h — the on-screen keyboard without a window: layouts loaded from data
// (content/keyboards/*.toml, format in content/keyboards/README.md) and the composer that turns
// key presses into edits of a kiosk::text::EditBuffer. No ImGui; unit-tested in tests/keyboard/.
//
// [SECTIONS] layouts (KeyDef, KeyboardLayout, loading) · KeyboardLibrary · KeyboardComposer ·
//            KeyboardController (active layout, shift, input methods, what a key press does)
//
// Layouts with an input method (`input = "pinyin"`, `input = "handwriting"`; input_method.h):
//  8. Their letter keys and strokes go to the input method, never straight into the field; only a
//     chosen candidate is stored (through the composer, so rules 1-7 still hold for it).
//  9. Space chooses the first candidate while something is composed; backspace undoes the last
//     letter or stroke before it touches the field; a key that is not a letter, a layout switch,
//     ✓ and commit() store the best reading first (InputMethod::commit()).
// 10. A layout whose input method is missing or cannot work is never offered (set_allowed skips
//     it), so a kiosk without the Chinese data still has its other keyboards.
// 11. Every layout has exactly one switch key (checked by the loader); when the field allows a
//     single layout the widget gives that key's room to the space or ✓ key instead of a blank.
//
// Design note — what the composer guarantees about the stored text:
//  1. Text is stored in Unicode (logical) order whatever order people type. Burmese ေ (U+1031)
//     and medial ြ (U+103C), which are drawn to the left of their consonant and are typed first by
//     people who type what they see, are HELD (not stored) until a Myanmar consonant arrives, then
//     stored after it in canonical order (medials Y R W H, then E). preview() shows what is held.
//  2. A combining mark (Khmer/Burmese dependent vowel or sign, Arabic haraka) is stored only after
//     a letter or mark of its script: it never starts a word. Otherwise the key is Ignored.
//  3. A joiner (Khmer coeng U+17D2, Myanmar virama U+1039) is held until the next key: a consonant
//     of the same script makes it a subscript (joiner + consonant stored together); anything else
//     drops it. So no dangling coeng is ever stored by typing.
//  4. Within a Burmese syllable, a medial typed after the stored ေ goes before it, and dot below
//     (U+1037) typed after asat (U+103A) goes before it (the NFC order).
//  5. U+25CC DOTTED CIRCLE is never stored (removed from every output).
//  6. Held characters are dropped when the buffer changes behind the composer's back (a tap in
//     the field, set_text) — they never land somewhere the person did not look.
//  7. An output ending in a joiner (Burmese kinzi "င်္") stores its head and holds the joiner, so
//     the next consonant carries the kinzi; held pre-base vowels wait for that consonant.
//
// Held-state diagram (per composer; "held" = m_held non-empty):
//
//   Empty --pre-base key--> Held(prebase) --Myanmar consonant--> Empty (consonant+prebase stored)
//     |                        |--other mark--> attach to previous syllable if it can take it
//     |                        |--space/punct/commit()--> attach if possible, else drop
//     |--joiner after a consonant--> Held(joiner) --same-script consonant--> Empty (subscript)
//     |                                 \--anything else--> joiner dropped, key handled normally
//   Backspace that leaves a joiner at the caret (ក្ម -> ក្) moves that joiner back to held.
//   backspace() removes the most recently held character before touching the buffer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "input_method.h"

namespace kiosk::text {
class EditBuffer;
}

namespace kiosk::ui {

// [layouts] ---------------------------------------------------------------------------------

enum class KeyAction { Text, Shift, Backspace, Space, Switch, Done };

struct KeyExtra {
  std::string label;   // shown in the long-press popup
  std::string output;  // inserted
};

// What one key does in one layer (base or shift).
struct KeyFace {
  std::string name;    // stable id within the layer ("ka", "shift"); widget id kbd.<layout>.<name>
  std::string label;   // shown on the key (defaults to output)
  std::string output;  // inserted by Text keys; may be several code points
  std::vector<KeyExtra> extras;  // long-press popup, in order
};

struct KeyDef {
  KeyAction action = KeyAction::Text;
  float width = 1.0f;  // in standard key widths
  KeyFace base;
  std::optional<KeyFace> shift;  // absent: the key looks and acts the same in the shift layer
  int line = 0;                  // line in the layout file, for messages
  const KeyFace& face(bool shifted) const { return shifted && shift ? *shift : base; }
};

// How Burmese pre-base characters (ေ ြ) typed AFTER a consonant are read.
enum class PreBaseOrder {
  Visual,   // always held for the next consonant (people type what they see: ေ then က)
  Logical,  // attached to the consonant before them when that syllable can take them
};

struct KeyboardLayout {
  std::string name;          // file stem and id: "latin", "khmer", "burmese", "arabic", ...
  std::string lang;          // language code for the labels' shaping and direction: "km"
  std::string switch_label;  // shown on other layouts' switch key when this one comes next
  PreBaseOrder prebase = PreBaseOrder::Visual;
  bool has_shift = false;    // some key has a shift face
  std::string input;         // "" (keys type into the field), "pinyin" or "handwriting"
  int pad_rows = 0;          // handwriting: the writing pad's height in rows, above the keys
  bool has_candidates() const { return !input.empty(); }
  std::vector<std::vector<KeyDef>> rows;  // top to bottom, each left to right as drawn
};

// Parses one layout. `source` names the file in messages ("content/keyboards/khmer.toml").
// Returns nullopt and appends "file:line: message" strings to *errors on any problem.
std::optional<KeyboardLayout> parse_keyboard_layout(std::string_view toml_text,
                                                    const std::string& source,
                                                    std::vector<std::string>* errors);
std::optional<KeyboardLayout> load_keyboard_layout(const std::string& path,
                                                   std::vector<std::string>* errors);

// [KeyboardLibrary] every layout of a folder, by name. Immutable after load_dir().
class KeyboardLibrary {
 public:
  // Loads every *.toml in `dir` (sorted by name). Bad files are reported in *errors and skipped;
  // returns the number of layouts loaded.
  std::size_t load_dir(const std::string& dir, std::vector<std::string>* errors);
  void add(KeyboardLayout layout);
  const KeyboardLayout* find(std::string_view name) const;
  const std::vector<KeyboardLayout>& layouts() const { return m_layouts; }

 private:
  std::vector<KeyboardLayout> m_layouts;
};

// [KeyboardComposer] -------------------------------------------------------------------------

enum class ComposeResult {
  Inserted,  // the buffer changed
  Held,      // kept back (pre-base vowel, coeng); see preview()
  Removed,   // backspace removed a held character or a code point
  Ignored,   // nothing happened (a mark with no base, backspace on nothing)
};

class KeyboardComposer {
 public:
  // Pre-base order policy of the active layout (Burmese); switch it with the layout.
  void set_prebase_order(PreBaseOrder order) { m_order = order; }

  // Types the output of a Text key at the caret (replacing a selection).
  ComposeResult type(kiosk::text::EditBuffer& buffer, std::string_view output);
  // Removes the most recently held character, else one code point (EditBuffer::backspace()).
  ComposeResult backspace(kiosk::text::EditBuffer& buffer);
  // End of input (space, done, layout switch, focus leaves the field): a held pre-base vowel is
  // attached to the syllable before the caret if it can take it, otherwise dropped; a held joiner
  // is dropped. Returns true if the buffer changed.
  bool commit(kiosk::text::EditBuffer& buffer);
  // Forgets what is held without touching any buffer (the field was replaced).
  void reset();

  bool has_held() const { return !m_held.empty(); }
  // What is held, in the order it will be stored (UTF-8; marks alone, no dotted circle): for the
  // field to draw greyed after its caret and for the keyboard to light the held keys.
  std::string preview() const;
  bool is_held(std::string_view output) const;

 private:
  void sync(const kiosk::text::EditBuffer& buffer);
  void remember(const kiosk::text::EditBuffer& buffer);
  bool attach_prebase(kiosk::text::EditBuffer& buffer);
  void drop_joiner();
  std::u32string held_prebase_sorted() const;

  PreBaseOrder m_order = PreBaseOrder::Visual;
  std::u32string m_held;  // in typed order: pre-base vowels and at most one joiner (last)
  // The buffer state after our last edit; anything else means someone else edited it.
  const kiosk::text::EditBuffer* m_buffer = nullptr;
  std::uint64_t m_revision = 0;
  std::uint32_t m_caret = 0;
};

// [KeyboardController] -----------------------------------------------------------------------
// Everything a key press does, without drawing: the layouts a field allows and the active one,
// the shift state, and the composer. The widget (keyboard.h) draws it and feeds it taps.
//
// Shift:  Off --tap--> Once --tap within kDoubleTapMs--> Locked --tap--> Off
//                       \--tap later--> Off;   Once --a text key or extra--> Off
// Switching layout commits what the composer holds and turns shift Off.

enum class ShiftState { Off, Once, Locked };

struct KeyPress {
  ComposeResult result = ComposeResult::Ignored;
  bool changed = false;  // the buffer's text changed
  bool done = false;     // the Done key: the screen moves on (held text was committed)
};

class KeyboardController {
 public:
  static constexpr double kDoubleTapMs = 400;

  // `library` (and `inputs`, when given) must outlive the controller. Without `inputs`, layouts
  // with an input method are never offered.
  explicit KeyboardController(const KeyboardLibrary& library, const InputMethodSet* inputs = nullptr)
      : m_library(library), m_inputs(inputs) {}

  // The layouts the field allows, in switch-key order ("khmer", "latin", "numeric"); unknown
  // names, and layouts whose input method cannot work (rule 10), are skipped. The first one left
  // becomes active. Returns false if none is left. What an input method composed is dropped.
  bool set_allowed(const std::vector<std::string>& names);
  // Makes an allowed layout active (held text is committed into `buffer` if given).
  bool select(std::string_view name, kiosk::text::EditBuffer* buffer = nullptr);
  const KeyboardLayout* layout() const;       // nullptr before set_allowed() succeeded
  const KeyboardLayout* next_layout() const;  // where the switch key goes; nullptr: nowhere
  const std::vector<const KeyboardLayout*>& allowed() const { return m_allowed; }

  ShiftState shift() const { return m_shift; }
  bool shifted() const { return m_shift != ShiftState::Off; }

  // Does what tapping `key` of the active layout does. now_ms detects the double tap on shift.
  KeyPress press(const KeyDef& key, kiosk::text::EditBuffer& buffer, double now_ms = 0);
  // Inserts a long-press extra.
  KeyPress press_extra(const KeyExtra& extra, kiosk::text::EditBuffer& buffer);
  // The key of the active layer named `name` (as in the widget id kbd.<layout>.<name>).
  const KeyDef* find_key(std::string_view name) const;
  // press(find_key(name)); returns false (and does nothing) if there is no such key.
  bool press_name(std::string_view name, kiosk::text::EditBuffer& buffer, double now_ms = 0,
                  KeyPress* out = nullptr);

  KeyboardComposer& composer() { return m_composer; }
  const KeyboardComposer& composer() const { return m_composer; }

  // [input methods] The active layout's input method, or nullptr for a plain layout.
  InputMethod* input() const;
  // Stores candidate `index` of the current page (rule 8); the buffer changes only when the
  // composition is complete (pinyin "zhangwei": choosing 张 leaves "wei" to compose).
  KeyPress choose(std::size_t index, kiosk::text::EditBuffer& buffer);
  // The candidate whose text is `text` on the current page, if any.
  std::optional<std::size_t> find_candidate(std::string_view text) const;
  // A handwritten stroke for the active layout's input method; false if it takes none.
  bool add_stroke(const InkStroke& stroke);
  void page(int direction);
  // End of input for the field: the input method's best reading, then what the composer holds
  // (rule 9, design note 1). Returns true if the buffer changed.
  bool commit(kiosk::text::EditBuffer& buffer);

 private:
  bool commit_input(kiosk::text::EditBuffer& buffer);
  bool offered(const KeyboardLayout& layout) const;

  const KeyboardLibrary& m_library;
  const InputMethodSet* m_inputs = nullptr;
  std::vector<const KeyboardLayout*> m_allowed;
  std::size_t m_active = 0;
  ShiftState m_shift = ShiftState::Off;
  double m_last_shift_tap = -1e9;
  KeyboardComposer m_composer;
};

// [script helpers] exposed for tests and for the widget's label choice.
bool is_pre_base_vowel(char32_t cp);  // Myanmar ေ ြ (held when typed first)
bool is_joiner(char32_t cp);          // Khmer coeng, Myanmar virama
bool is_consonant(char32_t cp);       // Khmer and Myanmar consonants (take a subscript)
bool is_combining_mark(char32_t cp);  // Mn, Mc, Me

}  // namespace kiosk::ui
