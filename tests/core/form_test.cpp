// The form schema (data) and validation to message keys.
#include "form_schema.h"
#include "test_support.h"

#include "unicode/unicode.h"

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
  CHECK_FALSE(FormSchema::parse("[[field]]\nid = \"grade\"\nkind = \"colour\"\n", "t.toml", &error));
  CHECK(error == "t.toml:3: field 'grade' has unknown kind 'colour'");
  CHECK_FALSE(FormSchema::parse("[[field]]\nid = \"gender\"\nkind = \"choice\"\n", "t.toml", &error));
  CHECK(error == "t.toml:1: field 'gender' is a choice without allowed values");
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
  // Only invisible characters are no name at all: U+200B, a word joiner, spaces.
  v["given_name"] = v["given_name_latin"] = "\u200b\u2060 \u200b";
  const auto invisible = validate(default_schema(), v, kToday);
  REQUIRE(invisible.size() == 2);
  CHECK(invisible[0].key == "form.error.required_one_of");
  v["birth"] = "\u200b";
  bool birth_required = false;
  for (const auto& e : validate(default_schema(), v, kToday))
    birth_required = birth_required || (e.field == "birth" && e.key == "form.error.required");
  CHECK(birth_required);
}

TEST_CASE("Zawgyi-encoded Burmese is flagged with a Unicode suggestion", "[form]") {
  const std::string unicode = "မောင်မောင်";
  const std::string zawgyi = kiosk::unicode::unicode_to_zawgyi(unicode);
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

// --- a tour's own fields (form_schema.h F1-F6) ----------------------------------------------

namespace {

// A form of one core field followed by `extra` (TOML text starting on line 5).
std::string refused_form(const std::string& extra) {
  std::string error;
  const auto s = FormSchema::parse("[[field]]\nid = \"given_name\"\nkind = \"name\"\n\n" + extra,
                                   "tour.toml", &error);
  CHECK_FALSE(s);
  return error;
}

const std::string kLabel = "label = { en = \"Camp group\", km = \"ក្រុមជំរុំ\" }\n";

FormSchema cambodia_schema() {
  std::string error;
  auto s = FormSchema::load_for_tour(KIOSK_SOURCE_DIR "/content/forms", "cambodia", &error);
  INFO(error);
  REQUIRE(s);
  return *s;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("a field id the core does not know is refused with file and line (F1)", "[form]") {
  const std::string e = refused_form("[[field]]\nid = \"camp_group\"\nkind = \"text\"\n");
  INFO(e);
  CHECK(starts_with(e, "tour.toml:6: unknown field id 'camp_group' — the core stores only given_name,"));
  CHECK(e.find("custom = true") != std::string::npos);
  // A core id must keep the kind the record can hold, and its store words.
  CHECK(starts_with(refused_form("[[field]]\nid = \"birth\"\nkind = \"text\"\n"),
                    "tour.toml:7: field 'birth' must be of kind 'birth', not 'text'"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"gender\"\nkind = \"choice\"\nallowed = [\"f\", \"m\"]\n"),
                    "tour.toml:8: field 'gender': value 'f' is not one the store keeps"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"grade\"\n" + kLabel),
                    "tour.toml:7: core field 'grade' is labelled by the catalog"));
}

TEST_CASE("a custom field id that is a core id, or malformed, is refused (F2)", "[form]") {
  CHECK(starts_with(refused_form("[[field]]\nid = \"grade\"\ncustom = true\n" + kLabel),
                    "tour.toml:6: custom field id 'grade' is a core field id"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"Camp Group\"\ncustom = true\n" + kLabel),
                    "tour.toml:6: custom field id 'Camp Group' must be lowercase letters"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"" + std::string(33, 'a') + "\"\ncustom = true\n" + kLabel),
                    "tour.toml:6: custom field id"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"camp_day\"\ncustom = true\nkind = \"birth\"\n" + kLabel),
                    "tour.toml:8: custom field 'camp_day' cannot be of kind 'birth'"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"camp_group\"\ncustom = true\nkind = \"choice\"\n"
                                 "allowed = [\"Red Team\"]\n" + kLabel),
                    "tour.toml:9: field 'camp_group': value 'Red Team' must be lowercase"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"given_name\"\ncustom = true\n" + kLabel),
                    "tour.toml:6: field id 'given_name' is used twice"));
}

TEST_CASE("a custom field carries labels in the form's languages (F3)", "[form]") {
  CHECK(starts_with(refused_form("[[field]]\nid = \"camp_group\"\ncustom = true\n"),
                    "tour.toml:5: custom field 'camp_group' has no label"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"camp_group\"\ncustom = true\nlabel = { km = \"ក្រុមជំរុំ\" }\n"),
                    "tour.toml:8: field 'camp_group': label has no 'en' text"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"camp_group\"\ncustom = true\nlabel = \"Camp group\"\n"),
                    "tour.toml:8: field 'camp_group': label must be a table"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"camp_group\"\ncustom = true\nlabel = { en = \" \" }\n"),
                    "tour.toml:8: field 'camp_group': label.en is empty"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"camp_group\"\ncustom = true\nlabel_key = \"form.x\"\n" + kLabel),
                    "tour.toml:8: custom field 'camp_group' carries its own label"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"camp_group\"\ncustom = true\nkind = \"choice\"\n"
                                 "allowed = [\"eagle\", \"turtle\"]\n" + kLabel +
                                 "[field.value_labels]\neagle = { en = \"Eagle\" }\n"),
                    "tour.toml:11: custom field 'camp_group': value 'turtle' has no label"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"camp_group\"\ncustom = true\nkind = \"choice\"\n"
                                 "allowed = [\"eagle\"]\n" + kLabel +
                                 "[field.value_labels]\neagle = { en = \"Eagle\" }\nowl = { en = \"Owl\" }\n"),
                    "tour.toml:13: field 'camp_group': value_labels names 'owl'"));
  // [form] label_languages: every custom label must have each of them.
  std::string error;
  CHECK_FALSE(FormSchema::parse("[form]\nlabel_languages = [\"en\", \"my\"]\n\n[[field]]\nid = \"camp_group\"\n"
                                "custom = true\n" + kLabel, "tour.toml", &error));
  CHECK(starts_with(error, "tour.toml:7: field 'camp_group': label has no 'my' text"));
}

TEST_CASE("every other malformed form input is refused with its line (F4)", "[form]") {
  CHECK(starts_with(refused_form("[[field]]\nid = \"grade\"\nrequried = true\n"),
                    "tour.toml:7: unknown key 'requried' in [[field]]"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"grade\"\nmax_length = \"20\"\n"),
                    "tour.toml:7: field 'grade': 'max_length' must be a whole number"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"grade\"\nmax_length = 0\n"),
                    "tour.toml:7: field 'grade': 'max_length' must be a whole number from 1"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"grade\"\nrequired = \"yes\"\n"),
                    "tour.toml:7: field 'grade': 'required' must be true or false"));
  CHECK(starts_with(refused_form("[[field]]\nid = \"grade\"\nallowed = [\"7\"]\n"),
                    "tour.toml:7: field 'grade' is not a choice"));
  CHECK(starts_with(refused_form("[[field]]\nid = 7\n"), "tour.toml:6: field 'id' must be a string"));
  CHECK(starts_with(refused_form("[colour]\nx = 1\n"), "tour.toml:5: unknown key 'colour' in the form file"));
  std::string error;
  CHECK_FALSE(FormSchema::parse("[form]\nrequire_one_of = [[\"given_name\", \"nickname\"]]\n\n"
                                "[[field]]\nid = \"given_name\"\nkind = \"name\"\n", "t.toml", &error));
  CHECK(error == "t.toml:2: require_one_of names 'nickname', which is not a field of this form");
  CHECK_FALSE(FormSchema::parse("[form]\nmax_age = -3\n\n[[field]]\nid = \"grade\"\n", "t.toml", &error));
  CHECK(starts_with(error, "t.toml:2: [form] 'max_age' must be a whole number"));
  CHECK_FALSE(FormSchema::parse("[form]\ntour = \"x\"\n", "t.toml", &error));
  CHECK(error == "t.toml:1: no [[field]] entries");
}

TEST_CASE("the Cambodia tour's form adds its own fields with labels in 8 languages", "[form]") {
  const FormSchema s = cambodia_schema();
  const FormSchema d = default_schema();
  REQUIRE(s.fields.size() == d.fields.size() + 2);
  for (std::size_t i = 0; i < d.fields.size(); ++i) CHECK(s.fields[i].id == d.fields[i].id);
  const FieldSpec* camp = s.field("camp_group");
  REQUIRE(camp);
  CHECK(camp->custom);
  CHECK(camp->kind == FieldKind::choice);
  for (const char* lang : {"en", "km", "my", "ar", "zh", "zu", "xh", "af"}) {
    INFO(lang);
    const auto label = custom_label(*camp, lang);
    REQUIRE(label);
    CHECK(label->lang == lang);
    CHECK_FALSE(label->text.empty());
    for (const auto& v : camp->allowed) CHECK(custom_label(*camp, lang, v));
    CHECK(custom_label(*s.field("subject_taught"), lang));
  }
  CHECK(custom_label(*camp, "km")->text == "ក្រុមជំរុំ");
  CHECK(custom_label(*camp, "ar", "eagle")->text == "نسر");
  // A language the form has no text for falls back to English; core fields use the catalog.
  CHECK(custom_label(*camp, "fr")->lang == "en");
  CHECK(custom_label(*camp, "fr")->text == "Camp group");
  CHECK_FALSE(custom_label(*s.field("grade"), "km"));
}

TEST_CASE("custom values are validated and go to and from the record's extra (F5)", "[form]") {
  const FormSchema s = cambodia_schema();
  FormValues v = valid_values();
  v["camp_group"] = "dolphin";
  v["subject_taught"] = "  Chemistry  ";
  CHECK(validate(s, v, kToday).empty());
  const ParticipantFields p = to_participant(v);
  CHECK(p.extra == std::map<std::string, std::string>{{"camp_group", "dolphin"},
                                                      {"subject_taught", "Chemistry"}});
  CHECK(to_participant(from_participant(p)).extra == p.extra);
  // Checked exactly like core fields.
  v["camp_group"] = "tiger";
  v["subject_taught"] = std::string(61, 'x');
  auto errors = validate(s, v, kToday);
  CHECK(keys_for(errors, "camp_group") == Keys{"form.error.not_allowed"});
  CHECK(keys_for(errors, "subject_taught") == Keys{"form.error.too_long"});
  v["subject_taught"] = "Maths\x07";
  CHECK(keys_for(validate(s, v, kToday), "subject_taught") == Keys{"form.error.control_characters"});
  // Empty values are not stored; a value another tour's form saved is kept, not checked.
  v["camp_group"] = "";
  v["subject_taught"] = " ";
  v["bus_number"] = "12";
  CHECK(validate(s, v, kToday).empty());
  CHECK(to_participant(v).extra == std::map<std::string, std::string>{{"bus_number", "12"}});
}

TEST_CASE("check_extra is what participant.extra may hold (F6)", "[form]") {
  CHECK(check_extra({{"camp_group", "dolphin"}}).empty());
  CHECK(check_extra({}).empty());
  CHECK(check_extra({{"given_name", "Dara"}}).find("'given_name'") != std::string::npos);
  CHECK(check_extra({{"Camp", "x"}}).find("not a custom field id") != std::string::npos);
  CHECK(check_extra({{"camp_group", "bad\xFF"}}).find("UTF-8") != std::string::npos);
  CHECK(check_extra({{"camp_group", ""}}).find("empty") != std::string::npos);
  CHECK(check_extra({{"camp_group", "a\nb"}}).find("control") != std::string::npos);
  CHECK(check_extra({{"camp_group", std::string(4001, 'a')}}).find("longer") != std::string::npos);
}
