// kiosk/ui/layout_audit.cpp — the checks of the layout audit (see the invariants in the header).
#include "layout_audit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <tuple>

namespace kiosk::ui {

AuditRect intersect(const AuditRect& a, const AuditRect& b) {
  const float x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
  const float x1 = std::min(a.right(), b.right()), y1 = std::min(a.bottom(), b.bottom());
  if (x1 <= x0 || y1 <= y0) return {x0, y0, 0, 0};
  return {x0, y0, x1 - x0, y1 - y0};
}

bool contains(const AuditRect& outer, const AuditRect& inner, float tolerance) {
  return inner.x >= outer.x - tolerance && inner.y >= outer.y - tolerance &&
         inner.right() <= outer.right() + tolerance && inner.bottom() <= outer.bottom() + tolerance;
}

namespace {

std::string box(const AuditRect& r) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.0f,%.0f %.0fx%.0f", static_cast<double>(r.x),
                static_cast<double>(r.y), static_cast<double>(r.w), static_cast<double>(r.h));
  return buf;
}

double channel(std::uint32_t c, int shift) {
  const double v = static_cast<double>((c >> shift) & 0xFF) / 255.0;
  return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}

double luminance(std::uint32_t c) {
  return 0.2126 * channel(c, 0) + 0.7152 * channel(c, 8) + 0.0722 * channel(c, 16);
}

// fg with its alpha over the opaque bg.
std::uint32_t blend(std::uint32_t fg, std::uint32_t bg) {
  const std::uint32_t a = fg >> 24;
  std::uint32_t out = 0xFF000000u;
  for (int shift : {0, 8, 16}) {
    const std::uint32_t f = (fg >> shift) & 0xFF, b = (bg >> shift) & 0xFF;
    out |= ((f * a + b * (255 - a)) / 255) << shift;
  }
  return out;
}

float area(const AuditRect& r) { return r.empty() ? 0.0f : r.w * r.h; }

}  // namespace

double contrast_ratio(std::uint32_t a, std::uint32_t b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

std::string AuditFinding::key() const {
  std::string s = check;
  if (!widget.empty()) s += " @" + widget;
  if (!lang.empty()) s += " [" + lang + "]";
  if (!text.empty()) s += " '" + text + "'";
  return s;
}

std::string AuditFinding::describe() const { return key() + ": " + detail; }

void LayoutAudit::begin_frame(float width, float height) {
  m_width = width;
  m_height = height;
  m_order = 0;
  m_texts.clear();
  m_widgets.clear();
  m_fills.clear();
}

void LayoutAudit::record_text(AuditText t) { m_texts.push_back(std::move(t)); }
void LayoutAudit::record_widget(AuditWidget w) { m_widgets.push_back(std::move(w)); }
void LayoutAudit::record_fill(AuditFill f) { m_fills.push_back(f); }

// Check 7 for one text: "" when it reads at 4.5:1 on what is under it (and, for a button's
// label, on the button's pressed fill too); else what fails, with both colours.
std::string LayoutAudit::contrast_problem(const AuditText& t) const {
  // Judged where the text can be seen: a tag half scrolled under a header is read on the part
  // of its fill that is still in view.
  const AuditRect seen = intersect(t.ink, t.clip);
  if (seen.empty()) return "";
  const float cx = seen.x + seen.w * 0.5f, cy = seen.y + seen.h * 0.5f;
  const AuditFill* under = nullptr;  // the latest opaque fill drawn before the text
  for (const AuditFill& f : m_fills) {
    if (f.order > t.order) continue;
    if (cx < f.rect.x || cy < f.rect.y || cx > f.rect.right() || cy > f.rect.bottom()) continue;
    if (!f.image && (f.color >> 24) < 0xF0) continue;  // see-through: look further down
    if (!under || f.order > under->order) under = &f;
  }
  if (under && under->image) return "";
  auto rgb = [](std::uint32_t c) {  // IM_COL32 keeps red in the low byte
    return static_cast<unsigned>(((c & 0xFF) << 16) | (c & 0xFF00) | ((c >> 16) & 0xFF));
  };
  auto judge = [&](std::uint32_t bg, const char* when) -> std::string {
    const double ratio = contrast_ratio(blend(t.color, bg), bg);
    if (ratio >= kMinContrast) return "";
    char buf[160];
    std::snprintf(buf, sizeof buf, "contrast %.2f:1 (text #%06X on #%06X%s), under %.1f:1", ratio,
                  rgb(t.color), rgb(bg), when, kMinContrast);
    return buf;
  };
  std::string problem = judge(under ? under->color : m_background, under ? "" : ", the background");
  if (problem.empty() && t.pressed_fill != 0) problem = judge(blend(t.pressed_fill, under ? under->color : m_background), " when pressed");
  return problem;
}

std::vector<AuditFinding> LayoutAudit::check() const {
  std::vector<AuditFinding> out;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  auto add = [&](std::string check, const std::string& widget, const AuditText* t, std::string detail) {
    const std::string text = t ? t->text : std::string();
    if (!seen.insert({check, widget, text}).second) return;
    out.push_back({std::move(check), widget, text, t ? t->lang : std::string(), std::move(detail)});
  };
  constexpr float tol = kEdgeTolerance;

  for (const AuditText& t : m_texts) {
    if (t.text.empty() || t.ink.empty()) continue;
    if (t.contrast_only) {
      if (std::string d = contrast_problem(t); !d.empty()) add("contrast", t.container, &t, d);
      continue;
    }
    const AuditRect visible_box = intersect(t.box, t.clip);
    const bool box_shown = contains(t.clip, t.box, tol);
    if (visible_box.empty()) continue;  // scrolled out of sight entirely
    // 1. clipped by the clip rectangle although the box is meant to be seen whole.
    if (box_shown && !contains(t.clip, t.ink, tol))
      add("clipped", t.container, &t, "ink " + box(t.ink) + " leaves the clip " + box(t.clip));
    // 2. overflow of its own box, its button or its card.
    if (!contains(t.box, t.ink, tol)) {
      add("overflow", t.container, &t,
          "ink " + box(t.ink) + " leaves its box " + box(t.box) +
              (t.container.empty() ? std::string() : " in the button " + box(t.container_rect)));
    } else if (!t.container.empty() && !contains(t.container_rect, t.ink, tol)) {
      add("overflow", t.container, &t, "ink " + box(t.ink) + " leaves the button " + box(t.container_rect));
    } else if (t.container.empty()) {
      // The innermost card drawn before the text whose rectangle holds the ink's centre.
      const AuditFill* card = nullptr;
      const float cx = t.ink.x + t.ink.w * 0.5f, cy = t.ink.y + t.ink.h * 0.5f;
      for (const AuditFill& f : m_fills) {
        if (!f.card || f.order > t.order) continue;
        if (cx < f.rect.x || cy < f.rect.y || cx > f.rect.right() || cy > f.rect.bottom()) continue;
        if (!card || area(f.rect) < area(card->rect)) card = &f;
      }
      if (card && box_shown && !contains(card->rect, t.ink, tol))
        add("overflow", "", &t, "ink " + box(t.ink) + " leaves its card " + box(card->rect));
    }
    // 3. overlap with interactive widgets other than its container.
    const AuditRect ink_seen = intersect(t.ink, t.clip);
    for (const AuditWidget& w : m_widgets) {
      if (!w.interactive || w.id == t.container || w.visible.empty()) continue;
      const AuditRect common = intersect(ink_seen, w.visible);
      if (area(common) <= kOverlapArea) continue;
      const bool inside = contains(w.visible, ink_seen, tol);
      if (inside && w.order < t.order) continue;  // a label drawn on its own tappable row
      add("overlap", w.id, &t,
          "ink " + box(t.ink) + (inside ? " lies under the widget " : " overlaps the widget ") +
              box(w.rect));
    }
    // 5. ellipsis where the screen did not allow one, or where the whole text fits.
    if (t.truncated && (!t.ellipsis_ok || t.full_height <= t.box.h + tol))
      add("ellipsis", t.container, &t,
          "cut to " + std::to_string(t.lines) + " lines; the whole text needs " +
              std::to_string(static_cast<int>(std::lround(t.full_height))) + " units, its box " + box(t.box));
    // 6. one cluster alone on the last line although a better break exists.
    if (t.lines >= 2 && (t.last_line_clusters == 1 || t.lone_fragments > 0) && t.better_break)
      add("orphan", t.container, &t,
          t.last_line_clusters == 1
              ? "one glyph cluster alone on line " + std::to_string(t.lines) + " of its box " + box(t.box)
              : "a line ends in one glyph cluster of a word broken across lines, in its box " + box(t.box));
    // 7. contrast against the fill under the text (and the button's pressed fill).
    if (std::string d = contrast_problem(t); !d.empty()) add("contrast", t.container, &t, d);
  }

  for (std::size_t i = 0; i < m_widgets.size(); ++i) {
    const AuditWidget& a = m_widgets[i];
    if (!a.interactive || a.visible.empty()) continue;
    // 4. touch targets: the widget's designed size, not the part scrolled into view.
    if (a.rect.w < kMinTarget - 0.5f || a.rect.h < kMinTarget - 0.5f)
      add("target", a.id, nullptr, "touch target " + box(a.rect) + " is under 48x48");
    for (std::size_t j = i + 1; j < m_widgets.size(); ++j) {
      const AuditWidget& b = m_widgets[j];
      if (!b.interactive || b.visible.empty() || b.id == a.id) continue;
      if (area(intersect(a.visible, b.visible)) > kOverlapArea)
        add("overlap", a.id, nullptr, "widget " + box(a.rect) + " overlaps @" + b.id + " " + box(b.rect));
    }
  }
  return out;
}

}  // namespace kiosk::ui
