#include "csv_reader.h"

namespace kiosk::core {

CsvDocument parse_csv(std::string_view text, const std::string& name) {
  CsvDocument doc;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  auto error = [&](int line, const std::string& what) {
    doc.errors.push_back(name + ":" + std::to_string(line) + ": " + what);
  };
  int line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    // Skip blank lines between records.
    if (text[i] == '\n' || text[i] == '\r') {
      if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
      continue;
    }
    CsvRow row;
    row.line = line;
    bool record_done = false;
    bool broken = false;
    while (!record_done) {
      std::string field;
      if (i < n && text[i] == '"') {
        const int opened_at = line;
        ++i;
        bool closed = false;
        while (i < n) {
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++i;
        }
        if (!closed) {
          error(opened_at, "a quoted field is never closed");
          return doc;
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          error(line, "text after a closing quote (write \"\" for a quote inside a quoted field)");
          broken = true;
        }
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"' && !broken) {
            error(line, "a quote inside an unquoted field (quote the whole field)");
            broken = true;
          }
          field += text[i++];
        }
      }
      if (broken) {  // skip to the end of this physical line and drop the record
        while (i < n && text[i] != '\n') ++i;
        record_done = true;
        break;
      }
      row.fields.push_back(std::move(field));
      if (i >= n) {
        record_done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {  // line end
        if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        record_done = true;
      }
    }
    if (broken) {
      if (i < n) {
        ++i;
        ++line;
      }
      continue;
    }
    doc.rows.push_back(std::move(row));
  }
  return doc;
}

}  // namespace kiosk::core
