// sync/pack_worker.cpp — the kiosk side of content pack installs (W1-W4 in pack_worker.h).
#include "pack_worker.h"

#include "import_files.h"
#include "sync_identity.h"

#include <algorithm>

namespace kiosk::sync {

std::optional<PackTrust> pack_trust(core::Store& store, PackOutcome* refusal) {
  const auto loaded = core::SyncIdentityStore(store).load();
  if (!loaded.ok()) {
    *refusal = {PackCode::io, "store: " + loaded.detail};
    return std::nullopt;
  }
  if (!loaded.value || loaded.value->hq_sign_pk.size() != 32) {
    *refusal = {PackCode::not_enrolled,
                "this kiosk is not enrolled, so it has no headquarters key to check a pack with: "
                "load an enrollment file with `kiosk --enroll FILE` first"};
    return std::nullopt;
  }
  PackTrust t;
  std::copy(loaded.value->hq_sign_pk.begin(), loaded.value->hq_sign_pk.end(), t.hq_sign_public.begin());
  t.tour = loaded.value->tour;
  return t;
}

PackStore::Expect pack_expectation(const PackStore& packs, const PackTrust& trust) {
  PackStore::Expect e;
  std::string why;
  if (const auto current = packs.current(&why)) e.pack_id = current->description.pack_id;
  e.tour = trust.tour;
  return e;
}

PackWorker::PackWorker(std::string store_path, std::string packs_dir, std::vector<std::string> roots)
    : m_store_path(std::move(store_path)), m_packs_dir(std::move(packs_dir)), m_roots(std::move(roots)) {
  m_thread = std::thread([this] { run(); });
}

PackWorker::~PackWorker() {
  {
    std::lock_guard<std::mutex> lock(m_mu);
    m_quit = true;
  }
  m_cv.notify_all();
  m_thread.join();
}

bool PackWorker::start(Job job, std::string arg) {
  std::lock_guard<std::mutex> lock(m_mu);
  if (m_snap.running || m_pending != Job::none) return false;
  m_pending = job;
  m_arg = std::move(arg);
  m_snap.job = job;
  m_snap.running = true;
  m_snap.progress = 0;
  ++m_snap.generation;
  m_cv.notify_all();
  return true;
}

PackWorker::Snapshot PackWorker::snapshot() const {
  std::lock_guard<std::mutex> lock(m_mu);
  return m_snap;
}

void PackWorker::run() {
  init_crypto();
  PackStore packs(m_packs_dir);
  StagedPack staged;  // W3: kept between a check and its install
  for (;;) {
    Job job;
    std::string arg;
    {
      std::unique_lock<std::mutex> lock(m_mu);
      m_cv.wait(lock, [&] { return m_quit || m_pending != Job::none; });
      if (m_quit) break;
      job = m_pending;
      arg = m_arg;
      m_pending = Job::none;
    }
    do_job(job, arg, packs, &staged);
  }
  packs.discard(&staged);
}

void PackWorker::do_job(Job job, const std::string& arg, PackStore& packs, StagedPack* staged) {
  if (job != Job::install) packs.discard(staged);
  std::optional<PackOutcome> outcome;
  std::optional<PackOffer> checked;
  std::vector<PackOffer> offers;
  int errors = 0, warnings = 0;
  std::string why;
  auto current = packs.current(&why);
  std::optional<PackTrust> trust;
  {
    PackOutcome refusal;
    std::string error;
    auto store = core::Store::open(m_store_path, &error);
    if (store) trust = pack_trust(*store, &refusal);
    else refusal = {PackCode::io, error};
    if (!trust && job != Job::rollback && job != Job::scan) outcome = refusal;
    if (!trust && job == Job::scan) outcome = refusal;  // shown above the list: why nothing can be installed
  }
  if (job == Job::scan) {
    for (const core::ImportFile& f : core::find_import_files(m_roots, "", ".rkp")) {
      PackOffer o;
      o.path = f.path;
      o.name = f.name;
      if (trust) {
        PackFileReader reader;
        if (reader.open(f.path, trust->hq_sign_public, &why)) {
          o.manifest = reader.manifest();
          o.diff = diff_packs(current ? &current->description : nullptr, o.manifest);
        } else {
          o.readable = {PackCode::damaged, why};
          using R = PackFileReader::Refusal;
          if (reader.refusal() == R::bad_signature) o.readable.code = PackCode::bad_signature;
          if (reader.refusal() == R::newer_format) o.readable.code = PackCode::newer_format;
          if (reader.refusal() == R::not_a_pack) o.readable.code = PackCode::not_a_pack;
        }
      } else {
        o.readable = {PackCode::not_enrolled, "not enrolled"};
      }
      offers.push_back(std::move(o));
    }
  } else if (job == Job::check && trust) {
    auto progress = [this](double f) {
      std::lock_guard<std::mutex> lock(m_mu);
      m_snap.progress = f;
      ++m_snap.generation;
    };
    const PackOutcome o = packs.stage_file(arg, trust->hq_sign_public, pack_expectation(packs, *trust), progress, staged);
    outcome = o;
    if (o.ok()) {
      PackOffer offer;
      offer.path = arg;
      offer.name = staged->source;
      offer.manifest = staged->description;
      offer.diff = diff_packs(current ? &current->description : nullptr, offer.manifest);
      checked = offer;
      errors = staged->checker_errors;
      warnings = staged->checker_warnings;
    }
  } else if (job == Job::install) {
    if (staged->dir.empty()) outcome = PackOutcome{PackCode::io, "check the pack file first"};  // the screen's order
    else outcome = packs.commit(staged);
    if (outcome->ok()) ++m_switches;
  } else if (job == Job::rollback) {
    outcome = packs.rollback();
    if (outcome->ok()) ++m_switches;
  }
  current = packs.current(&why);
  auto previous = packs.previous(&why);
  std::lock_guard<std::mutex> lock(m_mu);
  m_snap.running = false;
  m_snap.progress = 1;
  if (job == Job::scan) m_snap.offers = std::move(offers);
  m_snap.current = current;
  m_snap.previous = previous;
  m_snap.checked = checked;
  m_snap.checker_errors = errors;
  m_snap.checker_warnings = warnings;
  m_snap.outcome = outcome;
  ++m_snap.generation;
}

}  // namespace kiosk::sync
