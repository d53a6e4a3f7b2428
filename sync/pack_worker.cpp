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
    : m_store_path(std::move(store_path)), m_roots(std::move(roots)), m_packs(std::move(packs_dir)) {
  init_crypto();
  m_jobs.run([this](Job job, const std::string& arg) { run(job, arg); });
}

PackWorker::~PackWorker() {
  m_jobs.stop();
  m_packs.discard(&m_staged);  // W3: a checked pack nobody installed
}

bool PackWorker::start(Job job, std::string arg) { return m_jobs.start(job, std::move(arg)); }

PackWorker::Snapshot PackWorker::snapshot() const { return m_jobs.snapshot(); }

void PackWorker::run(Job job, const std::string& arg) {
  PackStore& packs = m_packs;
  StagedPack* staged = &m_staged;
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
  }
  if (job == Job::install) {
    if (staged->dir.empty()) outcome = PackOutcome{PackCode::io, "check the pack file first"};  // the screen's order
    else outcome = packs.commit(staged);
    if (outcome->ok()) ++m_switches;
  } else if (job == Job::rollback) {
    outcome = packs.rollback();
    if (outcome->ok()) ++m_switches;
  }
  if (job == Job::install || job == Job::rollback) current = packs.current(&why);
  if (job != Job::check) {  // what each file on the sticks would change over what now runs
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
    auto progress = [this](double f) { m_jobs.progress(f); };
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
  }
  current = packs.current(&why);
  auto previous = packs.previous(&why);
  m_jobs.finish([&](Snapshot& snap) {
    if (job != Job::check) snap.offers = std::move(offers);
    snap.current = current;
    snap.previous = previous;
    snap.checked = checked;
    snap.checker_errors = errors;
    snap.checker_warnings = warnings;
    snap.outcome = outcome;
  });
}

}  // namespace kiosk::sync
