// kiosk/core/form_schema.h — the registration form as data (content/forms/<tour>.toml) and its
// validation. The screen renders fields in schema order and shows each FieldError beside its
// field, translating `key` through the staff-language catalog and substituting `params`.
//
// Schema file (see content/forms/default.toml for the full, commented default, and
// content/forms/cambodia.toml for a tour with fields of its own):
//   [form]   tour = "default", guardian_required_under = 18 (documentation only; the rule is the
//            fields' required_under_age), max_age = 100,
//            require_one_of = [["given_name", "given_name_latin"], ...],
//            label_languages = ["en", "km", ...] (the languages every custom label must have)
//   [[field]] id, kind, required, max_length, allowed = [...], required_under_age, label_key,
//            custom = true, label = { en = "...", ... }, [field.value_labels.<value>] en = ...
// Field kinds: name (native script), name_latin, text, birth (YYYY-MM-DD or YYYY), choice,
// multi_choice (comma-separated values), phone, organization (an organization id).
//
// The rules of a form (numbered so tests and reviews can cite them; parse() enforces them and
// refuses a form that breaks one with "FILE:LINE: reason", so a bad form never reaches staff):
//  F1. Core fields. These ids map onto the participant record (to_participant()), each with the
//      one kind the record can hold: given_name, family_name (name); given_name_latin,
//      family_name_latin (name_latin); birth (birth); gender, role (choice, allowed values
//      among the store's words, records.h); organization_id (organization); grade (text);
//      guardian_name (name); guardian_phone (phone); interests (multi_choice). Their labels are
//      catalog keys (label_key, default "form.field.<id>"; choice values "form.field.<id>.<v>").
//  F2. Any other id is refused ("unknown field id") unless the field says `custom = true`: a
//      tour's own field. A custom id matches [a-z][a-z0-9_]{0,31} and is not a core id; its kind
//      is text, name, name_latin, phone, choice or multi_choice (a second birth or organization
//      would be ambiguous); its allowed values match [a-z0-9][a-z0-9_]{0,31}.
//  F3. A custom field carries its labels, so a tour adds one without touching code or catalogs:
//      `label` is a table language → text with "en" and every language of [form]
//      label_languages; each allowed value of a custom choice has the same in
//      [field.value_labels.<value>]. Staff see the text in their language, else English
//      (custom_label()). A custom field has no label_key.
//  F4. Every key is one this header lists, with the type it documents; ids are unique; choices
//      list their values; max_length > 0; require_one_of names fields of the form. Anything else
//      (a typo such as `requried`, a string where a number belongs) is refused with its line.
//  F5. Values: to_participant() maps core ids onto ParticipantFields and puts every other
//      non-empty value into ParticipantFields::extra (id → trimmed text; multi_choice as
//      comma-separated values), which the store keeps in participant.extra and ships to
//      headquarters in the change log's "extra" object (registry.cpp). validate() checks custom
//      fields exactly like core fields. A value whose id this form does not name is neither
//      checked nor dropped: it was saved under another tour's form and an edit here keeps it.
//  F6. check_extra() is the one owner of what participant.extra may hold (ids as F2, values
//      valid UTF-8 without control or bidi control characters, bounded); the Registry refuses
//      anything else.
//
// Validation (validate()), per field, first failure wins except zawgyi which is added. A value of
// only invisible characters and spaces is empty. The text facts are kiosk_unicode's check_text()
// (unicode/unicode.h), shared with names, the pack checker and the directory CSV:
//   form.error.required, form.error.required_one_of{other}, form.error.invalid_text (bad UTF-8),
//   form.error.control_characters (NUL and every other control character, and the bidi
//   controls U+202A..U+202E, U+2066..U+2069, in every kind of field),
//   form.error.too_long{max} (in code points),
//   form.error.name_characters{char} (digits, symbols, emoji, punctuation other than - ' ’ .),
//   form.error.name_starts_with_mark, form.error.not_latin, form.error.zawgyi{suggestion},
//   form.error.invalid_date, form.error.future_date, form.error.implausible_age{max},
//   form.error.not_allowed{value}, form.error.invalid_phone,
//   form.error.guardian_required{age} (field empty while the person is under its
//   required_under_age; with a birth year only, the youngest possible age counts).
// SQL metacharacters are not special anywhere: the store binds every value.
//
// Contract: load_* never throw; they return nullopt with "file:line: reason" in *error.
// validate() and the converters are pure (no I/O, thread-safe); `today` is "YYYY-MM-DD" from
// the Store clock (iso_day(store.now_ms())).
#pragma once

#include "records.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiosk::core {

enum class FieldKind { name, name_latin, text, birth, choice, multi_choice, phone, organization };

struct FieldSpec {
  std::string id;
  FieldKind kind = FieldKind::text;
  bool required = false;
  int max_length = 100;               // characters (code points)
  std::vector<std::string> allowed;   // choice / multi_choice
  int required_under_age = 0;         // > 0: required when the person is younger
  std::string label_key;              // catalog key of the label, e.g. "form.field.given_name"
  bool custom = false;                // F2: the tour's own field, stored in ParticipantFields::extra
  std::map<std::string, std::string> label;  // F3 (custom only): language → label
  std::map<std::string, std::map<std::string, std::string>> value_labels;  // value → language → text
};

struct FormSchema {
  std::string tour = "default";
  int max_age = 100;
  std::vector<FieldSpec> fields;
  std::vector<std::vector<std::string>> require_one_of;
  std::vector<std::string> label_languages = {"en"};  // F3: every custom label has these

  const FieldSpec* field(std::string_view id) const;

  static std::optional<FormSchema> parse(std::string_view toml_text, const std::string& name,
                                         std::string* error);
  static std::optional<FormSchema> load_file(const std::string& path, std::string* error);
  // <forms_dir>/<tour>.toml, falling back to <forms_dir>/default.toml when the tour has none.
  static std::optional<FormSchema> load_for_tour(const std::string& forms_dir,
                                                 const std::string& tour, std::string* error);
};

using FormValues = std::map<std::string, std::string>;  // field id → UTF-8 value as typed

struct FieldError {
  std::string field;
  std::string key;
  std::vector<std::pair<std::string, std::string>> params;
  bool operator==(const FieldError&) const = default;
};

std::vector<FieldError> validate(const FormSchema& schema, const FormValues& values,
                                 const std::string& today);

// The age to show beside the birth field; nullopt when the value is not a valid date or year.
std::optional<int> displayed_age(const std::string& birth_value, const std::string& today);

// Converters between the form and the record (values trimmed; "birth" → birth_date/birth_year;
// ids that are not core ids go to and come from ParticipantFields::extra, F5).
ParticipantFields to_participant(const FormValues& values);
FormValues from_participant(const ParticipantFields& fields);

// F1/F2: is `id` one the record maps (core), or a well-formed id for a tour's own field?
bool is_core_field_id(std::string_view id);
bool is_custom_field_id(std::string_view id);

// F6: empty when `extra` may be stored, else an English reason naming the offending id.
std::string check_extra(const std::map<std::string, std::string>& extra);

// F3: a custom field's label (value empty) or a custom choice value's label in `lang`, else in
// English; nullopt for a core field, whose labels are catalog keys. Views into `f`.
struct FieldLabel {
  std::string_view text, lang;
};
std::optional<FieldLabel> custom_label(const FieldSpec& f, std::string_view lang,
                                       std::string_view value = {});

// The first character a name may not hold (digits, symbols, emoji, punctuation other than
// - ' ’ .: what validate() refuses as form.error.name_characters{char}), or nullopt when every
// character is allowed or the text is not valid UTF-8 (other checks refuse that). The one owner
// of the rule: staff account names call it too, with digits allowed ("Trainee 01").
std::optional<char32_t> name_character_refused(std::string_view utf8, bool allow_digits = false);

}  // namespace kiosk::core
