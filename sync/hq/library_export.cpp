// sync/hq/library_export.cpp — a Table (or a Record) as CSV or JSON, for `hq` listings and
// exports. A cell that a spreadsheet would run as a formula is escaped by report.h's
// spreadsheet_safe(), the one owner of that rule (the yearly report's CSV and XLSX use it too).
#include "library.h"
#include "report.h"

#include <cstdio>

namespace kiosk::hq {

namespace {

std::string csv_cell(const std::string& raw) {
  const std::string v = spreadsheet_safe(raw);
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (const char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string json_text(const std::string& s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace

std::string table_csv(const Table& t) {
  std::string out;
  auto line = [&out](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) out += (c ? "," : "") + csv_cell(cells[c]);
    out += "\n";
  };
  line(t.columns);
  for (const auto& row : t.rows) line(row);
  return out;
}

std::string table_json(const Table& t, const std::string& indent) {
  std::string out = "[";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    out += (r ? ",\n" : "\n") + indent + "  {";
    for (std::size_t c = 0; c < t.columns.size() && c < t.rows[r].size(); ++c)
      out += (c ? ", " : "") + json_text(t.columns[c]) + ": " + json_text(t.rows[r][c]);
    out += "}";
  }
  return out + (t.rows.empty() ? "]" : "\n" + indent + "]");
}

std::string record_json(const Library::Record& r) {
  std::string out = "{\n  \"id\": " + json_text(r.id) + ",\n  \"asked\": " + json_text(r.asked) +
                    ",\n  \"fields\": [";
  for (std::size_t i = 0; i < r.fields.size(); ++i) {
    const auto& f = r.fields[i];
    out += std::string(i ? ",\n" : "\n") + "    {\"field\": " + json_text(f.field) +
           ", \"value\": " + json_text(f.value) + ", \"entity\": " + json_text(f.entity) +
           ", \"source_id\": " + json_text(f.source_id) + ", \"device\": " + json_text(f.device) +
           ", \"version_at\": " + json_text(f.version_at) + "}";
  }
  out += r.fields.empty() ? "]" : "\n  ]";
  out += ",\n  \"sources\": " + table_json(r.sources, "  ");
  out += ",\n  \"consents\": " + table_json(r.consents, "  ");
  out += ",\n  \"participations\": " + table_json(r.participations, "  ");
  return out + "\n}\n";
}

}  // namespace kiosk::hq
