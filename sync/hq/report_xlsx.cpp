// sync/hq/report_xlsx.cpp — the report as one workbook (libxlsxwriter): an "about" sheet (library,
// time, options), then one sheet per table named by its id (cut to Excel's 31 characters), a
// header row of labels in the report's language, then the rows. Numbers are number cells; text is
// always a text cell (never a formula) and a leading = + - @ gets a ' (report.h E5).
#include "report.h"
#include "report_text.h"

#include <xlsxwriter.h>

namespace kiosk::hq {

bool write_report_xlsx(const Report& r, const std::string& path, std::string* why) {
  const std::string& lang = r.options.lang;
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) {
    *why = path + ": cannot create the workbook";
    return false;
  }
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  auto text = [](lxw_worksheet* ws, std::size_t row, std::size_t col, const std::string& s,
                 lxw_format* f = nullptr) {
    worksheet_write_string(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col),
                           spreadsheet_safe(s).c_str(), f);
  };
  lxw_worksheet* about = workbook_add_worksheet(wb, "about");
  const std::pair<const char*, std::string> facts[] = {
      {"library_id", r.library_id},
      {"library_path", r.library_path},
      {"made_at", r.made_at},
      {"year", std::to_string(r.options.year)},
      {"country", r.options.country.empty() ? "all" : r.options.country},
      {"lang", r.options.lang},
      {"target_people", std::to_string(r.options.target_people)},
      {"target_organizations", std::to_string(r.options.target_organizations)},
      {"events_in_year", std::to_string(r.events_in_year)},
      {"queries", "queries.sql"},
  };
  text(about, 0, 0, report_text::label(lang, "title"), bold);
  std::size_t row = 1;
  for (const auto& [k, v] : facts) {
    text(about, row, 0, k);
    text(about, row++, 1, v);
  }
  worksheet_set_column(about, 0, 0, 22, nullptr);
  worksheet_set_column(about, 1, 1, 60, nullptr);
  for (const auto& t : r.tables) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, t.id.substr(0, 31).c_str());
    if (!ws) {
      workbook_close(wb);
      *why = path + ": cannot add the sheet " + t.id;  // impossible: ids are unique and valid
      return false;
    }
    for (std::size_t c = 0; c < t.columns.size(); ++c) text(ws, 0, c, report_text::label(lang, t.columns[c]), bold);
    for (std::size_t i = 0; i < t.rows.size(); ++i)
      for (std::size_t c = 0; c < t.rows[i].size(); ++c) {
        const ReportCell& cell = t.rows[i][c];
        if (cell.number)
          worksheet_write_number(ws, static_cast<lxw_row_t>(i + 1), static_cast<lxw_col_t>(c),
                                 std::strtod(cell.text.c_str(), nullptr), nullptr);
        else if (!cell.text.empty())
          text(ws, i + 1, c, report_text::cell(lang, t.columns[c], cell.text));
      }
    worksheet_set_column(ws, 0, static_cast<lxw_col_t>(t.columns.empty() ? 0 : t.columns.size() - 1), 18, nullptr);
  }
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    *why = path + ": cannot write the workbook (" + lxw_strerror(err) + ")";
    return false;
  }
  return true;
}

}  // namespace kiosk::hq
