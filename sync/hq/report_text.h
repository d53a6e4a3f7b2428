// sync/hq/report_text.h — the report's words in English and Simplified Chinese (internal to the
// report writers). Keys are the tables' ids, their SQL column names and the codes kiosks store
// (female, student, 13_15, school, ...); CSV keeps the codes, HTML and XLSX show these labels.
#pragma once

#include <string>

namespace kiosk::hq::report_text {

// The label of `key` in `lang` (en|zh); the key itself when there is none (e.g. a country code).
std::string label(const std::string& lang, const std::string& key);
// A cell of column `column` as shown: codes of the columns that hold codes become labels,
// everything else (names, numbers, dates) is shown as stored.
std::string cell(const std::string& lang, const std::string& column, const std::string& text);
// `pattern` with every {name} replaced: fill("Made {at}", {{"at", t}}).
std::string fill(std::string pattern, std::initializer_list<std::pair<const char*, std::string>> values);

}  // namespace kiosk::hq::report_text
