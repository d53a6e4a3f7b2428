// kiosk/app/pack_commands.cpp — content packs for technicians and automation: `kiosk
// --install-pack FILE` and `kiosk --rollback-pack`. They open the store like the other
// command-line tools (config + --data-dir; the enrollment gives headquarters' key and the tour)
// and need no display. The same operations back the supervisor's Content screen
// (sync::PackWorker); the rules are sync/pack_store.h P1-P7 and sync/pack_worker.h W1.
// Exit codes: 0 done, 1 with the refusal's code and reason.
#include "admin_tool.h"

#include "instance_lock.h"
#include "pack_guard.h"
#include "pack_worker.h"
#include "store.h"

#include <cstdio>

namespace kiosk::app {

namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : " ") + x;
  return s.empty() ? "-" : s;
}

}  // namespace

int AdminTool::pack_command() {
  std::string error;
  if (!open_store(&error)) return open_failed(error);
  platform::InstanceLock lock;  // K3: never under a running kiosk, and none starts meanwhile
  if (!lock.acquire(m_config.data_dir, &error)) {
    std::fprintf(stderr, "kiosk: %s refused: %s, or use its Content screen\n  nothing was changed\n",
                 m_options.rollback_pack ? "rollback" : "pack", error.c_str());
    return 1;
  }
  sync::init_crypto();
  sync::PackStore packs(m_config.data_dir + "/packs");
  sync::PackOutcome o;
  if (m_options.rollback_pack) {
    o = packs.rollback();
    if (o.ok()) {
      std::string why;
      const auto now = packs.current(&why);
      std::printf("rolled back: running pack %s version %lld again\n", now ? now->description.pack_id.c_str() : "?",
                  now ? static_cast<long long>(now->description.version) : 0LL);
      return 0;
    }
  } else {
    // The configured folder is adopted first when nothing was ever copied in, so that the pack id
    // a new file must match is known (a pack for another tour is refused).
    std::string why;
    if (!packs.current(&why) && why.empty() && !m_config.pack_path.empty()) {
      PackChoice ignored;
      choose_pack(m_config.pack_path, m_config.data_dir, &ignored, &why);
    }
    const auto trust = sync::pack_trust(*m_store, &o);
    if (trust) {
      const auto before = packs.current(&why);
      sync::StagedPack staged;
      o = packs.stage_file(m_options.install_pack, trust->hq_sign_public, sync::pack_expectation(packs, *trust), {},
                           &staged);
      if (o.ok()) o = packs.commit(&staged);
      if (o.ok()) {
        const sync::PackDiff d = sync::diff_packs(before ? &before->description : nullptr, staged.description);
        std::printf("installed pack %s version %lld from %s\n  languages: %s\n  exhibits added: %s\n"
                    "  exhibits changed: %s\n  exhibits removed: %s\n  checker: %d errors, %d warnings\n",
                    staged.description.pack_id.c_str(), static_cast<long long>(staged.description.version),
                    m_options.install_pack.c_str(), joined(staged.description.languages).c_str(),
                    joined(d.added).c_str(), joined(d.changed).c_str(), joined(d.removed).c_str(),
                    staged.checker_errors, staged.checker_warnings);
        return 0;
      }
    }
  }
  const std::string key = sync::pack_code_key(o.code);
  std::fprintf(stderr, "kiosk: %s refused (%s): %s\n  nothing was changed\n",
               m_options.rollback_pack ? "rollback" : "pack", key.substr(key.rfind('.') + 1).c_str(), o.detail.c_str());
  return 1;
}

}  // namespace kiosk::app
