// sync/hq/report_html.cpp — the report as one self-contained HTML page (templates/report.mustache,
// compiled in): inline CSS for screen and A4 print, inline SVG charts drawn here, names isolated
// with <bdi dir="auto"> so Arabic stays right-to-left inside left-to-right pages, and a font
// stack of Debian's Noto families. Nothing is fetched: no web fonts, no scripts, no CDN.
//
// [SECTIONS]
//   CHARTS     horizontal bars and the growth line against its target
//   PAGE       cards, sections, definitions, one page per event
#include "report.h"
#include "report_templates.h"
#include "report_text.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace kiosk::hq {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;
namespace tx = report_text;

constexpr const char* kFontStack =
    "\"Noto Sans\", \"Noto Sans CJK SC\", \"Noto Sans Khmer\", \"Noto Sans Myanmar\", "
    "\"Noto Sans Arabic\", \"Noto Naskh Arabic\", sans-serif";

data flag(bool b) { return data(b ? data::type::bool_true : data::type::bool_false); }

std::string xml_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  if (std::fabs(v - std::round(v)) < 1e-9) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// [CHARTS] Every chart is a plain SVG with its figures written on it, so it reads in grey print.
struct Bar {
  std::string label;
  double value = 0;
};

// Small: the half-width charts of an event's page (drawn at the size they print, not scaled).
std::string bars_svg(const std::vector<Bar>& bars, double max_value, const std::string& suffix = "",
                     bool small = false) {
  if (bars.empty()) return "";
  const int row = 16, label_w = small ? 110 : 150, bar_w = small ? 150 : 330;
  const int w = label_w + bar_w + 50;
  const int h = static_cast<int>(bars.size()) * row + 4;
  double top = max_value;
  for (const auto& b : bars) top = std::max(top, b.value);
  if (top <= 0) top = 1;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(w) +
                  "\" height=\"" + std::to_string(h) + "\" viewBox=\"0 0 " + std::to_string(w) + " " +
                  std::to_string(h) + "\" role=\"img\">";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const int y = static_cast<int>(i) * row + 2;
    const double len = bar_w * bars[i].value / top;
    s += "<text x=\"" + std::to_string(label_w - 6) + "\" y=\"" + std::to_string(y + 11) +
         "\" text-anchor=\"end\" direction=\"ltr\" unicode-bidi=\"plaintext\">" +
         xml_escape(bars[i].label) + "</text>";
    s += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 2) + "\" width=\"" +
         num(std::max(len, 0.5)) + "\" height=\"" + std::to_string(row - 5) + "\" fill=\"#3f7cac\"/>";
    s += "<text x=\"" + num(label_w + len + 4) + "\" y=\"" + std::to_string(y + 11) + "\">" +
         num(bars[i].value) + suffix + "</text>";
  }
  return s + "</svg>";
}

// Cumulative figures by month (12 values) against a target drawn as a dashed line.
std::string growth_svg(const std::string& title, const std::vector<double>& values, double target,
                       const std::string& target_word) {
  const int w = 540, h = 125, left = 50, right = 20, top = 20, bottom = 20;
  const int pw = w - left - right, ph = h - top - bottom;
  double max_v = target;
  for (const double v : values) max_v = std::max(max_v, v);
  max_v = max_v <= 0 ? 1 : max_v * 1.05;
  auto x = [&](std::size_t i) { return left + pw * static_cast<double>(i) / 11.0; };
  auto y = [&](double v) { return top + ph * (1.0 - v / max_v); };
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(w) +
                  "\" height=\"" + std::to_string(h) + "\" viewBox=\"0 0 " + std::to_string(w) + " " +
                  std::to_string(h) + "\" role=\"img\">";
  s += "<text x=\"" + std::to_string(left) + "\" y=\"12\" font-weight=\"bold\">" + xml_escape(title) + "</text>";
  s += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + num(y(0)) + "\" x2=\"" +
       std::to_string(left + pw) + "\" y2=\"" + num(y(0)) + "\" stroke=\"#9aa4ad\"/>";
  s += "<text x=\"" + std::to_string(left - 4) + "\" y=\"" + num(y(0) + 3) + "\" text-anchor=\"end\">0</text>";
  s += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + num(y(target)) + "\" x2=\"" +
       std::to_string(left + pw) + "\" y2=\"" + num(y(target)) +
       "\" stroke=\"#c0392b\" stroke-dasharray=\"5 3\"/>";
  s += "<text x=\"" + std::to_string(left - 4) + "\" y=\"" + num(y(target) + 3) +
       "\" text-anchor=\"end\" fill=\"#c0392b\">" + num(target) + "</text>";
  s += "<text x=\"" + std::to_string(left + pw) + "\" y=\"" + num(y(target) - 3) +
       "\" text-anchor=\"end\" fill=\"#c0392b\">" + xml_escape(target_word) + "</text>";
  std::string points;
  for (std::size_t i = 0; i < values.size(); ++i) {
    points += num(x(i)) + "," + num(y(values[i])) + " ";
    s += "<text x=\"" + num(x(i)) + "\" y=\"" + std::to_string(h - 6) + "\" text-anchor=\"middle\">" +
         std::to_string(i + 1) + "</text>";
    s += "<circle cx=\"" + num(x(i)) + "\" cy=\"" + num(y(values[i])) + "\" r=\"2\" fill=\"#3f7cac\"/>";
  }
  s += "<polyline fill=\"none\" stroke=\"#3f7cac\" stroke-width=\"2\" points=\"" + points + "\"/>";
  if (!values.empty())
    s += "<text x=\"" + num(x(values.size() - 1) - 4) + "\" y=\"" + num(y(values.back()) - 5) +
         "\" text-anchor=\"end\" font-weight=\"bold\">" + num(values.back()) + "</text>";
  return s + "</svg>";
}

int column_of(const ReportTable& t, const std::string& name) {
  for (std::size_t c = 0; c < t.columns.size(); ++c)
    if (t.columns[c] == name) return static_cast<int>(c);
  return -1;  // impossible for the columns asked here: the statements name them
}

double value_at(const ReportTable& t, std::size_t row, const std::string& column) {
  const int c = column_of(t, column);
  return c < 0 ? 0 : std::atof(t.rows[row][static_cast<std::size_t>(c)].text.c_str());
}

// A bar chart of one table: label column, value column.
std::string table_bars(const ReportTable& t, const std::string& lang, const std::string& label_col,
                       const std::string& value_col, double max_value = 0, const std::string& suffix = "") {
  const int lc = column_of(t, label_col);
  if (lc < 0) return "";
  std::vector<Bar> bars;
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    bars.push_back({tx::cell(lang, label_col, t.rows[r][static_cast<std::size_t>(lc)].text),
                    value_at(t, r, value_col)});
  return bars_svg(bars, max_value, suffix);
}

std::string chart_for(const ReportTable& t, const Report& r) {
  const std::string& lang = r.options.lang;
  if (t.id == "library_growth") {
    std::vector<double> people, orgs;
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
      people.push_back(value_at(t, i, "people"));
      orgs.push_back(value_at(t, i, "organizations"));
    }
    return growth_svg(tx::label(lang, "chart_people"), people,
                      static_cast<double>(r.options.target_people), tx::label(lang, "target")) +
           growth_svg(tx::label(lang, "chart_orgs"), orgs,
                      static_cast<double>(r.options.target_organizations), tx::label(lang, "target"));
  }
  if (t.id == "participants_by_country") return table_bars(t, lang, "country", "participants");
  if (t.id == "participants_by_role") return table_bars(t, lang, "role", "participants");
  if (t.id == "participants_by_gender") return table_bars(t, lang, "gender", "participants");
  if (t.id == "participants_by_age_band") return table_bars(t, lang, "age_band", "participants");
  if (t.id == "new_and_returning") return table_bars(t, lang, "kind", "participants");
  if (t.id == "girls_and_women") return table_bars(t, lang, "country", "percent_female", 100, " %");
  return "";
}

std::string note_for(const std::string& id, const std::string& lang) {
  if (id == "library_growth") return tx::label(lang, "note_library_growth");
  if (id == "participants_by_role" || id == "participants_by_gender" ||
      id == "participants_by_age_band" || id == "new_and_returning")
    return tx::label(lang, "note_year_person");
  if (id == "exhibit_engagement") return tx::label(lang, "note_exhibit_engagement");
  if (id == "data_quality") return tx::label(lang, "note_data_quality");
  if (id == "organizations_by_kind_and_country") return tx::label(lang, "note_organizations");
  return "";
}

// Dates and codes keep to one line ("2026-03-10", "kh-2026"); names wrap.
bool nowrap(const std::string& column) {
  return column == "start_date" || column == "month" || column == "tour" || column == "country";
}

data section_of(const ReportTable& t, const Report& r) {
  const std::string& lang = r.options.lang;
  data s;
  s.set("id", t.id);
  s.set("title", tx::label(lang, t.id));
  const std::string note = note_for(t.id, lang);
  if (!note.empty()) s.set("note", note);
  s.set("chart", chart_for(t, r));
  s.set("has_rows", flag(!t.rows.empty()));
  s.set("empty", tx::label(lang, "empty"));
  std::vector<bool> numeric(t.columns.size(), false);
  for (const auto& row : t.rows)
    for (std::size_t c = 0; c < row.size(); ++c) numeric[c] = numeric[c] || row[c].number;
  data cols{data::type::list};
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    data col;
    col.set("label", tx::label(lang, t.columns[c]));
    col.set("num", flag(numeric[c]));
    cols.push_back(col);
  }
  s.set("columns", cols);
  data rows{data::type::list};
  for (const auto& row : t.rows) {
    data cells{data::type::list};
    for (std::size_t c = 0; c < row.size(); ++c) {
      data cell;
      cell.set("text", tx::cell(lang, t.columns[c], row[c].text));
      cell.set("num", flag(row[c].number));
      cell.set("nowrap", flag(nowrap(t.columns[c])));
      cells.push_back(cell);
    }
    data rd;
    rd.set("cells", cells);
    rows.push_back(rd);
  }
  s.set("rows", rows);
  return s;
}

// [PAGE] One page per event from the event_summary table's rows (ordered by event, breakdown).
data event_pages(const ReportTable& t, const std::string& lang) {
  data events{data::type::list};
  const int c_date = column_of(t, "start_date"), c_event = column_of(t, "event"),
            c_country = column_of(t, "country"), c_city = column_of(t, "city"),
            c_dim = column_of(t, "dimension"), c_cat = column_of(t, "category"),
            c_n = column_of(t, "participants");
  if (c_date < 0 || c_event < 0 || c_country < 0 || c_city < 0 || c_dim < 0 || c_cat < 0 || c_n < 0)
    return events;  // impossible: the statement names these columns
  auto at = [&](std::size_t r, int c) { return t.rows[r][static_cast<std::size_t>(c)].text; };
  std::size_t r = 0;
  while (r < t.rows.size()) {
    const std::string key = at(r, c_date) + '\x1f' + at(r, c_event) + '\x1f' + at(r, c_city);
    data ev;
    ev.set("name", at(r, c_event));
    ev.set("when", at(r, c_date));
    ev.set("city", at(r, c_city));
    ev.set("country", at(r, c_country));
    ev.set("participants_label", tx::label(lang, "participants_label"));
    data parts{data::type::list};
    std::string dim;
    data part, rows{data::type::list};
    std::vector<Bar> bars;
    auto flush = [&] {
      if (dim.empty() || dim == "participants") return;
      part.set("title", tx::label(lang, "v_" + dim));
      part.set("rows", rows);
      part.set("chart", dim == "organization" ? std::string() : bars_svg(bars, 0, "", true));
      parts.push_back(part);
    };
    for (; r < t.rows.size() && at(r, c_date) + '\x1f' + at(r, c_event) + '\x1f' + at(r, c_city) == key; ++r) {
      if (at(r, c_dim) == "participants") {
        ev.set("participants", at(r, c_n));
        continue;
      }
      if (at(r, c_dim) != dim) {
        flush();
        dim = at(r, c_dim);
        part = data();
        rows = data{data::type::list};
        bars.clear();
      }
      const std::string label = dim == "organization" ? at(r, c_cat) : tx::cell(lang, dim, at(r, c_cat));
      data row;
      row.set("label", label.empty() ? tx::label(lang, "no_organization") : label);
      row.set("value", at(r, c_n));
      rows.push_back(row);
      bars.push_back({label, std::atof(at(r, c_n).c_str())});
    }
    flush();
    ev.set("parts", parts);
    events.push_back(ev);
  }
  return events;
}

}  // namespace

std::string report_html(const Report& r) {
  const std::string& lang = r.options.lang;
  const std::string country = r.options.country.empty() ? tx::label(lang, "all_countries") : r.options.country;
  data d;
  d.set("html_lang", lang == "zh" ? "zh-Hans" : "en");
  d.set("font_stack", kFontStack);
  d.set("title", tx::label(lang, "title"));
  d.set("year", std::to_string(r.options.year));
  if (!r.options.country.empty()) d.set("country", r.options.country);
  d.set("made", tx::fill(tx::label(lang, "made"), {{"at", r.made_at}, {"id", r.library_id}, {"path", r.library_path}}));
  d.set("options_line", tx::fill(tx::label(lang, "options"),
                                 {{"year", std::to_string(r.options.year)}, {"country", country},
                                  {"people", std::to_string(r.options.target_people)},
                                  {"orgs", std::to_string(r.options.target_organizations)}}));
  if (r.events_in_year == 0)
    d.set("no_data", tx::fill(tx::label(lang, "no_data"), {{"year", std::to_string(r.options.year)}, {"country", country}}));
  // Cards: the library at the end of the year and the year's participants.
  data cards{data::type::list};
  auto card = [&](const std::string& figure, const std::string& label) {
    data c;
    c.set("figure", figure);
    c.set("label", label);
    cards.push_back(c);
  };
  std::string people = "0", orgs = "0", participants = "0", female = "—";
  if (const auto* g = r.find("library_growth"); g && !g->rows.empty()) {
    people = num(value_at(*g, g->rows.size() - 1, "people"));
    orgs = num(value_at(*g, g->rows.size() - 1, "organizations"));
  }
  if (const auto* gw = r.find("girls_and_women"))
    for (std::size_t i = 0; i < gw->rows.size(); ++i)
      if (gw->rows[i][0].text == "all") {
        participants = num(value_at(*gw, i, "participants"));
        female = gw->rows[i][static_cast<std::size_t>(column_of(*gw, "percent_female"))].text + " %";
      }
  card(people, tx::fill(tx::label(lang, "card_people"), {{"target", std::to_string(r.options.target_people)}}));
  card(orgs, tx::fill(tx::label(lang, "card_orgs"), {{"target", std::to_string(r.options.target_organizations)}}));
  card(participants, tx::fill(tx::label(lang, "card_participants"), {{"year", std::to_string(r.options.year)}}));
  card(female, tx::label(lang, "card_female"));
  d.set("cards", cards);
  data sections{data::type::list};
  for (const auto& t : r.tables)
    if (t.id != "event_summary") sections.push_back(section_of(t, r));
  d.set("sections", sections);
  d.set("definitions_title", tx::label(lang, "definitions_title"));
  data defs{data::type::list};
  for (const char* k : {"def_people", "def_year", "def_returning", "def_growth"}) defs.push_back(tx::label(lang, k));
  d.set("definitions", defs);
  if (const auto* e = r.find("event_summary")) d.set("events", event_pages(*e, lang));
  mustache m{std::string(report_templates::report())};
  return m.render(d);
}

}  // namespace kiosk::hq
