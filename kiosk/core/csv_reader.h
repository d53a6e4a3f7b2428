// kiosk/core/csv_reader.h — a small RFC 4180 reader (Debian 12 ships no C++ CSV library that
// fits; this one is ~80 lines and reports errors with file:line).
//
// Accepts: comma separators; fields optionally in double quotes; "" inside quotes for a quote;
// commas and line breaks inside quoted fields; CRLF or LF line ends; a UTF-8 byte-order mark at
// the start; a missing final line break. Blank lines are skipped.
// Rejects (with "name:line: message", line = the physical line of the problem, 1-based):
// a quote inside an unquoted field, text after a closing quote, an unterminated quoted field.
//
// Contract: pure function, no I/O (read the file yourself); does not check UTF-8 validity.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

struct CsvRow {
  int line = 0;  // physical line the record starts on
  std::vector<std::string> fields;
};

struct CsvDocument {
  std::vector<CsvRow> rows;
  std::vector<std::string> errors;  // "name:line: message"
};

CsvDocument parse_csv(std::string_view text, const std::string& name);

}  // namespace kiosk::core
