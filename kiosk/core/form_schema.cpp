#include "form_schema.h"

#include "people_queries.h"
#include "text/zawgyi.h"

#include <toml++/toml.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

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

std::string where(const std::string& name, const toml::node& n) {
  return name + ":" + std::to_string(n.source().begin.line);
}

// --- text checks ---------------------------------------------------------------------------

std::vector<UChar32> decode(std::string_view s, bool* valid) {
  std::vector<UChar32> out;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  *valid = true;
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) {
      *valid = false;
      return out;
    }
    out.push_back(c);
  }
  return out;
}

std::string encode(UChar32 c) {
  char buf[4];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, c, error);
  return error ? std::string() : std::string(buf, static_cast<std::size_t>(len));
}

bool is_control(UChar32 c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

bool is_variation_selector(UChar32 c) {
  return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) || c == 0x20E3;
}

bool is_mark(UChar32 c) {
  const int8_t t = u_charType(c);
  return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK || t == U_ENCLOSING_MARK;
}

// Characters a name may hold: letters, marks, spaces, - ' ’ . and the zero-width joiners and
// space that Arabic, Indic and Khmer text need.
bool allowed_in_name(UChar32 c) {
  if (is_variation_selector(c)) return false;  // emoji presentation, keycaps
  if (u_isalpha(c) || is_mark(c)) return true;
  if (u_charType(c) == U_SPACE_SEPARATOR) return true;
  return c == '-' || c == '\'' || c == 0x2019 || c == '.' || c == 0x200B || c == 0x200C ||
         c == 0x200D;
}

bool is_latin_letter_or_mark(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  if (!u_isalpha(c)) return true;  // separators were checked by allowed_in_name
  return uscript_getScript(c, &status) == USCRIPT_LATIN;
}

bool has_myanmar(const std::vector<UChar32>& cps) {
  return std::any_of(cps.begin(), cps.end(), [](UChar32 c) { return c >= 0x1000 && c <= 0x109F; });
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

std::optional<FormSchema> FormSchema::parse(std::string_view toml_text, const std::string& name,
                                            std::string* error) {
  toml::table root;
  try {
    root = toml::parse(toml_text, name);
  } catch (const toml::parse_error& e) {
    *error = name + ":" + std::to_string(e.source().begin.line) + ": " +
             std::string(e.description());
    return std::nullopt;
  }
  FormSchema schema;
  if (const toml::table* form = root["form"].as_table()) {
    schema.tour = (*form)["tour"].value_or(std::string("default"));
    schema.max_age = static_cast<int>((*form)["max_age"].value_or(int64_t{100}));
    if (const toml::array* groups = (*form)["require_one_of"].as_array()) {
      for (const toml::node& g : *groups) {
        const toml::array* ids = g.as_array();
        if (!ids) {
          *error = where(name, g) + ": require_one_of must be a list of lists of field ids";
          return std::nullopt;
        }
        std::vector<std::string> group;
        for (const toml::node& id : *ids) group.push_back(id.value_or(std::string()));
        schema.require_one_of.push_back(std::move(group));
      }
    }
  }
  const toml::array* fields = root["field"].as_array();
  if (!fields || fields->empty()) {
    *error = name + ": no [[field]] entries";
    return std::nullopt;
  }
  std::set<std::string> ids;
  for (const toml::node& node : *fields) {
    const toml::table* t = node.as_table();
    if (!t) {
      *error = where(name, node) + ": a field must be a table";
      return std::nullopt;
    }
    FieldSpec f;
    f.id = (*t)["id"].value_or(std::string());
    if (f.id.empty() || !ids.insert(f.id).second) {
      *error = where(name, node) + ": field without id, or id used twice";
      return std::nullopt;
    }
    const std::string kind = (*t)["kind"].value_or(std::string("text"));
    const auto k = kind_from(kind);
    if (!k) {
      *error = where(name, node) + ": field '" + f.id + "' has unknown kind '" + kind + "'";
      return std::nullopt;
    }
    f.kind = *k;
    f.required = (*t)["required"].value_or(false);
    f.max_length = static_cast<int>((*t)["max_length"].value_or(int64_t{100}));
    f.required_under_age = static_cast<int>((*t)["required_under_age"].value_or(int64_t{0}));
    f.label_key = (*t)["label_key"].value_or("form.field." + f.id);
    if (const toml::array* allowed = (*t)["allowed"].as_array())
      for (const toml::node& a : *allowed) f.allowed.push_back(a.value_or(std::string()));
    if ((f.kind == FieldKind::choice || f.kind == FieldKind::multi_choice) && f.allowed.empty()) {
      *error = where(name, node) + ": field '" + f.id + "' is a choice without allowed values";
      return std::nullopt;
    }
    if (f.max_length <= 0) {
      *error = where(name, node) + ": field '" + f.id + "' has max_length <= 0";
      return std::nullopt;
    }
    schema.fields.push_back(std::move(f));
  }
  for (const auto& group : schema.require_one_of)
    for (const auto& id : group)
      if (!schema.field(id)) {
        *error = name + ": require_one_of names unknown field '" + id + "'";
        return std::nullopt;
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
  auto value_of = [&](const std::string& id) {
    const auto it = values.find(id);
    return it == values.end() ? std::string() : trim(it->second);
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
    bool valid = true;
    const std::vector<UChar32> cps = decode(v, &valid);
    if (!valid) {
      add(f.id, "form.error.invalid_text");
    } else if (std::any_of(cps.begin(), cps.end(), is_control)) {
      add(f.id, "form.error.control_characters");
    } else if (static_cast<int>(cps.size()) > f.max_length) {
      add(f.id, "form.error.too_long", {{"max", std::to_string(f.max_length)}});
    } else {
      switch (f.kind) {
        case FieldKind::name:
        case FieldKind::name_latin: {
          const auto bad = std::find_if(cps.begin(), cps.end(),
                                        [](UChar32 c) { return !allowed_in_name(c); });
          if (bad != cps.end()) {
            add(f.id, "form.error.name_characters", {{"char", encode(*bad)}});
          } else if (f.kind == FieldKind::name && has_myanmar(cps) &&
                     kiosk::text::looks_like_zawgyi(v)) {  // before the mark rule: Zawgyi
            // types some vowel signs first, and the suggestion is the more useful message
            add(f.id, "form.error.zawgyi", {{"suggestion", kiosk::text::zawgyi_to_unicode(v)}});
          } else if (is_mark(cps.front())) {
            add(f.id, "form.error.name_starts_with_mark");
          } else if (f.kind == FieldKind::name_latin &&
                     !std::all_of(cps.begin(), cps.end(), is_latin_letter_or_mark)) {
            add(f.id, "form.error.not_latin");
          }
          break;
        }
        case FieldKind::text:
          if (has_myanmar(cps) && kiosk::text::looks_like_zawgyi(v))
            add(f.id, "form.error.zawgyi", {{"suggestion", kiosk::text::zawgyi_to_unicode(v)}});
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
  return v;
}

}  // namespace kiosk::core
