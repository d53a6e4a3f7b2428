// kiosk/ui/layout_audit.h — the layout audit: what every frame drew, and what is wrong with it.
//
// Design note. DESIGN.md promises that no text is ever clipped or overlaps, in every language,
// size and text scale. The audit checks it on the real screens: while the harness runs a script
// with --layout-audit (or reaches `expect-layout-clean`), Ui records into a LayoutAudit every
// text it draws (the box the screen gave it, where the laid-out paragraph really is, the clip
// rectangle, its container and colours), every interactive widget and every filled rectangle.
// check() then judges one frame. Pure logic over plain rectangles: no ImGui, no window, so the
// checks themselves are unit-tested with hand-made frames (tests/unit/layout_audit_test.cpp).
//
// Invariants (what a finding means; all rectangles in logical units, 1080p-equivalent):
//  1. clipped      — a text's ink leaves the draw clip rectangle although its box lies inside it
//                    (scrolled-out text is not a finding: its box leaves the clip too).
//  2. overflow     — a text's ink leaves the box the screen gave it, or its container: the button
//                    that drew it, or else the innermost card (a rounded fill under it).
//  3. overlap      — a text's ink partly covers an interactive widget that is not its container,
//                    or lies under one drawn after it; or two interactive widgets intersect.
//  4. target       — an interactive widget (at least partly visible) under 48 units on a side.
//  5. ellipsis     — a text was cut with "…" although the screen did not allow it (TextStyle::
//                    ellipsis_ok: one-line list cells whose full text is shown elsewhere) or
//                    although its full text fits its box.
//  6. orphan       — the last of several lines is one glyph cluster, or a line ends in one
//                    cluster of a word that goes on on the next line (Burmese "ပြ|ကွက်"), and a
//                    narrower wrap gives the same number of lines without it (a better break).
//  7. contrast     — text against the fill under it below 4.5:1 (WCAG 2 relative luminance);
//                    text over a picture is not judged (no single background colour). Every
//                    text pair is judged: labels, button labels also against the button's
//                    pressed fill (AuditText::pressed_fill), and what text fields show (their
//                    text or placeholder on the field's fill; such texts are contrast_only,
//                    since a field scrolls its text by design). Text with no recorded fill
//                    under it is judged against the frame's background (set_background()).
// Tolerances: 1.5 units for edges (anti-aliasing, rounding) and 4 square units for overlaps.
//
// Contract: record_*() between begin_frame() and the next begin_frame(); check() reads the
// frame recorded last. Not thread-safe (UI thread, like Ui).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kiosk::ui {

struct AuditRect {
  float x = 0, y = 0, w = 0, h = 0;
  float right() const { return x + w; }
  float bottom() const { return y + h; }
  bool empty() const { return w <= 0 || h <= 0; }
};

// Intersection (empty when they do not meet) and containment with a tolerance.
AuditRect intersect(const AuditRect& a, const AuditRect& b);
bool contains(const AuditRect& outer, const AuditRect& inner, float tolerance);

struct AuditText {
  std::string text, lang;
  AuditRect box;   // what the screen gave the text
  AuditRect ink;   // where the laid-out lines are
  AuditRect clip;  // the draw list's clip rectangle
  std::string container;  // the id of the button that drew it; empty: none
  AuditRect container_rect;
  std::uint32_t color = 0;  // IM_COL32 layout: 0xAABBGGRR
  int order = 0;            // drawing order within the frame (shared with widgets and fills)
  bool truncated = false, ellipsis_ok = false;
  float full_height = 0;  // the paragraph's height at the box width with no line limit
  int lines = 0;
  float size = 0;  // the type size it was drawn at, logical units (0: a text field's content)
  int last_line_clusters = 0;  // non-space clusters on the last line
  int lone_fragments = 0;      // lines ending in one cluster of a word broken across lines
  bool better_break = false;   // a narrower wrap keeps the line count and mends the last line
  bool contrast_only = false;  // a text field's content: only check 7 applies
  std::uint32_t pressed_fill = 0;  // a button's label: the button's fill while pressed (0: none)
};

struct AuditWidget {
  std::string id;
  AuditRect rect;     // as registered
  AuditRect visible;  // the part inside the input and draw clips
  bool interactive = true;
  int order = 0;
};

struct AuditFill {
  AuditRect rect;  // visible part
  std::uint32_t color = 0;
  bool card = false;   // rounded and smaller than most of the screen: a card, chip or tag
  bool image = false;  // a picture: no single colour
  int order = 0;
};

struct AuditFinding {
  std::string check;   // clipped, overflow, overlap, target, ellipsis, orphan, contrast
  std::string widget;  // the widget concerned (id), or "" for free text
  std::string text;    // the text concerned, or ""
  std::string lang;    // the text's language
  std::string detail;  // the measured boxes, the ratio, ...
  // One line: "check @widget [lang] 'text': detail".
  std::string describe() const;
  // The same without the measurements: one finding seen on several frames has one key.
  std::string key() const;
};

// WCAG 2 contrast ratio of two opaque colours (IM_COL32 layout), 1..21.
double contrast_ratio(std::uint32_t a, std::uint32_t b);

class LayoutAudit {
 public:
  static constexpr float kMinTarget = 48.0f;      // logical units at 1080p
  static constexpr double kMinContrast = 4.5;
  static constexpr float kEdgeTolerance = 1.5f;
  static constexpr float kOverlapArea = 4.0f;

  void begin_frame(float width, float height);
  // What lies under everything the screen draws (the window's clear colour); opaque. Kept
  // across frames.
  void set_background(std::uint32_t color) { m_background = color | 0xFF000000u; }
  void record_text(AuditText t);
  void record_widget(AuditWidget w);
  void record_fill(AuditFill f);
  int next_order() { return ++m_order; }

  // The findings of the last recorded frame, each once.
  std::vector<AuditFinding> check() const;
  const std::vector<AuditText>& texts() const { return m_texts; }
  const std::vector<AuditWidget>& widgets() const { return m_widgets; }

 private:
  std::string contrast_problem(const AuditText& t) const;

  float m_width = 0, m_height = 0;
  int m_order = 0;
  std::uint32_t m_background = 0xFF000000u;
  std::vector<AuditText> m_texts;
  std::vector<AuditWidget> m_widgets;
  std::vector<AuditFill> m_fills;
};

}  // namespace kiosk::ui
