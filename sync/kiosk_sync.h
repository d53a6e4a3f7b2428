// sync/kiosk_sync.h — the kiosk's side of sync: enrollment, bundles from the change log, sending
// them over HTTP or writing them to a USB stick, and applying headquarters' signed receipts.
//
// Design note (the protocol itself is in sync/README.md):
//  K1. Nothing here changes a record. The only writes are the enrollment row, the acknowledged
//      mark (ChangeLog::acknowledge) and the receipt/sent times.
//  K2. The mark moves only after a receipt's signature verified with headquarters' key, for this
//      device, and only as far as every seq up to it is covered by the receipt's mark of the
//      incarnation that owns it (so it never runs ahead of what headquarters holds).
//  K3. Bundles are built from ChangeLog::range (one read transaction, contiguous) for the seqs
//      above the mark, cut at incarnation boundaries and at kEntriesPerBundle.
//  K4. A USB export is written durably (temp file, fsync, rename, fsync folder), read back and
//      verified before it is reported written; a failure leaves no partial bundle file.
//
// Contract: KioskSync borrows a Store and is not thread-safe (one Store per thread); SyncWorker
// owns its own Store connection on its own thread and is safe to poll from the UI thread.
#pragma once

#include "format.h"
#include "job_thread.h"
#include "store.h"
#include "sync_identity.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::sync {

class HttpClient;  // http_client.h

inline constexpr std::int64_t kEntriesPerBundle = 5000;

struct SyncStatus {
  bool enrolled = false;
  std::string hq_device_id, device_name, tour, hq_url;
  std::int64_t last_seq = 0, acked_seq = 0;
  std::int64_t people_pending = 0;  // participants with a change headquarters has not confirmed
  std::string last_receipt_at, last_sent_at;  // ISO-8601 UTC, empty if never
};

// What an operation came to. The UI shows the catalog text of sync_code_key(code); `detail`
// (English, technical) goes to logs and to the CLI.
enum class SyncCode {
  ok,
  nothing_to_send,  // every entry is already acknowledged
  not_enrolled,     // no enrollment file loaded yet (kiosk --enroll)
  no_url,           // Send now without a configured headquarters URL
  store_error,      // the kiosk's store could not be read or written
  network,          // no connection, timeout or connection cut: nothing was acknowledged
  refused,          // headquarters refused a bundle (the reason is in detail)
  bad_receipt,      // not a receipt, not signed by our hq, or for another device
  bad_file,         // not an enrollment file, or for another device
  io,               // the USB folder could not be written or read back
};
const char* sync_code_key(SyncCode code);  // "sync.outcome.<name>"

struct SyncOutcome {
  SyncCode code = SyncCode::ok;
  std::string detail;
  int bundles = 0;              // bundles sent or written
  std::int64_t entries = 0;     // change-log entries in them
  std::int64_t acked_before = 0, acked_after = 0;
  std::vector<std::string> files;  // files written (export)
  // Headquarters' package applied by this action (downlink.h), when one was.
  bool package_applied = false;
  int package_organizations = 0, package_events = 0, package_staff = 0;
  bool ok() const { return code == SyncCode::ok || code == SyncCode::nothing_to_send; }
};

using Progress = std::function<void(double fraction)>;  // 0..1, may be empty

class KioskSync {
 public:
  explicit KioskSync(core::Store& store) : m_store(store) {}

  core::ReadResult<SyncStatus> status() const;
  // Loads a provisioning file's contents: the kiosk makes its Ed25519 key pair and stores it with
  // headquarters' public keys. The same file again is harmless; another device's is refused.
  SyncOutcome enroll(const Enrollment& e);
  SyncOutcome enroll_file(const std::string& path);
  // The bundles for every entry above the mark (K3), sealed and signed.
  core::ReadResult<std::vector<Bytes>> pending_bundles(const Progress& progress = {}) const;
  // One bundle: the entries from `first_seq` to the end of its incarnation, at most
  // kEntriesPerBundle; nullopt when first_seq is beyond last_seq. Sending and exporting build
  // bundles one at a time with this, so a large backlog never sits in memory at once.
  core::ReadResult<std::optional<Bytes>> bundle_from(std::int64_t first_seq) const;
  // The first seq not yet acknowledged and the last seq, in one read.
  core::ReadResult<std::pair<std::int64_t, std::int64_t>> pending_range() const;
  // Writes the pending bundles into `dir` (K4). Changes nothing on the kiosk.
  SyncOutcome export_bundles(const std::string& dir, const Progress& progress = {});
  // POSTs each pending bundle to `url` + /api/v1/bundles and applies each receipt (K2).
  SyncOutcome send_now(const std::string& url, const Progress& progress = {},
                       int timeout_s = 30);
  // Verifies a receipt and moves the mark (K2).
  SyncOutcome apply_receipt(const Bytes& receipt);
  // Reads receipt files (receipt-<device>.rkr from `hq import`); a folder means every *.rkr in it.
  SyncOutcome import_receipt_file(const std::string& path);

  // Headquarters' downlink package (README "Downlink"): verified with headquarters' key, for
  // this kiosk's tour (and device, when it names one), newer than the last applied, then applied
  // in one transaction (kiosk/core/downlink.h). bad_file with the reason otherwise; nothing
  // changes then.
  SyncOutcome apply_downlink(const Bytes& package);
  // A file, or the newest valid *.rkd package in a folder.
  SyncOutcome import_downlink_file(const std::string& path);

  // The kiosk's anonymous visit statistics (visit_stats.h), all days, signed by the device for
  // headquarters' report (README "Visit statistics"). An empty Bytes when there are none yet;
  // nullopt with *why when the kiosk is not enrolled or the store cannot be read. Send now posts
  // it after the bundles and Export to USB writes it as stats-<device>.rks: neither fails the
  // records' delivery when the statistics cannot go.
  std::optional<Bytes> stats_file(std::string* why) const;

  // File names: bundles "roadshow-<device>-<incarnation8>-<first>-<last>.rkb", receipts
  // "receipt-<device>.rkr".
  static std::string bundle_file_name(const BundleHeader& h);
  static std::string receipt_file_name(const std::string& device_id);

  // Backups (kiosk_backup.cpp, rules B1-B6 there): the store copied with SQLite's online backup
  // API, checked, encrypted to headquarters and signed (enrolled), written durably into
  // `dest_dir`, read back and verified; `data_dir` holds the plaintext snapshot meanwhile and
  // last-backup.txt after. Unenrolled kiosks write an unencrypted copy only when
  // `allow_unencrypted` (the option says so: --backup-unencrypted). files[0] is the backup.
  SyncOutcome write_backup(const std::string& data_dir, const std::string& dest_dir, bool allow_unencrypted);

 private:
  struct Identity {
    core::SyncIdentity row;
    Uuid device{};
    Key32 hq_sign_pk{}, hq_box_pk{}, device_pk{}, secret{};
    Key64 device_sk{};
  };
  std::optional<Identity> identity(std::string* why) const;
  void pull_downlink(HttpClient& cli, const Identity& id, SyncOutcome* o);
  void push_stats(HttpClient& cli, SyncOutcome* o);
  void write_stats(const std::string& dir, SyncOutcome* o);
  core::Store& m_store;
};

// Runs one sync job at a time on its own thread with its own Store connection, so the UI never
// waits for the network, the disk or the crypto. Poll snapshot() each frame.
class SyncWorker {
 public:
  enum class Job { none, refresh, send, export_usb, import_receipt, backup_usb };
  struct Snapshot {
    Job job = Job::none;           // running or last finished
    bool running = false;
    double progress = 0;           // 0..1 of the running job
    std::optional<SyncOutcome> outcome;       // of the last finished send/export/import
    std::optional<SyncStatus> status;         // refreshed after every job
    std::string status_error;                 // when the status could not be read
    std::uint64_t generation = 0;             // changes whenever anything above changes
  };
  // `store_path`: the kiosk's store (a second connection is opened on the worker thread).
  // `hq_url`: the config's URL; empty means the enrollment file's.
  // After every job the worker also redacts the people headquarters has held for longer than
  // `retention_days` (kiosk/core/privacy.h), on its own connection.
  SyncWorker(std::string store_path, std::string hq_url, int retention_days = 30);
  ~SyncWorker();  // waits for the running job (bounded by its network timeout)
  SyncWorker(const SyncWorker&) = delete;
  SyncWorker& operator=(const SyncWorker&) = delete;

  // Starts a job; false when one is already running. `arg`: the folder (export, backup) or the
  // receipt file or folder (import). A backup from the screen is always encrypted: an unenrolled
  // kiosk gets not_enrolled (the plain copy is a technician's explicit command-line choice).
  bool start(Job job, std::string arg = {});
  Snapshot snapshot() const;

 private:
  void run(Job job, const std::string& arg);  // on the worker thread
  std::string m_store_path, m_url;
  int m_retention_days;
  std::unique_ptr<core::Store> m_store;  // the worker thread's connection, opened on first use
  JobThread<Job, Snapshot> m_jobs;       // last: its thread stops before the members above go
};

}  // namespace kiosk::sync
