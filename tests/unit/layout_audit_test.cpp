// The layout audit's checks (kiosk/ui/layout_audit.h) on hand-made frames: each check fires on
// the case the issue describes and stays quiet on its mended form.
#include "layout_audit.h"

#include <catch2/catch.hpp>

#include <algorithm>

using kiosk::ui::AuditFill;
using kiosk::ui::AuditFinding;
using kiosk::ui::AuditText;
using kiosk::ui::AuditWidget;
using kiosk::ui::LayoutAudit;

namespace {

constexpr std::uint32_t kWhite = 0xFFF5F7FAu, kNavy = 0xFF341E0Eu;  // IM_COL32(245,247,250), (14,30,52)

AuditText text(const char* s, kiosk::ui::AuditRect box, kiosk::ui::AuditRect ink) {
  AuditText t;
  t.text = s;
  t.lang = "en";
  t.box = box;
  t.ink = ink;
  t.clip = {0, 0, 1920, 1080};
  t.color = kWhite;
  t.lines = 1;
  t.last_line_clusters = 2;
  t.full_height = ink.h;
  return t;
}

AuditFill solid(kiosk::ui::AuditRect r, std::uint32_t color) {
  AuditFill f;
  f.rect = r;
  f.color = color;
  return f;
}

AuditWidget widget(const char* id, kiosk::ui::AuditRect r) {
  AuditWidget w;
  w.id = id;
  w.rect = r;
  w.visible = r;
  return w;
}

// Records in drawing order: the screen background first, then the items.
struct Frame {
  LayoutAudit audit;
  Frame() {
    audit.begin_frame(1920, 1080);
    AuditFill bg;
    bg.rect = {0, 0, 1920, 1080};
    bg.color = kNavy;
    bg.order = audit.next_order();
    audit.record_fill(bg);
  }
  void add(AuditText t) {
    t.order = audit.next_order();
    audit.record_text(std::move(t));
  }
  void add(AuditWidget w) {
    w.order = audit.next_order();
    audit.record_widget(std::move(w));
  }
  void add(AuditFill f) {
    f.order = audit.next_order();
    audit.record_fill(f);
  }
  std::vector<std::string> checks() const {
    std::vector<std::string> out;
    for (const AuditFinding& f : audit.check()) out.push_back(f.check);
    return out;
  }
  bool has(const char* check) const {
    const auto c = checks();
    return std::find(c.begin(), c.end(), check) != c.end();
  }
};

}  // namespace

TEST_CASE("a clean frame has no findings", "[layout_audit]") {
  Frame f;
  f.add(widget("home.back", {100, 20, 260, 80}));
  f.add(text("Back", {116, 20, 228, 80}, {200, 40, 60, 40}));
  f.add(text("Title", {400, 20, 600, 130}, {400, 40, 300, 60}));
  CHECK(f.checks().empty());
}

TEST_CASE("text cut by the clip although its box is meant to show whole", "[layout_audit]") {
  Frame f;
  AuditText t = text("Koh Pich", {100, 100, 400, 60}, {100, 100, 300, 60});
  t.clip = {0, 0, 1920, 150};  // the box (100..160) is inside, the ink reaches 160: ok
  f.add(t);
  CHECK_FALSE(f.has("clipped"));
  Frame g;
  t.clip = {0, 0, 1920, 165};
  t.ink = {100, 100, 300, 80};  // ink down to 180
  t.box = {100, 100, 400, 60};
  g.add(t);
  CHECK(g.has("clipped"));
  Frame scrolled;  // a list row half scrolled out of its viewport is not a finding
  t.clip = {0, 130, 1920, 900};
  t.ink = {100, 100, 300, 60};
  scrolled.add(t);
  CHECK_FALSE(scrolled.has("clipped"));
}

TEST_CASE("a wrapped button label leaving its button (xh '← Buyela emva')", "[layout_audit]") {
  Frame f;
  f.add(widget("exhibit.back", {128, 24, 260, 80}));
  AuditText t = text("\xE2\x86\x90 Buyela emva", {144, 24, 228, 80}, {160, 10, 200, 108});
  t.container = "exhibit.back";
  t.container_rect = {128, 24, 260, 80};
  f.add(t);
  REQUIRE(f.has("overflow"));
  CHECK(f.audit.check().front().widget == "exhibit.back");
}

TEST_CASE("text leaving its card or chip", "[layout_audit]") {
  Frame f;
  AuditFill chip;
  chip.rect = {100, 100, 200, 60};
  chip.color = 0xFF544C1Cu;
  chip.card = true;
  f.add(chip);
  f.add(text("\xE1\x80\x99\xE1\x80\x96\xE1\x80\xB1\xE1\x80\xAC\xE1\x80\xBA", {110, 100, 400, 60}, {110, 105, 260, 50}));
  CHECK(f.has("overflow"));
}

TEST_CASE("a title under a button, a label under its field, two buttons on each other", "[layout_audit]") {
  Frame f;
  f.add(text("What do you want to explore?", {140, 20, 600, 130}, {140, 20, 520, 130}));
  f.add(widget("visitor.contrast", {548, 24, 96, 80}));
  CHECK(f.has("overlap"));
  Frame g;  // the field is drawn after its label and covers its descenders
  g.add(text("Given name", {60, 190, 880, 32}, {60, 190, 135, 40}));
  g.add(widget("person.field.given_name", {60, 222, 880, 66}));
  CHECK(g.has("overlap"));
  Frame h;
  h.add(widget("a", {0, 0, 100, 100}));
  h.add(widget("b", {90, 90, 100, 100}));
  CHECK(h.has("overlap"));
  Frame own;  // a label drawn on its own tappable row is not an overlap
  own.add(widget("people.result.0", {0, 200, 1000, 80}));
  own.add(text("Sok Dara", {20, 200, 900, 80}, {20, 220, 150, 40}));
  CHECK(own.checks().empty());
}

TEST_CASE("touch targets under 48 units", "[layout_audit]") {
  Frame f;
  f.add(widget("tiny", {0, 0, 47, 80}));
  CHECK(f.has("target"));
  Frame g;
  g.add(widget("ok", {0, 0, 48, 48}));
  CHECK_FALSE(g.has("target"));
  Frame region;  // a region tests look up (a picture) is not a tap target
  AuditWidget w = widget("exhibit.zoomed", {0, 0, 20, 20});
  w.interactive = false;
  region.add(w);
  CHECK(region.checks().empty());
}

TEST_CASE("an ellipsis where the screen allowed none or the text fits", "[layout_audit]") {
  Frame f;
  AuditText t = text("Static electricity and lightning", {0, 0, 300, 120}, {0, 0, 290, 100});
  t.truncated = true;
  t.lines = 2;
  t.full_height = 150;
  f.add(t);
  CHECK(f.has("ellipsis"));
  Frame ok;  // a list cell that may be cut and truly has no room
  t.ellipsis_ok = true;
  ok.add(t);
  CHECK_FALSE(ok.has("ellipsis"));
  Frame room;  // allowed, but the whole text fits its box
  t.full_height = 110;
  room.add(t);
  CHECK(room.has("ellipsis"));
}

TEST_CASE("a lone cluster on the last line when a better break exists ('A' / '−')", "[layout_audit]") {
  Frame f;
  AuditText t = text("Eat more vegetables", {0, 0, 200, 200}, {0, 0, 190, 120});
  t.lines = 2;
  t.last_line_clusters = 1;
  t.better_break = true;
  f.add(t);
  CHECK(f.has("orphan"));
  Frame none;  // no better break: not an orphan finding (overflow decides the rest)
  t.better_break = false;
  none.add(t);
  CHECK_FALSE(none.has("orphan"));
}

TEST_CASE("text contrast under 4.5:1 against the fill under it", "[layout_audit]") {
  CHECK(kiosk::ui::contrast_ratio(0xFFFFFFFFu, 0xFF000000u) > 20.9);
  CHECK(kiosk::ui::contrast_ratio(0xFF777777u, 0xFF777777u) < 1.01);
  Frame f;
  const AuditFill button = solid({0, 0, 300, 80}, 0xFF282E3Au);  // IM_COL32(58,46,40)
  f.add(button);
  AuditText t = text("Send now", {0, 0, 300, 80}, {50, 20, 200, 40});
  t.color = 0xFF78808Cu;  // IM_COL32(140,128,120): 3.4:1
  f.add(t);
  CHECK(f.has("contrast"));
  Frame ok;
  ok.add(button);
  t.color = kWhite;
  ok.add(t);
  CHECK_FALSE(ok.has("contrast"));
  Frame picture;  // text over a picture has no single background: not judged
  AuditFill image;
  image.rect = {0, 0, 300, 80};
  image.image = true;
  picture.add(image);
  t.color = 0xFF78808Cu;
  picture.add(t);
  CHECK_FALSE(picture.has("contrast"));
}

TEST_CASE("contrast is judged for every text pair: pressed buttons, fields, bare background", "[layout_audit]") {
  // A button's label reads on the button at rest but not on its pressed fill.
  Frame pressed;
  const AuditFill gold = solid({0, 0, 300, 80}, 0xFF3DC4FFu);  // IM_COL32(255,196,61)
  pressed.add(gold);
  AuditText label = text("Start", {0, 0, 300, 80}, {50, 20, 200, 40});
  label.color = 0xFF201814u;  // IM_COL32(20,24,32): 11:1 on the gold
  label.container = "home.start";
  label.container_rect = {0, 0, 300, 80};
  label.pressed_fill = 0xFF2E3A46u;  // IM_COL32(70,58,46): 1.6:1 under that label
  pressed.add(label);
  REQUIRE(pressed.has("contrast"));
  CHECK(pressed.audit.check()[0].detail.find("when pressed") != std::string::npos);
  Frame lighter;
  lighter.add(gold);
  label.pressed_fill = 0xFF80DAFFu;  // IM_COL32(255,218,128)
  lighter.add(label);
  CHECK_FALSE(lighter.has("contrast"));

  // A text field's placeholder: only its contrast counts, even though it runs past its box.
  Frame field;
  const AuditFill white = solid({100, 100, 400, 80}, 0xFFFFFFFFu);
  field.add(white);
  AuditText hint = text("YYYY-MM-DD", {100, 100, 400, 80}, {-150, 100, 900, 80});
  hint.contrast_only = true;
  hint.color = 0xFF9B8C82u;  // IM_COL32(130,140,155): 3.4:1 on white
  field.add(hint);
  CHECK(field.checks() == std::vector<std::string>{"contrast"});
  Frame darker;
  darker.add(white);
  hint.color = 0xFF746860u;  // IM_COL32(96,104,116): 5.6:1
  darker.add(hint);
  CHECK(darker.checks().empty());

  // Nothing recorded under a text: the frame's background decides.
  LayoutAudit bare;
  bare.begin_frame(1920, 1080);
  bare.set_background(0xFF341E0Eu);
  AuditText dim = text("Hello", {0, 0, 300, 80}, {0, 0, 200, 40});
  dim.color = 0xFF6A5A4Au;  // IM_COL32(74,90,106) on navy: 2.5:1
  dim.order = bare.next_order();
  bare.record_text(dim);
  REQUIRE(bare.check().size() == 1);
  CHECK(bare.check()[0].detail.find("the background") != std::string::npos);
}

TEST_CASE("a finding names the widget, language, text and boxes", "[layout_audit]") {
  Frame f;
  f.add(widget("visitor.contrast", {548, 24, 96, 80}));
  AuditText t = text("Title", {140, 20, 600, 130}, {140, 20, 520, 130});
  t.lang = "km";
  f.add(t);
  const auto found = f.audit.check();
  REQUIRE(found.size() == 1);
  CHECK(found[0].describe() ==
        "overlap @visitor.contrast [km] 'Title': ink 140,20 520x130 overlaps the widget 548,24 96x80");
}
