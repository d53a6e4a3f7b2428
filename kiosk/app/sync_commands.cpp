// kiosk/app/sync_commands.cpp — sync for technicians and automation: `kiosk --enroll FILE`,
// `--sync-now`, `--export-bundle DIR`, `--import-receipt FILE|DIR`, `--import-downlink FILE|DIR`. They open the store like the
// other command-line tools (config + --data-dir) and need no display and no content pack. The
// same operations back the staff Sync screen (through sync::SyncWorker).
// Exit codes: 0 done (also "nothing to send"), 1 with a one-line reason otherwise.
#include "admin_tool.h"

#include "kiosk_sync.h"
#include "privacy.h"
#include "store.h"

#include <cstdio>

namespace kiosk::app {

int AdminTool::sync_command() {
  std::string error;
  if (!open_store(&error)) return open_failed(error);
  sync::KioskSync sync(*m_store);
  sync::SyncOutcome o;
  const char* what = "";
  if (!m_options.enroll_file.empty()) {
    what = "enroll";
    o = sync.enroll_file(m_options.enroll_file);
  } else if (!m_options.export_bundle_dir.empty()) {
    what = "export";
    o = sync.export_bundles(m_options.export_bundle_dir);
  } else if (!m_options.import_downlink.empty()) {
    what = "downlink";
    o = sync.import_downlink_file(m_options.import_downlink);
  } else if (!m_options.import_receipt.empty()) {
    what = "receipt";
    o = sync.import_receipt_file(m_options.import_receipt);
  } else {
    what = "sync";
    o = sync.send_now(m_config.sync_url);
  }
  if (!o.ok()) {
    std::fprintf(stderr, "kiosk: %s failed (%s): %s\n", what, sync::sync_code_key(o.code),
                 o.detail.c_str());
    return 1;
  }
  if (!o.detail.empty()) std::printf("%s\n", o.detail.c_str());
  // Like the Sync screen's worker: forget what headquarters has held past the retention period.
  const auto redacted = core::Privacy(*m_store).redact_acknowledged(m_config.retention_days);
  if (redacted.ok() && redacted.id != "0")
    std::printf("erased the personal data of %s people headquarters holds (older than %d days)\n",
                redacted.id.c_str(), m_config.retention_days);
  if (o.code == sync::SyncCode::nothing_to_send) std::printf("nothing to send: everything is confirmed\n");
  for (const auto& f : o.files) std::printf("wrote %s\n", f.c_str());
  if (o.bundles > 0)
    std::printf("%d bundle(s), %lld entries\n", o.bundles, static_cast<long long>(o.entries));
  if (o.acked_after != o.acked_before ||
      (std::string(what) != "enroll" && std::string(what) != "downlink"))
    std::printf("headquarters confirmed up to seq %lld (was %lld)\n",
                static_cast<long long>(o.acked_after), static_cast<long long>(o.acked_before));
  return 0;
}

}  // namespace kiosk::app
