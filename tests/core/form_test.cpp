// The form schema (data) and validation to message keys.
#include "form_schema.h"
#include "test_support.h"

#include "text/zawgyi.h"

using namespace kiosk::core;
using namespace core_test;

namespace {
const std::string kToday = "2026-11-29";

FormSchema default_schema() {
  std::string error;
  auto s = FormSchema::load_for_tour(KIOSK_SOURCE_DIR "/content/forms", "default", &error);
  INFO(error);
  REQUIRE(s);
  return *s;
}

FormValues valid_values() {
  return {{"given_name", "ដារ៉ា"},       {"family_name", "សុខ"},
          {"given_name_latin", "Dara"},   {"family_name_latin", "Sok"},
          {"birth", "2013-05-17"},        {"gender", "female"},
          {"role", "student"},            {"grade", "7"},
          {"guardian_name", "Sok Vanna"}, {"guardian_phone", "+855 12 345 678"},
          {"interests", "astronomy, robotics"}};
}

// The keys reported for one field.
std::vector<std::string> keys_for(const std::vector<FieldError>& errors, const std::string& id) {
  std::vector<std::string> out;
  for (const auto& e : errors)
    if (e.field == id) out.push_back(e.key);
  return out;
}

std::vector<std::string> check_field(const std::string& id, const std::string& value) {
  FormValues v = valid_values();
  v[id] = value;
  return keys_for(validate(default_schema(), v, kToday), id);
}
using Keys = std::vector<std::string>;
}  // namespace

TEST_CASE("the default form schema loads and a tour without its own falls back", "[form]") {
  const FormSchema s = default_schema();
  CHECK(s.field("given_name")->kind == FieldKind::name);
  CHECK(s.field("guardian_phone")->required_under_age == 18);
  CHECK(s.field("gender")->allowed.size() == 4);
  std::string error;
  auto other = FormSchema::load_for_tour(KIOSK_SOURCE_DIR "/content/forms", "mekong-2027", &error);
  REQUIRE(other);
  CHECK(other->fields.size() == s.fields.size());
  CHECK_FALSE(FormSchema::parse("[[field]]\nid = \"x\"\nkind = \"colour\"\n", "t.toml", &error));
  CHECK(error == "t.toml:1: field 'x' has unknown kind 'colour'");
  CHECK_FALSE(FormSchema::parse("[[field]]\nid = \"x\"\nkind = \"choice\"\n", "t.toml", &error));
  CHECK_FALSE(FormSchema::parse("[[field]\n", "t.toml", &error));
  CHECK(error.rfind("t.toml:1:", 0) == 0);
}

TEST_CASE("a complete form validates and converts to a participant", "[form]") {
  const auto errors = validate(default_schema(), valid_values(), kToday);
  CHECK(errors.empty());
  const ParticipantFields p = to_participant(valid_values());
  CHECK(p.birth_date == "2013-05-17");
  CHECK(p.birth_year == 2013);
  CHECK(p.interests == std::vector<std::string>{"astronomy", "robotics"});
  CHECK(to_participant(from_participant(p)).interests == p.interests);
  CHECK(displayed_age("2013-05-17", kToday) == 13);
  CHECK(displayed_age("2013-12-01", kToday) == 12);
  CHECK(displayed_age("2013", kToday) == 12);  // the youngest possible
  CHECK_FALSE(displayed_age("13/05/2013", kToday));
}

TEST_CASE("validation reports message keys per field", "[form]") {
  CHECK(check_field("birth", "") == Keys{"form.error.required"});
  CHECK(check_field("given_name", std::string(61, 'a')) == Keys{"form.error.too_long"});
  CHECK(check_field("given_name", std::string(60, 'a')).empty());
  CHECK(check_field("given_name", "ដារ៉ា" + std::string(1, '\x07')) ==
        Keys{"form.error.control_characters"});
  CHECK(check_field("grade", "7\xC2\x85") == Keys{"form.error.control_characters"});  // C1 NEL
  CHECK(check_field("grade", "7\n") == Keys{"form.error.control_characters"});
  CHECK(check_field("grade", "7\nB") == Keys{"form.error.control_characters"});
  CHECK(check_field("given_name", "Dara\xFF") == Keys{"form.error.invalid_text"});
  CHECK(check_field("given_name", "Dara 😀") == Keys{"form.error.name_characters"});
  CHECK(check_field("given_name", "Dara\xE2\x9D\xA4\xEF\xB8\x8F") ==
        Keys{"form.error.name_characters"});  // ❤️
  CHECK(check_field("given_name", "Dara7") == Keys{"form.error.name_characters"});
  CHECK(check_field("given_name", "Robert'); DROP TABLE participant;--") ==
        Keys{"form.error.name_characters"});
  CHECK(check_field("family_name_latin", "O'Brien-Smith Jr.").empty());
  CHECK(check_field("given_name", "\xE1\x9F\x92\xE1\x9E\x80") ==
        Keys{"form.error.name_starts_with_mark"});  // coeng first
  CHECK(check_field("given_name_latin", "ដារ៉ា") == Keys{"form.error.not_latin"});
  CHECK(check_field("given_name_latin", "Zoë Ngcobo").empty());
  CHECK(check_field("given_name", "مريم").empty());
  CHECK(check_field("given_name", "အောင်ကို").empty());
  CHECK(check_field("birth", "2013-02-29") == Keys{"form.error.invalid_date"});
  CHECK(check_field("birth", "2012-02-29").empty());
  CHECK(check_field("birth", "17/05/2013") == Keys{"form.error.invalid_date"});
  CHECK(check_field("birth", "2026-11-30") == Keys{"form.error.future_date"});
  CHECK(check_field("birth", "2027") == Keys{"form.error.future_date"});
  CHECK(check_field("birth", "1900-01-01") == Keys{"form.error.implausible_age"});
  CHECK(check_field("gender", "F") == Keys{"form.error.not_allowed"});
  CHECK(check_field("interests", "physics,cooking") == Keys{"form.error.not_allowed"});
  CHECK(check_field("guardian_phone", "12-34") == Keys{"form.error.invalid_phone"});
  CHECK(check_field("guardian_phone", "call me") == Keys{"form.error.invalid_phone"});
  CHECK(check_field("guardian_phone", "+27 (0)82 555 1234").empty());
}

TEST_CASE("error parameters carry what the message needs", "[form]") {
  FormValues v = valid_values();
  v["given_name"] = std::string(61, 'a');
  v["gender"] = "F";
  const auto errors = validate(default_schema(), v, kToday);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == FieldError{"given_name", "form.error.too_long", {{"max", "60"}}});
  CHECK(errors[1] == FieldError{"gender", "form.error.not_allowed", {{"value", "F"}}});
}

TEST_CASE("the guardian is required under 18 only", "[form]") {
  FormValues v = valid_values();
  v.erase("guardian_name");
  v["guardian_phone"] = "";
  auto errors = validate(default_schema(), v, kToday);
  CHECK(keys_for(errors, "guardian_name") == Keys{"form.error.guardian_required"});
  CHECK(keys_for(errors, "guardian_phone") == Keys{"form.error.guardian_required"});
  CHECK(errors[0].params == std::vector<std::pair<std::string, std::string>>{{"age", "18"}});
  v["birth"] = "2008-11-29";  // 18 today
  CHECK(validate(default_schema(), v, kToday).empty());
  v["birth"] = "2008-11-30";  // 18 tomorrow
  CHECK(validate(default_schema(), v, kToday).size() == 2);
  v["birth"] = "2008";  // might still be 17
  CHECK(validate(default_schema(), v, kToday).size() == 2);
  v["role"] = "teacher";
  v["birth"] = "1985";
  CHECK(validate(default_schema(), v, kToday).empty());
}

TEST_CASE("a name is needed in at least one script", "[form]") {
  FormValues v = valid_values();
  v["given_name"] = v["given_name_latin"] = "";
  const auto errors = validate(default_schema(), v, kToday);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].key == "form.error.required_one_of");
  CHECK(errors[0].params[0].second == "given_name_latin");
  v["given_name_latin"] = "Dara";
  CHECK(validate(default_schema(), v, kToday).empty());
}

TEST_CASE("Zawgyi-encoded Burmese is flagged with a Unicode suggestion", "[form]") {
  const std::string unicode = "မောင်မောင်";
  const std::string zawgyi = kiosk::text::unicode_to_zawgyi(unicode);
  REQUIRE(zawgyi != unicode);
  FormValues v = valid_values();
  v["given_name"] = zawgyi;
  const auto errors = validate(default_schema(), v, kToday);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].key == "form.error.zawgyi");
  CHECK(errors[0].params[0].first == "suggestion");
  CHECK(errors[0].params[0].second == unicode);
  v["given_name"] = unicode;
  CHECK(validate(default_schema(), v, kToday).empty());
}
