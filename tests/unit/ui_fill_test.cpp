// The window's background as the clear colour (kiosk/ui/ui.h contract): a fill that is opaque,
// square and over the whole window with nothing drawn under it is not drawn; the loop clears with
// it instead. Anything else is drawn as before.
#include "ui.h"

#include <catch2/catch.hpp>
#include <imgui.h>

namespace ku = kiosk::ui;

namespace {

// A headless ImGui frame (no GL: fills only touch the draw list) around one Ui frame.
struct Frame {
  Frame() : text(ku::TextConfig{}), ui(text, gestures) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1920, 1080);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
  }
  ~Frame() { ImGui::DestroyContext(); }
  ImDrawList* begin() {
    ImGui::NewFrame();
    ImDrawList* list = ImGui::GetBackgroundDrawList();
    ui.begin_frame(1920, 1080, 1.0f, 0, list);
    return list;
  }
  void end() {
    ui.end_frame();
    ImGui::Render();
  }
  ku::GestureRecognizer gestures;
  ku::TextRenderer text;
  ku::Ui ui;
};

constexpr ImU32 kBlue = IM_COL32(20, 40, 80, 255);
constexpr ImU32 kGrey = IM_COL32(30, 30, 30, 255);

}  // namespace

TEST_CASE("the first opaque fill of the whole window becomes the clear colour, the rest is drawn",
          "[ui_fill]") {
  Frame f;
  ImDrawList* list = f.begin();
  CHECK(f.ui.clear_color() == ku::Ui::kDefaultClear);
  f.ui.fill({0, 0, 1920, 1080}, kBlue);
  CHECK(list->VtxBuffer.Size == 0);
  CHECK(f.ui.clear_color() == kBlue);
  f.ui.fill({-10, -10, 2000, 1200}, kGrey);  // still nothing drawn: the grey covers the blue
  CHECK(list->VtxBuffer.Size == 0);
  CHECK(f.ui.clear_color() == kGrey);
  f.ui.fill({10, 10, 100, 100}, kBlue);
  const int drawn = list->VtxBuffer.Size;
  CHECK(drawn > 0);
  f.ui.fill({0, 0, 1920, 1080}, kBlue);  // over the small square: must be drawn
  CHECK(list->VtxBuffer.Size > drawn);
  CHECK(f.ui.clear_color() == kGrey);
  f.end();
  // The next frame starts from the kiosk's own colour again.
  f.begin();
  CHECK(f.ui.clear_color() == ku::Ui::kDefaultClear);
  f.end();
}

TEST_CASE("fills that are not the window's background are drawn", "[ui_fill]") {
  Frame f;
  ImDrawList* list = f.begin();
  SECTION("translucent") { f.ui.fill({0, 0, 1920, 1080}, IM_COL32(20, 40, 80, 200)); }
  SECTION("rounded") { f.ui.fill({0, 0, 1920, 1080}, kBlue, 12); }
  SECTION("not the whole window") { f.ui.fill({0, 0, 1920, 1079}, kBlue); }
  SECTION("after something else was drawn") {
    f.ui.fill({10, 10, 100, 100}, kGrey);
    f.ui.fill({0, 0, 1920, 1080}, kBlue);
  }
  SECTION("inside a clip smaller than the window") {
    list->PushClipRect(ImVec2(0, 0), ImVec2(960, 1080), true);
    f.ui.fill({0, 0, 1920, 1080}, kBlue);
    list->PopClipRect();
  }
  CHECK(list->VtxBuffer.Size > 0);
  CHECK(f.ui.clear_color() == ku::Ui::kDefaultClear);
  f.end();
}
