// sync/pack_worker.h — installing content packs from the kiosk: what `kiosk --install-pack`,
// `kiosk --rollback-pack` and the supervisor's Content screen share.
//
//  W1. A pack file is trusted only with the headquarters key and tour of the kiosk's enrollment
//      (kiosk/core/sync_identity.h): a kiosk that is not enrolled installs no pack file.
//  W2. The Content screen's work runs on PackWorker's own thread (listing a stick, staging,
//      hashing, the checker); the screen only calls start() and snapshot(), so no frame waits.
//  W3. "Check" stages the chosen file (PackStore::stage_file: copy, verify, checker) and keeps
//      it staged; "Install" only commits that staged copy (one pointer write). Any other job,
//      and the worker's end, discards a staged copy that was not installed.
//  W4. switches() counts commits and rollbacks made by this worker, so the app reloads the pack
//      it shows after one (the kiosk's copies are never changed in place, pack_store.h P2).
//
// Contract: PackWorker is safe to poll from the UI thread; its jobs run one at a time.
#pragma once

#include "job_thread.h"
#include "pack_store.h"
#include "store.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::sync {

// W1: the enrolled headquarters key and tour; nullopt with *refusal (not_enrolled, io) otherwise.
struct PackTrust {
  Key32 hq_sign_public{};
  std::string tour;
};
std::optional<PackTrust> pack_trust(core::Store& store, PackOutcome* refusal);

// The expectation for a new pack file: the running copy's pack id (another tour's pack is
// refused) and the enrolled tour.
PackStore::Expect pack_expectation(const PackStore& packs, const PackTrust& trust);

// One pack file found on removable media: its signed manifest (read, not yet staged) and what
// it would change over the current copy, or why it cannot be used.
struct PackOffer {
  std::string path, name;
  PackOutcome readable;      // the header, signature and manifest (not the files yet)
  PackDescription manifest;  // when readable
  PackDiff diff;
};

class PackWorker {
 public:
  enum class Job { none, scan, check, install, rollback };
  struct Snapshot {
    Job job = Job::none;  // running or last finished
    bool running = false;
    double progress = 0;  // 0..1 of a check
    std::vector<PackOffer> offers;          // from the last scan
    std::optional<InstalledPack> current, previous;
    std::optional<PackOffer> checked;       // the staged file, ready to install (W3)
    int checker_errors = 0, checker_warnings = 0;
    std::optional<PackOutcome> outcome;     // of the last check, install or rollback
    std::uint64_t generation = 0;
  };
  // `store_path`: the kiosk's SQLite store (enrollment); `packs_dir`: <data_dir>/packs; `roots`:
  // where to look for *.rkp (removable media, <data_dir>/import).
  PackWorker(std::string store_path, std::string packs_dir, std::vector<std::string> roots);
  ~PackWorker();
  PackWorker(const PackWorker&) = delete;
  PackWorker& operator=(const PackWorker&) = delete;

  bool start(Job job, std::string arg = {});  // false while a job runs; arg: the file to check
  Snapshot snapshot() const;
  std::uint64_t switches() const { return m_switches.load(); }  // W4

 private:
  void run(Job job, const std::string& arg);  // on the worker thread
  std::string m_store_path;
  std::vector<std::string> m_roots;
  PackStore m_packs;    // used on the worker thread only
  StagedPack m_staged;  // W3: kept between a check and its install
  std::atomic<std::uint64_t> m_switches{0};
  JobThread<Job, Snapshot> m_jobs;  // last: its thread stops before the members above go
};

}  // namespace kiosk::sync
