// kiosk/core/form_schema.h — the registration form as data (content/forms/<tour>.toml) and its
// validation. The screen renders fields in schema order and shows each FieldError beside its
// field, translating `key` through the staff-language catalog and substituting `params`.
//
// Schema file (see content/forms/default.toml for the full, commented default):
//   [form]   tour = "default", guardian_required_under = 18 (documentation only; the rule is the
//            fields' required_under_age), max_age = 100,
//            require_one_of = [["given_name", "given_name_latin"], ...]
//   [[field]] id, kind, required, max_length, allowed = [...], required_under_age, label_key
// Field kinds: name (native script), name_latin, text, birth (YYYY-MM-DD or YYYY), choice,
// multi_choice (comma-separated values), phone, organization (an organization id).
// Field ids that map onto the participant record (to_participant()): given_name, family_name,
// given_name_latin, family_name_latin, birth, gender, role, organization_id, grade,
// guardian_name, guardian_phone, interests. Other ids are validated but not stored.
//
// Validation (validate()), per field, first failure wins except zawgyi which is added:
//   form.error.required, form.error.required_one_of{other}, form.error.invalid_text (bad UTF-8),
//   form.error.control_characters, form.error.too_long{max} (in characters),
//   form.error.name_characters{char} (digits, symbols, emoji, punctuation other than - ' ’ .),
//   form.error.name_starts_with_mark, form.error.not_latin, form.error.zawgyi{suggestion},
//   form.error.invalid_date, form.error.future_date, form.error.implausible_age{max},
//   form.error.not_allowed{value}, form.error.invalid_phone,
//   form.error.guardian_required{age} (field empty while the person is under its
//   required_under_age; with a birth year only, the youngest possible age counts).
// SQL metacharacters are not special anywhere: the store binds every value.
//
// Contract: load_* never throw; they return nullopt with "file: reason" in *error. validate()
// and the converters are pure (no I/O, thread-safe); `today` is "YYYY-MM-DD" from the Store
// clock (iso_day(store.now_ms())).
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
};

struct FormSchema {
  std::string tour = "default";
  int max_age = 100;
  std::vector<FieldSpec> fields;
  std::vector<std::vector<std::string>> require_one_of;

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

// Converters between the form and the record (values trimmed; "birth" → birth_date/birth_year).
ParticipantFields to_participant(const FormValues& values);
FormValues from_participant(const ParticipantFields& fields);

}  // namespace kiosk::core
