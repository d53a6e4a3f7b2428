// Staff accounts (issue 5, item 1): a supervisor adds staff, gives a new PIN, changes a role,
// deactivates or reactivates an account. The rules (unique names, never oneself, always one
// active supervisor) are core's (StaffDirectory, rules A1..A4); this screen shows the broken rule
// beside its field, in the staff language, and "saved" only after the commit.
//
//      LIST --"accounts.add"--> FORM(new account: name, role, PIN twice) --save ok--> LIST
//      LIST --"accounts.pin.N"--> FORM(new PIN for account N: PIN twice) --save ok--> LIST
//      FORM --cancel / back--> LIST;  LIST --back--> staff-home
// Role and active changes are one tap each on the list (each one transaction).
//
// A PIN is typed on the screen's own digit pad and shown as dots; the argon2id hash (~0.1-0.2 s)
// is computed on a thread of its own when Save is tapped (hash_pin), while the screen says
// "Saving…" and takes no further Save or Back; the account is written (add_staff_hashed /
// set_pin_hash, the rules checked in that transaction) once the hash is there. Leaving the screen
// meanwhile (the idle lock) waits for the hash and saves nothing.
#include "screens.h"
#include "staff_widgets.h"

#include <algorithm>
#include <chrono>
#include <future>

namespace kiosk::screens {
namespace {

constexpr float kTop = 180;  // below the header (title row and message line)

class StaffAccountsScreen final : public Screen {
 public:
  std::string_view name() const override { return "staff-accounts"; }
  bool visitor() const override { return false; }

  void enter(ScreenContext& ctx) override {
    m_mode = Mode::List;
    m_message_key.clear();
    m_scroll = ui::KineticScroll();
    m_last_ms = -1;
    reload(ctx);
  }

  void exit(ScreenContext&, std::string_view) override {  // idle lock included
    if (m_hashing.valid()) m_hashing.wait();
    m_hashing = {};
    m_mode = Mode::List;
    m_pins[0].clear();
    m_pins[1].clear();
  }

  bool busy() const override { return m_hashing.valid(); }

  void draw(ui::Ui& ui, ScreenContext& ctx) override {
    const float w = ui.width(), h = ui.height();
    if (!begin_staff_screen(ui, ctx)) return;
    if (m_hashing.valid()) {
      ui.request_frame();  // poll the hash
      if (m_hashing.wait_for(std::chrono::seconds(0)) == std::future_status::ready) finish_save(ui, ctx, m_hashing.get());
    }
    const bool supervisor = ctx.staff->session->is_supervisor();
    if (!supervisor) m_mode = Mode::List;
    if (m_mode == Mode::List) draw_list(ui, ctx, supervisor); else draw_form(ui, ctx);
    // Header last: the list scrolls under it. Title and buttons on one row, the message under them.
    ui.fill({0, 0, w, kTop - 10}, kStaffBackground);
    auto back = ctx.staff_tr("common.back");
    if (ui.button("accounts.back", ui.mirror({40, 30, 260, 84}), back.text, back.lang, ui::ButtonKind::Quiet, 32) &&
        !m_hashing.valid()) {
      if (m_mode != Mode::List) close_form(ui); else ctx.go("staff-home");
    }
    const bool with_add = m_mode == Mode::List && supervisor;
    const float add_w = w > h ? 380 : 320;
    const std::string title = m_mode == Mode::NewAccount ? std::string(ctx.staff_tr("accounts.new_title").text)
                              : m_mode == Mode::NewPin   ? staff_text(ctx, "accounts.pin_title", "name", m_target_name)
                                                         : std::string(ctx.staff_tr("accounts.title").text);
    // Two lines where the title needs them (isiZulu in portrait), above the message at 124.
    label(ui, ui.mirror({330, 20, w - 330 - (with_add ? add_w + 70 : 40), 100}), title, ctx.staff->lang(),
          w > h ? 44 : 38, ui.theme().text, true);
    draw_staff_message(ui, ctx, "accounts", ui.mirror({60, 124, w - 120, 40}), m_message_key, m_message_error, 28);
    if (with_add) {
      auto add = ctx.staff_tr("accounts.add");
      if (ui.button("accounts.add", ui.mirror({w - add_w - 40, 30, add_w, 84}), add.text, add.lang, ui::ButtonKind::Primary, 30))
        open_form(Mode::NewAccount, {}, {});
    }
    if (ui.gestures().tap) ui.request_frame();  // a tap may have changed what is shown: redraw
  }

 private:
  enum class Mode { List, NewAccount, NewPin };

  static void label(ui::Ui& ui, ui::Rect r, std::string_view text, std::string_view lang, float size,
                    ImU32 color, bool bold = false) {
    staff_label(ui, r, text, lang, size, color, bold);
  }

  void reload(ScreenContext& ctx) {
    m_accounts.clear();
    if (ctx.staff) m_accounts = ctx.staff->directory.list(/*include_inactive=*/true);
  }

  // [LIST] one row per account: name, role, state; a supervisor's buttons at the row's end.
  void draw_list(ui::Ui& ui, ScreenContext& ctx, bool supervisor) {
    const float w = ui.width(), h = ui.height(), top = kTop, row_h = 116, gap = 14;
    float y = top;
    if (!supervisor) {
      label(ui, ui.mirror({60, y, w - 120, 50}), ctx.staff_tr("accounts.supervisor_only").text, ctx.staff->lang(), 28,
            ui.theme().text_muted);
      y += 60;
    }
    const ui::Rect area{0, y, w, h - y};
    scroll_staff_list(ui, m_scroll, area, static_cast<float>(m_accounts.size()) * (row_h + gap), &m_last_ms);

    const bool narrow = w < h;  // portrait: name above, buttons below, in a taller row
    const float rh = narrow ? row_h * 1.9f : row_h;
    ui.draw_list()->PushClipRect(ui.px({0, y}), ui.px({w, h}), true);
    ui.set_input_clip(area);
    bool changed = false;  // reload after the loop: reload() replaces m_accounts, which a refers to
    for (std::size_t i = 0; i < m_accounts.size(); ++i) {
      const core::StaffMember& a = m_accounts[i];
      const float ry = y + static_cast<float>(i) * (rh + gap) - m_scroll.offset();
      if (ry > h || ry + rh < y) continue;
      const std::string n = std::to_string(i);
      ui.fill(ui.mirror({60, ry, w - 120, rh}), a.active ? IM_COL32(34, 40, 54, 255) : IM_COL32(27, 29, 35, 255), 18);
      ui.register_id("accounts.row." + n, ui.mirror({60, ry, w - 120, rh}));
      const bool me = a.id == ctx.staff->session->staff().id;
      std::string state = std::string(ctx.staff_tr(a.role == "supervisor" ? "accounts.role.supervisor" : "accounts.role.staff").text);
      if (!a.active) state += " · " + std::string(ctx.staff_tr("accounts.inactive").text);
      if (me) state += " · " + std::string(ctx.staff_tr("accounts.you").text);
      const float text_w = narrow ? w - 180 : w * 0.36f;
      ui::TextStyle ts;
      ts.lang = script_lang(a.name);
      ts.align = align(ui, ts.lang);
      ts.size = 34;
      ts.bold = true;
      ts.max_lines = 1;
      ui.label(ui.mirror({90, ry + 12, text_w, 48}), a.name, ts, a.active ? ui.theme().text : ui.theme().text_muted);
      label(ui, ui.mirror({90, ry + 62, text_w, 40}), state, ctx.staff->lang(), 26, ui.theme().text_muted);
      if (!supervisor) continue;
      // Buttons: new PIN, role, active — laid from the row's end towards its start.
      const float bw = narrow ? (w - 180 - 40) / 3 : std::min(320.0f, (w - 120 - text_w - 120) / 3 - 20);
      const float by = narrow ? ry + row_h : ry + 16, bh = narrow ? 84 : row_h - 32;
      float bx = w - 90 - bw;
      // A supervisor's own row offers only a new PIN: core refuses deactivating or demoting
      // oneself (rule A3), so those buttons are not shown there (their places stay empty).
      const auto action = [&](const std::string& id, std::string_view key, ui::ButtonKind kind, bool offered = true) {
        auto l = ctx.staff_tr(key);
        const bool hit = offered && ui.button(id, ui.mirror({bx, by, bw, bh}), l.text, l.lang, kind, 26);
        bx -= bw + 20;
        return hit;
      };
      core::StaffRule rule = core::StaffRule::ok;
      const std::string actor = ctx.staff->session->staff().id;
      if (action("accounts.active." + n, a.active ? "accounts.deactivate" : "accounts.activate", ui::ButtonKind::Quiet, !me)) {
        const core::SaveResult r = ctx.staff->directory.set_active(a.id, !a.active, actor, &rule);
        report(r, rule, a.active ? "accounts.deactivated" : "accounts.activated");
        changed = true;
      }
      if (action("accounts.role." + n, a.role == "supervisor" ? "accounts.make_staff" : "accounts.make_supervisor",
                 ui::ButtonKind::Quiet, !me)) {
        const core::SaveResult r =
            ctx.staff->directory.set_role(a.id, a.role == "supervisor" ? "staff" : "supervisor", actor, &rule);
        report(r, rule, "accounts.role_saved");
        changed = true;
      }
      if (action("accounts.pin." + n, "accounts.new_pin", ui::ButtonKind::Normal)) open_form(Mode::NewPin, a.id, a.name);
    }
    ui.clear_input_clip();
    ui.draw_list()->PopClipRect();
    if (changed) reload(ctx);
  }

  // The outcome of a change: the broken rule's or the store's message, or the success message.
  void report(const core::SaveResult& r, core::StaffRule rule, const char* ok_key) {
    m_message_error = !r.ok();
    m_message_key = r.ok() ? ok_key
                    : rule != core::StaffRule::ok ? core::staff_rule_key(rule)
                                                  : core::store_error_key(r.error);
  }

  void open_form(Mode mode, std::string target_id, std::string target_name) {
    m_mode = mode;
    m_target_id = std::move(target_id);
    m_target_name = std::move(target_name);
    m_name.set_text("");
    m_role = "staff";
    m_pins[0].clear();
    m_pins[1].clear();
    m_pin_box = mode == Mode::NewPin ? 0 : -1;
    m_name_error.clear();
    m_pin_error.clear();
    m_message_key.clear();
  }

  void close_form(ui::Ui& ui) {
    m_mode = Mode::List;
    m_pins[0].clear();  // a PIN never outlives its form
    m_pins[1].clear();
    ui.focus("");
  }

  // [FORM] name and role (new accounts only), then the PIN twice on the digit pad.
  void draw_form(ui::Ui& ui, ScreenContext& ctx) {
    const float w = ui.width(), h = ui.height();
    const bool landscape = w > h;
    const float col_w = landscape ? w * 0.46f : w - 120;
    const std::string_view lang = ctx.staff->lang();
    float y = kTop + 10;
    const bool typing_name = ui.focused_id() == "accounts.field.name";
    if (m_mode == Mode::NewAccount) {
      label(ui, ui.mirror({60, y - 6, col_w, 36}), ctx.staff_tr("accounts.field.name").text, lang, 26, ui.theme().text_muted);
      if (ui.text_field("accounts.field.name", ui.mirror({60, y + 38, col_w, 78}), m_name, script_lang(m_name.text()), "", 32))
        m_name_error.clear();
      if (typing_name) m_pin_box = -1;
      if (!m_name_error.empty()) {
        ui.register_id("accounts.error.name", ui.mirror({60, y + 118, col_w, 36}));
        label(ui, ui.mirror({60, y + 118, col_w, 36}), name_rule_message(ctx, m_name_error, m_name.text()), lang, 24,
              ui.theme().danger);
      }
      y += 168;
      label(ui, ui.mirror({60, y - 6, col_w, 36}), ctx.staff_tr("accounts.field.role").text, lang, 26, ui.theme().text_muted);
      const char* roles[2] = {"staff", "supervisor"};
      for (int i = 0; i < 2; ++i) {
        auto l = ctx.staff_tr(std::string("accounts.role.") + roles[i]);
        const ui::Rect r{60 + static_cast<float>(i) * (col_w / 2 + 10), y + 44, col_w / 2 - 10, 80};
        if (ui.button(std::string("accounts.field.role.") + roles[i], ui.mirror(r), l.text, l.lang,
                      m_role == roles[i] ? ui::ButtonKind::Primary : ui::ButtonKind::Quiet, 28))
          m_role = roles[i];
      }
      y += 150;
    }
    if (typing_name) {  // the keyboard takes the lower part of the screen; the PIN waits
      const float kb_h = std::clamp(h * 0.4f, 360.0f, 600.0f);
      if (m_keyboard.draw(ui, ctx, {0, h - kb_h, w, kb_h}, "accounts.field.name", m_name,
                          search_layouts(ctx.pack.default_language)))
        m_name_error.clear();
      return;
    }
    if (!m_keyboard.field().empty()) m_keyboard.commit(m_name);
    // The two PIN boxes: tap one, then type on the pad.
    const char* box_keys[2] = {"accounts.field.pin", "accounts.field.pin_again"};
    for (int i = 0; i < 2; ++i) {
      label(ui, ui.mirror({60, y - 6, col_w, 36}), ctx.staff_tr(box_keys[i]).text, lang, 26, ui.theme().text_muted);
      const ui::Rect box{60, y + 42, col_w, 78};
      const std::string id = i == 0 ? "accounts.field.pin" : "accounts.field.pin2";
      if (ui.button(id, ui.mirror(box), "", "en", ui::ButtonKind::Normal)) {
        m_pin_box = i;
        ui.focus("");
      }
      if (m_pin_box == i) {  // the box the pad types into: an accent frame (the dots stay visible)
        const ui::Rect b = ui.mirror(box);
        ui.draw_list()->AddRect(ui.px({b.x, b.y}), ui.px({b.x + b.w, b.y + b.h}), ui.theme().accent,
                                ui.theme().corner * ui.scale(), 0, 4 * ui.scale());
      }
      draw_pin_dots(ui, ui.mirror(box).center().x, box.center().y, m_pins[i].size());
      y += 130;
    }
    if (!m_pin_error.empty()) {
      ui.register_id("accounts.error.pin", ui.mirror({60, y - 8, col_w, 36}));
      label(ui, ui.mirror({60, y - 8, col_w, 36}), ctx.staff_tr(m_pin_error).text, lang, 24, ui.theme().danger);
    }
    y += 40;
    auto save = ctx.staff_tr("accounts.save");
    auto cancel = ctx.staff_tr("accounts.cancel");
    if (ui.button("accounts.save", ui.mirror({60, y, col_w / 2 - 10, 90}), save.text, save.lang, ui::ButtonKind::Primary, 32) &&
        !m_hashing.valid())
      this->save(ctx);
    if (ui.button("accounts.cancel", ui.mirror({70 + col_w / 2, y, col_w / 2 - 10, 90}), cancel.text, cancel.lang,
                  ui::ButtonKind::Quiet, 32))
      close_form(ui);
    if (m_pin_box < 0) return;
    // The pad: beside the form in landscape, under it in portrait.
    const float pad_top = landscape ? 170 : y + 120;
    const float key = std::min(130.0f, (h - pad_top - 40) / 4.0f - 16);
    const float cx = landscape ? ui.mirror({w * 0.5f + 60, 0, w * 0.5f - 120, 1}).center().x : w * 0.5f;
    const std::size_t before = m_pins[m_pin_box].size();
    draw_pin_pad(ui, ctx, "accounts.pad", cx, pad_top, key, m_pins[m_pin_box]);
    if (m_pins[m_pin_box].size() != before) m_pin_error.clear();
  }

  void save(ScreenContext& ctx) {
    m_name_error.clear();
    m_pin_error.clear();
    core::StaffRule rule = core::StaffRule::ok;
    if (m_mode == Mode::NewAccount) {
      rule = ctx.staff->directory.check_name(m_name.text());
      if (rule != core::StaffRule::ok) m_name_error = core::staff_rule_key(rule);
    }
    if (!core::pin_format_ok(m_pins[0])) m_pin_error = "accounts.error.pin_format";
    else if (m_pins[0] != m_pins[1]) m_pin_error = "accounts.error.pin_mismatch";
    if (!m_name_error.empty() || !m_pin_error.empty()) {
      if (!m_pin_error.empty()) m_pins[1].clear();
      return;
    }
    m_hashing = std::async(std::launch::async, core::hash_pin, m_pins[0]);
    m_message_key = "accounts.saving";
    m_message_error = false;
  }

  // Save's second half, once the hash is there: one transaction, "saved" only after its commit.
  void finish_save(ui::Ui& ui, ScreenContext& ctx, const std::string& hash) {
    core::StaffRule rule = core::StaffRule::ok;
    const std::string actor = ctx.staff->session->staff().id;
    const core::SaveResult r =
        hash.empty() ? core::SaveResult::failure(core::StoreError::other, "argon2id hashing failed")
        : m_mode == Mode::NewAccount ? ctx.staff->directory.add_staff_hashed(m_name.text(), hash, m_role, actor, &rule)
                                     : ctx.staff->directory.set_pin_hash(m_target_id, hash, actor, &rule);
    if (!r.ok() && (rule == core::StaffRule::name_taken || rule == core::StaffRule::name_required ||
                    rule == core::StaffRule::name_too_long || rule == core::StaffRule::control_characters ||
                    rule == core::StaffRule::zawgyi || rule == core::StaffRule::name_characters)) {
      m_name_error = core::staff_rule_key(rule);  // someone took the name meanwhile
      m_message_key.clear();
      return;
    }
    report(r, rule, m_mode == Mode::NewAccount ? "accounts.saved" : "accounts.pin_saved");
    if (!r.ok()) return;  // the form keeps what was typed; the message says why
    close_form(ui);
    reload(ctx);
  }

  Mode m_mode = Mode::List;
  std::vector<core::StaffMember> m_accounts;
  std::string m_target_id, m_target_name;  // the account getting a new PIN
  ui::TextField m_name;
  std::string m_role = "staff";
  std::string m_pins[2];
  int m_pin_box = -1;  // which PIN box the pad types into; -1: none
  std::string m_name_error, m_pin_error;  // catalog keys, empty = no error
  FieldKeyboard m_keyboard;
  std::string m_message_key;
  bool m_message_error = false;
  std::future<std::string> m_hashing;  // Save's argon2id hash, on its own thread
  ui::KineticScroll m_scroll;
  double m_last_ms = -1;
};

}  // namespace

std::unique_ptr<Screen> make_staff_accounts_screen() { return std::make_unique<StaffAccountsScreen>(); }

}  // namespace kiosk::screens
