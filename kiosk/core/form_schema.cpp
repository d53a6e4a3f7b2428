#include "form_schema.h"

#include "people_queries.h"
#include "unicode/unicode.h"

#include "toml_safety.h"
#include <toml++/toml.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

namespace kiosk::core {
namespace {

// --- parsing -------------------------------------------------------------------------------

std::optional<FieldKind> kind_from(std::string_view s) {
  static const std::pair<const char*, FieldKind> kKinds[] = {
      {"name", FieldKind::name},           {"name_latin", FieldKind::name_latin},
      {"text", FieldKind::text},           {"birth", FieldKind::birth},
      {"choice", FieldKind::choice},       {"multi_choice", FieldKind::multi_choice},
      {"phone", FieldKind::phone},         {"organization", FieldKind::organization}};
  for (const auto& [word, kind] : kKinds)
    if (s == word) return kind;
  return std::nullopt;
}

// --- text checks ---------------------------------------------------------------------------

// The code points of `s` (unicode.h U3 for ill-formed bytes, which check_text() refuses first).
std::vector<char32_t> code_points_of(std::string_view s) {
  std::vector<char32_t> out;
  unicode::for_each_code_point(s, [&](char32_t c, std::size_t) { out.push_back(c); });
  return out;
}

std::string encode(char32_t c) {
  std::string out;
  unicode::append_utf8(out, c);
  return out;
}

bool is_variation_selector(char32_t c) {
  return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) || c == 0x20E3;
}

// Characters a name may hold: letters, marks, spaces, - ' ’ . and the zero-width joiners and
// space that Arabic, Indic and Khmer text need.
bool allowed_in_name(char32_t c) {
  if (is_variation_selector(c)) return false;  // emoji presentation, keycaps
  if (u_isalpha(static_cast<UChar32>(c)) || unicode::is_mark(c)) return true;
  if (u_charType(static_cast<UChar32>(c)) == U_SPACE_SEPARATOR) return true;
  return c == '-' || c == '\'' || c == 0x2019 || c == '.' || c == 0x200B || c == 0x200C ||
         c == 0x200D;
}

bool is_latin_letter_or_mark(char32_t c) {
  if (!u_isalpha(static_cast<UChar32>(c))) return true;  // separators were checked by allowed_in_name
  return unicode::script_of(c) == USCRIPT_LATIN;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

// --- dates ---------------------------------------------------------------------------------

struct Birth {
  int year = 0, month = 0, day = 0;  // month/day 0 when only the year is known
};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<Birth> parse_birth(std::string_view v) {
  auto num = [](std::string_view s) {
    int n = 0;
    for (char c : s) n = n * 10 + (c - '0');
    return n;
  };
  if (v.size() == 4 && all_digits(v)) return Birth{num(v), 0, 0};
  if (v.size() != 10 || v[4] != '-' || v[7] != '-' || !all_digits(v.substr(0, 4)) ||
      !all_digits(v.substr(5, 2)) || !all_digits(v.substr(8, 2)))
    return std::nullopt;
  Birth b{num(v.substr(0, 4)), num(v.substr(5, 2)), num(v.substr(8, 2))};
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (b.month < 1 || b.month > 12 || b.day < 1) return std::nullopt;
  const bool leap = (b.year % 4 == 0 && b.year % 100 != 0) || b.year % 400 == 0;
  const int days = kDays[b.month - 1] + (b.month == 2 && leap ? 1 : 0);
  if (b.day > days) return std::nullopt;
  return b;
}

std::vector<std::string> split_list(std::string_view v) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in{std::string(v)};
  while (std::getline(in, item, ',')) {
    item = trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

// --- FormSchema ----------------------------------------------------------------------------

const FieldSpec* FormSchema::field(std::string_view id) const {
  for (const auto& f : fields)
    if (f.id == id) return &f;
  return nullptr;
}

namespace {

// F1: the ids the record maps, each with the one kind it can hold.
struct CoreField {
  const char* id;
  FieldKind kind;
};
constexpr CoreField kCoreFields[] = {
    {"given_name", FieldKind::name},         {"family_name", FieldKind::name},
    {"given_name_latin", FieldKind::name_latin}, {"family_name_latin", FieldKind::name_latin},
    {"birth", FieldKind::birth},             {"gender", FieldKind::choice},
    {"role", FieldKind::choice},             {"organization_id", FieldKind::organization},
    {"grade", FieldKind::text},              {"guardian_name", FieldKind::name},
    {"guardian_phone", FieldKind::phone},    {"interests", FieldKind::multi_choice}};

// The words the store's CHECKs allow (records.h) for the core choices.
const std::vector<std::string>* store_words(std::string_view id) {
  static const std::vector<std::string> kGender = {"female", "male", "other", "unspecified"};
  static const std::vector<std::string> kRole = {"student", "teacher", "other"};
  if (id == "gender") return &kGender;
  if (id == "role") return &kRole;
  return nullptr;
}

const char* kind_name(FieldKind k) {
  switch (k) {
    case FieldKind::name: return "name";
    case FieldKind::name_latin: return "name_latin";
    case FieldKind::text: return "text";
    case FieldKind::birth: return "birth";
    case FieldKind::choice: return "choice";
    case FieldKind::multi_choice: return "multi_choice";
    case FieldKind::phone: return "phone";
    case FieldKind::organization: return "organization";
  }
  return "text";  // impossible: every enumerator is listed above
}

std::string core_id_list() {
  std::string out;
  for (const auto& c : kCoreFields) out += (out.empty() ? "" : ", ") + std::string(c.id);
  return out;
}

// [a-z][a-z0-9_]{0,31} (first_digit: [a-z0-9] first, for choice values).
bool is_word(std::string_view s, bool first_digit) {
  if (s.empty() || s.size() > 32) return false;
  const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!lower(s[0]) && !(first_digit && digit(s[0]))) return false;
  return std::all_of(s.begin() + 1, s.end(), [&](char c) { return lower(c) || digit(c) || c == '_'; });
}

// A language code as the catalogs name them: 2-3 lowercase letters, optionally -Region.
bool is_language_code(std::string_view s) {
  const auto dash = s.find('-');
  const std::string_view base = s.substr(0, dash);
  if (base.size() < 2 || base.size() > 3) return false;
  if (!std::all_of(base.begin(), base.end(), [](char c) { return c >= 'a' && c <= 'z'; })) return false;
  return dash == std::string_view::npos || (s.size() > dash + 1 && s.size() <= dash + 9);
}

// Reads one form, remembering the first error as "FILE:LINE: reason" (F4).
class FormReader {
 public:
  explicit FormReader(const std::string& name) : m_name(name) {}
  bool failed() const { return !m_error.empty(); }
  const std::string& error() const { return m_error; }

  void fail(const toml::node& at, const std::string& reason) {
    if (m_error.empty()) m_error = m_name + ":" + std::to_string(at.source().begin.line) + ": " + reason;
  }
  // Keys of `t` outside `known` are refused with the line of their value.
  void only_keys(const toml::table& t, std::initializer_list<std::string_view> known,
                 const std::string& where) {
    for (const auto& [key, value] : t)
      if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
        std::string list;
        for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        fail(value, "unknown key '" + std::string(key.str()) + "' in " + where + " (known: " + list + ")");
      }
  }
  std::optional<std::string> text(const toml::table& t, std::string_view key, const std::string& what) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_string()) {
      fail(*n, what + " '" + std::string(key) + "' must be a string");
      return std::nullopt;
    }
    return n->value_or(std::string());
  }
  std::optional<int64_t> integer(const toml::table& t, std::string_view key, const std::string& what,
                                 int64_t min, int64_t max) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    const auto v = n->is_integer() ? n->value<int64_t>() : std::nullopt;
    if (!v || *v < min || *v > max) {
      fail(*n, what + " '" + std::string(key) + "' must be a whole number from " + std::to_string(min) +
                   " to " + std::to_string(max));
      return std::nullopt;
    }
    return v;
  }
  std::optional<bool> boolean(const toml::table& t, std::string_view key, const std::string& what) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_boolean()) {
      fail(*n, what + " '" + std::string(key) + "' must be true or false");
      return std::nullopt;
    }
    return n->value_or(false);
  }
  std::vector<std::string> strings(const toml::node& n, const std::string& what) {
    std::vector<std::string> out;
    const toml::array* a = n.as_array();
    if (!a) {
      fail(n, what + " must be a list of strings");
      return out;
    }
    for (const toml::node& item : *a) {
      if (!item.is_string()) {
        fail(item, what + " must be a list of strings");
        return {};
      }
      out.push_back(item.value_or(std::string()));
    }
    return out;
  }
  // F3: { en = "...", km = "..." } with "en" and every required language.
  std::map<std::string, std::string> labels(const toml::node& n, const std::string& what,
                                            const std::vector<std::string>& required) {
    std::map<std::string, std::string> out;
    const toml::table* t = n.as_table();
    if (!t) {
      fail(n, what + " must be a table of language = \"text\", e.g. { en = \"Camp group\" }");
      return out;
    }
    for (const auto& [lang, text] : *t) {
      const std::string code(lang.str());
      if (!is_language_code(code)) fail(text, what + ": '" + code + "' is not a language code such as en or km");
      else if (!text.is_string()) fail(text, what + "." + code + " must be a string");
      else if (text.value_or(std::string()).find_first_not_of(" \t") == std::string::npos)
        fail(text, what + "." + code + " is empty");
      else out[code] = text.value_or(std::string());
    }
    for (const std::string& lang : required)
      if (!failed() && !out.count(lang))
        fail(n, what + " has no '" + lang + "' text (every custom label needs en and the form's label_languages)");
    return out;
  }

 private:
  const std::string& m_name;
  std::string m_error;
};

}  // namespace

std::optional<FormSchema> FormSchema::parse(std::string_view toml_text, const std::string& name,
                                            std::string* error) {
  toml::table root;
  TomlRefusal refusal;
  if (!parse_toml_checked(toml_text, name, &root, &refusal)) {
    *error = name + ":" + std::to_string(refusal.line) + ": " + refusal.reason;
    return std::nullopt;
  }
  FormReader in(name);
  auto refuse = [&]() -> std::optional<FormSchema> {
    *error = in.error();
    return std::nullopt;
  };
  in.only_keys(root, {"form", "field"}, "the form file");
  FormSchema schema;
  std::vector<std::pair<const toml::node*, std::string>> one_of_ids;  // checked once fields are known
  if (const toml::node* form_node = root.get("form")) {
    const toml::table* form = form_node->as_table();
    if (!form) {
      in.fail(*form_node, "[form] must be a table");
      return refuse();
    }
    in.only_keys(*form, {"tour", "guardian_required_under", "max_age", "require_one_of", "label_languages"},
                 "[form]");
    schema.tour = in.text(*form, "tour", "[form]").value_or("default");
    in.integer(*form, "guardian_required_under", "[form]", 1, 150);
    schema.max_age = static_cast<int>(in.integer(*form, "max_age", "[form]", 1, 150).value_or(100));
    if (const toml::node* groups_node = form->get("require_one_of")) {
      const toml::array* groups = groups_node->as_array();
      if (!groups) in.fail(*groups_node, "require_one_of must be a list of lists of field ids");
      for (std::size_t i = 0; groups && i < groups->size() && !in.failed(); ++i) {
        const toml::node& g = *groups->get(i);
        if (!g.is_array()) {
          in.fail(g, "require_one_of must be a list of lists of field ids");
          break;
        }
        std::vector<std::string> group = in.strings(g, "a require_one_of group");
        if (!in.failed() && group.size() < 2) in.fail(g, "a require_one_of group names at least two fields");
        for (const auto& id : group) one_of_ids.emplace_back(&g, id);
        schema.require_one_of.push_back(std::move(group));
      }
    }
    if (const toml::node* langs = form->get("label_languages")) {
      std::vector<std::string> list = in.strings(*langs, "label_languages");
      for (const std::string& l : list)
        if (!is_language_code(l)) in.fail(*langs, "label_languages: '" + l + "' is not a language code such as en or km");
      if (std::find(list.begin(), list.end(), "en") == list.end()) list.insert(list.begin(), "en");
      schema.label_languages = std::move(list);
    }
  }
  if (in.failed()) return refuse();
  const toml::node* fields_node = root.get("field");
  const toml::array* fields = fields_node ? fields_node->as_array() : nullptr;
  if (!fields || fields->empty()) {
    if (fields_node) in.fail(*fields_node, "fields are [[field]] tables");
    else *error = name + ":1: no [[field]] entries";
    if (in.failed()) return refuse();
    return std::nullopt;
  }
  std::set<std::string> ids;
  for (const toml::node& node : *fields) {
    const toml::table* t = node.as_table();
    if (!t) {
      in.fail(node, "a field must be a table");
      return refuse();
    }
    in.only_keys(*t, {"id", "kind", "required", "max_length", "allowed", "required_under_age", "label_key",
                      "custom", "label", "value_labels"},
                 "[[field]]");
    FieldSpec f;
    f.id = in.text(*t, "id", "field").value_or("");
    if (in.failed()) return refuse();
    if (f.id.empty()) {
      in.fail(node, "a field without id");
      return refuse();
    }
    const toml::node& id_node = *t->get("id");
    if (!ids.insert(f.id).second) {
      in.fail(id_node, "field id '" + f.id + "' is used twice");
      return refuse();
    }
    f.custom = in.boolean(*t, "custom", "field '" + f.id + "':").value_or(false);
    const std::string what = "field '" + f.id + "':";
    const std::string kind = in.text(*t, "kind", what).value_or("text");
    if (in.failed()) return refuse();
    const auto k = kind_from(kind);
    if (!k) {
      in.fail(t->get("kind") ? *t->get("kind") : node, "field '" + f.id + "' has unknown kind '" + kind + "'");
      return refuse();
    }
    f.kind = *k;
    const CoreField* core = nullptr;
    for (const auto& c : kCoreFields)
      if (f.id == c.id) core = &c;
    if (f.custom) {  // F2
      if (core) {
        in.fail(id_node, "custom field id '" + f.id + "' is a core field id; a tour's own field needs a "
                         "name of its own (core ids: " + core_id_list() + ")");
      } else if (!is_custom_field_id(f.id)) {
        in.fail(id_node, "custom field id '" + f.id + "' must be lowercase letters, digits and _ "
                         "(at most 32, starting with a letter)");
      } else if (f.kind == FieldKind::birth || f.kind == FieldKind::organization) {
        in.fail(t->get("kind") ? *t->get("kind") : node,
                "custom field '" + f.id + "' cannot be of kind '" + kind +
                    "' (only text, name, name_latin, phone, choice, multi_choice)");
      } else if (t->get("label_key")) {
        in.fail(*t->get("label_key"), "custom field '" + f.id + "' carries its own label = { en = ... }, "
                                      "not a label_key");
      }
    } else if (!core) {  // F1
      in.fail(id_node, "unknown field id '" + f.id + "' — the core stores only " + core_id_list() +
                           "; a tour's own field says custom = true");
    } else if (f.kind != core->kind) {
      in.fail(t->get("kind") ? *t->get("kind") : node,
              "field '" + f.id + "' must be of kind '" + kind_name(core->kind) + "', not '" + kind + "'");
    } else if (t->get("label")) {
      in.fail(*t->get("label"), "core field '" + f.id + "' is labelled by the catalog (label_key), not label");
    } else if (t->get("value_labels")) {
      in.fail(*t->get("value_labels"), "core field '" + f.id + "' labels its values in the catalog");
    }
    if (in.failed()) return refuse();
    f.required = in.boolean(*t, "required", what).value_or(false);
    f.max_length = static_cast<int>(in.integer(*t, "max_length", what, 1, 10000).value_or(100));
    f.required_under_age = static_cast<int>(in.integer(*t, "required_under_age", what, 0, 150).value_or(0));
    f.label_key = in.text(*t, "label_key", what).value_or("form.field." + f.id);
    const bool choice = f.kind == FieldKind::choice || f.kind == FieldKind::multi_choice;
    if (const toml::node* allowed = t->get("allowed")) {
      if (!choice) in.fail(*allowed, "field '" + f.id + "' is not a choice: 'allowed' does not apply");
      f.allowed = in.strings(*allowed, "field '" + f.id + "': allowed");
      std::set<std::string> seen;
      for (const std::string& v : f.allowed) {
        if (!seen.insert(v).second) in.fail(*allowed, "field '" + f.id + "' allows '" + v + "' twice");
        if (f.custom && !is_word(v, true))
          in.fail(*allowed, "field '" + f.id + "': value '" + v + "' must be lowercase letters, digits and _ "
                            "(it is stored and synced as typed here; its label is in value_labels)");
        if (const auto* words = store_words(f.id);
            words && std::find(words->begin(), words->end(), v) == words->end())
          in.fail(*allowed, "field '" + f.id + "': value '" + v + "' is not one the store keeps (records.h)");
      }
    }
    if (in.failed()) return refuse();
    if (choice && f.allowed.empty()) {
      in.fail(node, "field '" + f.id + "' is a choice without allowed values");
      return refuse();
    }
    if (f.custom) {  // F3
      const toml::node* label = t->get("label");
      if (!label) {
        in.fail(node, "custom field '" + f.id + "' has no label = { en = \"...\", ... }");
        return refuse();
      }
      f.label = in.labels(*label, "field '" + f.id + "': label", schema.label_languages);
      const toml::node* values = t->get("value_labels");
      if (values && !choice) in.fail(*values, "field '" + f.id + "' is not a choice: 'value_labels' does not apply");
      const toml::table* vt = values ? values->as_table() : nullptr;
      if (values && !vt && !in.failed()) in.fail(*values, "field '" + f.id + "': value_labels must be a table");
      if (vt)
        for (const auto& [value, labels] : *vt)
          if (std::find(f.allowed.begin(), f.allowed.end(), value.str()) == f.allowed.end())
            in.fail(labels, "field '" + f.id + "': value_labels names '" + std::string(value.str()) +
                                "', which is not an allowed value");
      for (const std::string& v : choice && !in.failed() ? f.allowed : std::vector<std::string>{}) {
        const toml::node* l = vt ? vt->get(v) : nullptr;
        if (!l) {
          in.fail(values ? *values : node, "custom field '" + f.id + "': value '" + v +
                                               "' has no label ([field.value_labels." + v + "] en = \"...\")");
          break;
        }
        f.value_labels[v] = in.labels(*l, "field '" + f.id + "': value_labels." + v, schema.label_languages);
      }
      if (in.failed()) return refuse();
    }
    schema.fields.push_back(std::move(f));
  }
  for (const auto& [node, id] : one_of_ids)
    if (!schema.field(id)) {
      in.fail(*node, "require_one_of names '" + id + "', which is not a field of this form");
      return refuse();
    }
  return schema;
}

std::optional<FormSchema> FormSchema::load_file(const std::string& path, std::string* error) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    *error = path + ": cannot read the form schema";
    return std::nullopt;
  }
  std::string text;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  std::fclose(f);
  return parse(text, path, error);
}

std::optional<FormSchema> FormSchema::load_for_tour(const std::string& forms_dir,
                                                    const std::string& tour, std::string* error) {
  namespace fs = std::filesystem;
  const bool safe_name = !tour.empty() && tour.find('/') == std::string::npos &&
                         tour.find("..") == std::string::npos;
  const fs::path own = fs::path(forms_dir) / (tour + ".toml");
  std::error_code ec;
  if (safe_name && fs::exists(own, ec)) return load_file(own.string(), error);
  return load_file((fs::path(forms_dir) / "default.toml").string(), error);
}

// --- validation ----------------------------------------------------------------------------

std::optional<int> displayed_age(const std::string& birth_value, const std::string& today) {
  const auto b = parse_birth(trim(birth_value));
  if (!b) return std::nullopt;
  std::optional<std::string> date;
  if (b->month) date = trim(birth_value);
  return age_on(date, b->year, today);
}

std::vector<FieldError> validate(const FormSchema& schema, const FormValues& values,
                                 const std::string& today) {
  std::vector<FieldError> errors;
  // A value of only invisible characters (U+200B, joiners, bidi marks) and spaces is no value:
  // "required" must not be satisfied by something nobody can read.
  auto value_of = [&](const std::string& id) {
    const auto it = values.find(id);
    std::string v = it == values.end() ? std::string() : trim(it->second);
    if (unicode::is_invisible_only(v)) v.clear();  // U+200B, joiners, bidi marks, spaces
    return v;
  };
  auto add = [&](const std::string& field, const char* key,
                 std::vector<std::pair<std::string, std::string>> params = {}) {
    errors.push_back({field, key, std::move(params)});
  };
  // The person's youngest possible age, from the first birth field that parses.
  std::optional<int> age;
  for (const auto& f : schema.fields)
    if (f.kind == FieldKind::birth && !age) age = displayed_age(value_of(f.id), today);

  std::set<std::string> reported;  // fields that already carry an error
  for (const FieldSpec& f : schema.fields) {
    const std::string v = value_of(f.id);
    const std::size_t before = errors.size();
    if (v.empty()) {
      if (f.required)
        add(f.id, "form.error.required");
      else if (f.required_under_age > 0 && age && *age < f.required_under_age)
        add(f.id, "form.error.guardian_required", {{"age", std::to_string(f.required_under_age)}});
      if (errors.size() > before) reported.insert(f.id);
      continue;
    }
    // The one check of readable text (unicode.h): ill-formed UTF-8, control characters (NUL
    // included), bidi controls, length in code points. Zawgyi is reported below, with the
    // converted text as a suggestion; "no letter" is for name rules and "required" to judge.
    unicode::TextRules rules;
    rules.max_code_points = static_cast<std::size_t>(std::max(f.max_length, 0));
    rules.check_zawgyi = false;
    const unicode::TextCheck found = unicode::check_text(v, rules);
    const std::vector<char32_t> cps = code_points_of(v);
    if (found.problem == unicode::TextProblem::invalid_utf8) {
      add(f.id, "form.error.invalid_text");
    } else if (found.problem == unicode::TextProblem::control ||
               found.problem == unicode::TextProblem::bidi_control) {
      add(f.id, "form.error.control_characters");
    } else if (found.problem == unicode::TextProblem::too_long) {
      add(f.id, "form.error.too_long", {{"max", std::to_string(f.max_length)}});
    } else {
      switch (f.kind) {
        case FieldKind::name:
        case FieldKind::name_latin: {
          const auto bad = std::find_if(cps.begin(), cps.end(),
                                        [](char32_t c) { return !allowed_in_name(c); });
          if (bad != cps.end()) {
            add(f.id, "form.error.name_characters", {{"char", encode(*bad)}});
          } else if (f.kind == FieldKind::name && unicode::looks_like_zawgyi(v)) {
            // Before the mark rule: Zawgyi types some vowel signs first, and the suggestion is
            // the more useful message.
            add(f.id, "form.error.zawgyi", {{"suggestion", unicode::zawgyi_to_unicode(v)}});
          } else if (unicode::is_mark(cps.front())) {
            add(f.id, "form.error.name_starts_with_mark");
          } else if (f.kind == FieldKind::name_latin &&
                     !std::all_of(cps.begin(), cps.end(), is_latin_letter_or_mark)) {
            add(f.id, "form.error.not_latin");
          }
          break;
        }
        case FieldKind::text:
          if (unicode::looks_like_zawgyi(v))
            add(f.id, "form.error.zawgyi", {{"suggestion", unicode::zawgyi_to_unicode(v)}});
          break;
        case FieldKind::birth: {
          const auto b = parse_birth(v);
          if (!b) {
            add(f.id, "form.error.invalid_date");
            break;
          }
          char date[11];
          std::snprintf(date, sizeof date, "%04d-%02d-%02d", b->year, b->month ? b->month : 1,
                        b->day ? b->day : 1);
          if (std::string(date) > today) {
            add(f.id, "form.error.future_date");
          } else if (age && *age > schema.max_age) {
            add(f.id, "form.error.implausible_age", {{"max", std::to_string(schema.max_age)}});
          }
          break;
        }
        case FieldKind::choice:
          if (std::find(f.allowed.begin(), f.allowed.end(), v) == f.allowed.end())
            add(f.id, "form.error.not_allowed", {{"value", v}});
          break;
        case FieldKind::multi_choice:
          for (const auto& item : split_list(v))
            if (std::find(f.allowed.begin(), f.allowed.end(), item) == f.allowed.end()) {
              add(f.id, "form.error.not_allowed", {{"value", item}});
              break;
            }
          break;
        case FieldKind::phone: {
          int digits = 0;
          bool ok = true;
          for (std::size_t i = 0; i < v.size(); ++i) {
            const char c = v[i];
            if (c >= '0' && c <= '9')
              ++digits;
            else if (!(c == ' ' || c == '-' || c == '(' || c == ')' || (c == '+' && i == 0)))
              ok = false;
          }
          if (!ok || digits < 6 || digits > 15) add(f.id, "form.error.invalid_phone");
          break;
        }
        case FieldKind::organization: break;  // an id picked from search; the store checks it
      }
    }
    if (errors.size() > before) reported.insert(f.id);
  }
  for (const auto& group : schema.require_one_of) {
    const bool any = std::any_of(group.begin(), group.end(),
                                 [&](const std::string& id) { return !value_of(id).empty(); });
    if (any) continue;
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (reported.count(group[i])) continue;
      const std::string& other = group[(i + 1) % group.size()];
      add(group[i], "form.error.required_one_of", {{"other", other}});
    }
  }
  return errors;
}

// --- converters ----------------------------------------------------------------------------

ParticipantFields to_participant(const FormValues& values) {
  auto get = [&](const char* id) {
    const auto it = values.find(id);
    return it == values.end() ? std::string() : trim(it->second);
  };
  ParticipantFields p;
  p.given_name = get("given_name");
  p.family_name = get("family_name");
  p.given_name_latin = get("given_name_latin");
  p.family_name_latin = get("family_name_latin");
  const std::string birth = get("birth");
  if (const auto b = parse_birth(birth)) {
    p.birth_year = b->year;
    if (b->month) p.birth_date = birth;
  }
  if (!get("gender").empty()) p.gender = get("gender");
  if (!get("role").empty()) p.role = get("role");
  if (!get("organization_id").empty()) p.organization_id = get("organization_id");
  p.grade = get("grade");
  p.guardian_name = get("guardian_name");
  p.guardian_phone = get("guardian_phone");
  p.interests = split_list(get("interests"));
  for (const auto& [id, value] : values)  // F5: the tour's own fields
    if (!is_core_field_id(id))
      if (std::string v = trim(value); !v.empty()) p.extra[id] = std::move(v);
  return p;
}

FormValues from_participant(const ParticipantFields& p) {
  FormValues v;
  v["given_name"] = p.given_name;
  v["family_name"] = p.family_name;
  v["given_name_latin"] = p.given_name_latin;
  v["family_name_latin"] = p.family_name_latin;
  v["birth"] = p.birth_date ? *p.birth_date : (p.birth_year ? std::to_string(p.birth_year) : "");
  v["gender"] = p.gender;
  v["role"] = p.role;
  v["organization_id"] = p.organization_id.value_or("");
  v["grade"] = p.grade;
  v["guardian_name"] = p.guardian_name;
  v["guardian_phone"] = p.guardian_phone;
  std::string interests;
  for (const auto& i : p.interests) interests += (interests.empty() ? "" : ",") + i;
  v["interests"] = interests;
  for (const auto& [id, value] : p.extra)
    if (!is_core_field_id(id)) v[id] = value;  // F5 (a core id in extra is refused by F6)
  return v;
}

bool is_core_field_id(std::string_view id) {
  return std::any_of(std::begin(kCoreFields), std::end(kCoreFields),
                     [&](const CoreField& c) { return id == c.id; });
}

bool is_custom_field_id(std::string_view id) { return is_word(id, false) && !is_core_field_id(id); }

std::string check_extra(const std::map<std::string, std::string>& extra) {
  constexpr std::size_t kMaxEntries = 64, kMaxBytes = 4000;  // a field's max_length is at most
  if (extra.size() > kMaxEntries)                           // 10000 characters; no form has more
    return "more than " + std::to_string(kMaxEntries) + " tour fields";
  for (const auto& [id, value] : extra) {
    if (!is_custom_field_id(id))
      return "tour field id '" + id + "' is not a custom field id (form_schema.h F2)";
    unicode::TextRules rules;
    rules.check_zawgyi = false;
    const unicode::TextCheck found = unicode::check_text(value, rules);
    if (found.problem == unicode::TextProblem::invalid_utf8) return "tour field '" + id + "' is not valid UTF-8";
    if (value.empty() || found.problem == unicode::TextProblem::control ||
        found.problem == unicode::TextProblem::bidi_control)
      return "tour field '" + id + "' is empty or holds control characters";
    if (value.size() > kMaxBytes)
      return "tour field '" + id + "' is longer than " + std::to_string(kMaxBytes) + " bytes";
  }
  return {};
}

std::optional<FieldLabel> custom_label(const FieldSpec& f, std::string_view lang,
                                       std::string_view value) {
  if (!f.custom) return std::nullopt;
  const std::map<std::string, std::string>* labels = &f.label;
  if (!value.empty()) {
    const auto it = f.value_labels.find(std::string(value));
    if (it == f.value_labels.end()) return std::nullopt;
    labels = &it->second;
  }
  auto found = labels->find(std::string(lang));
  if (found == labels->end()) found = labels->find("en");
  if (found == labels->end()) return std::nullopt;  // impossible after parse() (F3)
  return FieldLabel{found->second, found->first};
}

std::optional<char32_t> name_character_refused(std::string_view utf8, bool allow_digits) {
  if (!unicode::is_valid_utf8(utf8)) return std::nullopt;
  for (const unicode::CodePoint& cp : unicode::decode_utf8(utf8)) {
    if (allow_digits && u_isdigit(static_cast<UChar32>(cp.value))) continue;
    if (!allowed_in_name(cp.value)) return cp.value;
  }
  return std::nullopt;
}

}  // namespace kiosk::core
