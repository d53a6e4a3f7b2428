// sync/kiosk_sync.cpp — see kiosk_sync.h (K1-K4) and sync/README.md.
//
// [SECTIONS]
//   OUTCOMES    SyncCode names
//   IDENTITY    the enrollment row, decoded
//   ENROLL      KioskSync::enroll
//   BUNDLES     pending_bundles, export_bundles
//   SEND        send_now over HTTP (cpp-httplib)
//   RECEIPT     apply_receipt, import_receipt_file
//   DOWNLINK    apply_downlink, import_downlink_file
//   STATS       stats_file, push_stats (Send now), write_stats (Export to USB)
//   WORKER      SyncWorker
#include "kiosk_sync.h"

#include "change_log.h"
#include "downlink.h"
#include "privacy.h"
#include "sql.h"
#include "sync_identity.h"

#include "http_client.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace kiosk::sync {

// [OUTCOMES]
const char* sync_code_key(SyncCode code) {
  switch (code) {
    case SyncCode::ok: return "sync.outcome.ok";
    case SyncCode::nothing_to_send: return "sync.outcome.nothing_to_send";
    case SyncCode::not_enrolled: return "sync.outcome.not_enrolled";
    case SyncCode::no_url: return "sync.outcome.no_url";
    case SyncCode::store_error: return "sync.outcome.store_error";
    case SyncCode::network: return "sync.outcome.network";
    case SyncCode::refused: return "sync.outcome.refused";
    case SyncCode::bad_receipt: return "sync.outcome.bad_receipt";
    case SyncCode::bad_file: return "sync.outcome.bad_file";
    case SyncCode::io: return "sync.outcome.io";
  }
  return "sync.outcome.store_error";  // impossible: every enumerator is listed above
}

namespace {

SyncOutcome fail(SyncCode code, std::string detail) {
  SyncOutcome o;
  o.code = code;
  o.detail = std::move(detail);
  return o;
}

// `path` itself, or when it is a folder the files in it ending in `extension`, sorted (a USB
// stick may hold several receipts or packages).
std::vector<std::string> files_in(const std::string& path, const char* extension) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return {path};
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(path, ec))
    if (e.path().extension() == extension) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

template <std::size_t N>
bool to_array(const std::vector<std::uint8_t>& v, std::array<std::uint8_t, N>* out) {
  if (v.size() != N) return false;
  std::memcpy(out->data(), v.data(), N);
  return true;
}

}  // namespace

// [IDENTITY]
std::optional<KioskSync::Identity> KioskSync::identity(std::string* why) const {
  const auto loaded = core::SyncIdentityStore(m_store).load();
  if (!loaded.ok()) {
    *why = "store: " + loaded.detail;
    return std::nullopt;
  }
  if (!loaded.value) {
    *why = "this kiosk is not enrolled: load an enrollment file with `kiosk --enroll FILE`";
    return std::nullopt;
  }
  Identity id;
  id.row = *loaded.value;
  const auto uuid = parse_uuid(id.row.hq_device_id);
  if (!uuid || !to_array(id.row.hq_sign_pk, &id.hq_sign_pk) ||
      !to_array(id.row.hq_box_pk, &id.hq_box_pk) || !to_array(id.row.device_sign_pk, &id.device_pk) ||
      !to_array(id.row.device_sign_sk, &id.device_sk) ||
      !to_array(id.row.enroll_secret, &id.secret)) {
    *why = "store: the enrollment row is damaged";
    return std::nullopt;
  }
  id.device = *uuid;
  return id;
}

core::ReadResult<SyncStatus> KioskSync::status() const {
  using R = core::ReadResult<SyncStatus>;
  SyncStatus s;
  const auto loaded = core::SyncIdentityStore(m_store).load();
  if (!loaded.ok()) return R::failure(loaded.error, loaded.detail);
  if (loaded.value) {
    s.enrolled = true;
    s.hq_device_id = loaded.value->hq_device_id;
    s.device_name = loaded.value->device_name;
    s.tour = loaded.value->tour;
    s.hq_url = loaded.value->hq_url;
    s.last_receipt_at = loaded.value->last_receipt_at;
    s.last_sent_at = loaded.value->last_sent_at;
  }
  core::ChangeLog log(m_store);
  const auto last = log.last_seq();
  const auto acked = log.acked_seq();
  const auto people = core::SyncIdentityStore(m_store).people_pending();
  if (!last.ok()) return R::failure(last.error, last.detail);
  if (!acked.ok()) return R::failure(acked.error, acked.detail);
  if (!people.ok()) return R::failure(people.error, people.detail);
  s.last_seq = last.value;
  s.acked_seq = acked.value;
  s.people_pending = people.value;
  return R::success(std::move(s));
}

// [ENROLL]
SyncOutcome KioskSync::enroll(const Enrollment& e) {
  if (!init_crypto()) return fail(SyncCode::store_error, "libsodium cannot initialise");
  const auto loaded = core::SyncIdentityStore(m_store).load();
  if (!loaded.ok()) return fail(SyncCode::store_error, "store: " + loaded.detail);
  const std::string device = uuid_text(e.device);
  if (loaded.value) {
    if (loaded.value->hq_device_id == device) {
      SyncOutcome o;
      o.detail = "already enrolled as '" + loaded.value->device_name + "' (" + device + ")";
      return o;
    }
    return fail(SyncCode::bad_file, "this kiosk is already enrolled as '" +
                                        loaded.value->device_name + "' (" +
                                        loaded.value->hq_device_id +
                                        "); an enrollment file for another device is refused");
  }
  const SigningKeys keys = SigningKeys::generate();
  core::SyncIdentity row;
  row.hq_device_id = device;
  row.device_name = e.device_name;
  row.tour = e.tour;
  row.hq_url = e.hq_url;
  row.hq_sign_pk.assign(e.hq_sign_public.begin(), e.hq_sign_public.end());
  row.hq_box_pk.assign(e.hq_box_public.begin(), e.hq_box_public.end());
  row.device_sign_pk.assign(keys.public_key.begin(), keys.public_key.end());
  row.device_sign_sk.assign(keys.secret_key.begin(), keys.secret_key.end());
  row.enroll_secret.assign(e.secret.begin(), e.secret.end());
  const auto r = core::SyncIdentityStore(m_store).enroll(row);
  if (!r.ok()) return fail(SyncCode::store_error, "store: " + r.detail);
  SyncOutcome o;
  o.detail = "enrolled as '" + e.device_name + "' (" + device + ") for tour '" + e.tour + "'";
  return o;
}

SyncOutcome KioskSync::enroll_file(const std::string& path) {
  std::string why;
  const auto bytes = read_file(path, 8192, &why);
  if (!bytes) return fail(SyncCode::bad_file, why);
  const auto e = parse_enrollment(
      std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()), &why);
  if (!e) return fail(SyncCode::bad_file, path + ": " + why);
  return enroll(*e);
}

// [BUNDLES]
core::ReadResult<std::pair<std::int64_t, std::int64_t>> KioskSync::pending_range() const {
  using R = core::ReadResult<std::pair<std::int64_t, std::int64_t>>;
  core::ChangeLog log(m_store);
  const auto acked = log.acked_seq();
  const auto last = log.last_seq();
  if (!acked.ok()) return R::failure(acked.error, acked.detail);
  if (!last.ok()) return R::failure(last.error, last.detail);
  return R::success({acked.value + 1, last.value});
}

core::ReadResult<std::optional<Bytes>> KioskSync::bundle_from(std::int64_t seq) const {
  using R = core::ReadResult<std::optional<Bytes>>;
  std::string why;
  const auto id = identity(&why);
  if (!id) return R::failure(core::StoreError::not_found, why);
  core::ChangeLog log(m_store);
  const auto last = log.last_seq();
  const auto incs = log.incarnations();
  if (!last.ok()) return R::failure(last.error, last.detail);
  if (!incs.ok()) return R::failure(incs.error, incs.detail);
  if (seq < 1 || seq > last.value) return R::success(std::nullopt);
  // The incarnation owning `seq` and where it ends (C2: a bundle never spans two).
  std::size_t k = 0;
  while (k + 1 < incs.value.size() && incs.value[k + 1].base_seq <= seq) ++k;
  std::int64_t end = last.value;
  if (k + 1 < incs.value.size()) end = std::min(end, incs.value[k + 1].base_seq - 1);
  end = std::min(end, seq + kEntriesPerBundle - 1);
  const auto entries = log.range(seq, end);
  if (!entries.ok()) return R::failure(entries.error, entries.detail);
  const auto inc = parse_uuid(incs.value[k].id);
  if (!inc) return R::failure(core::StoreError::io, "store: incarnation id is not a UUID");
  BundleHeader h;
  h.device = id->device;
  h.incarnation = *inc;
  h.incarnation_base = incs.value[k].base_seq;
  h.first_seq = seq;
  h.last_seq = end;
  h.created_ms = m_store.now_ms();
  h.device_public_key = id->device_pk;
  return R::success(seal_bundle(h, core::entries_json(entries.value), id->device_sk, id->secret,
                                id->hq_box_pk));
}

core::ReadResult<std::vector<Bytes>> KioskSync::pending_bundles(const Progress& progress) const {
  using R = core::ReadResult<std::vector<Bytes>>;
  const auto range = pending_range();
  if (!range.ok()) return R::failure(range.error, range.detail);
  std::vector<Bytes> out;
  std::int64_t seq = range.value.first;
  for (;;) {
    auto b = bundle_from(seq);
    if (!b.ok()) return R::failure(b.error, b.detail);
    if (!b.value) break;
    std::string why;
    seq = parse_bundle_header(*b.value, &why)->last_seq + 1;
    out.push_back(std::move(*b.value));
    if (progress && range.value.second >= range.value.first)
      progress(static_cast<double>(seq - range.value.first) /
               static_cast<double>(range.value.second - range.value.first + 1));
  }
  if (out.empty()) {
    // Not enrolled must still be an error, not "nothing pending".
    auto b = bundle_from(range.value.first);
    if (!b.ok()) return R::failure(b.error, b.detail);
  }
  return R::success(std::move(out));
}

std::string KioskSync::bundle_file_name(const BundleHeader& h) {
  return "roadshow-" + uuid_text(h.device) + "-" + uuid_text(h.incarnation).substr(0, 8) + "-" +
         std::to_string(h.first_seq) + "-" + std::to_string(h.last_seq) + ".rkb";
}

std::string KioskSync::receipt_file_name(const std::string& device_id) {
  return "receipt-" + device_id + ".rkr";
}

SyncOutcome KioskSync::export_bundles(const std::string& dir, const Progress& progress) {
  std::string why;
  const auto id = identity(&why);
  if (!id) return fail(SyncCode::not_enrolled, why);
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return fail(SyncCode::io, dir + ": not a folder (is the USB stick still plugged in?)");
  const auto range = pending_range();
  if (!range.ok()) return fail(SyncCode::store_error, "store: " + range.detail);
  const auto [first, last] = range.value;
  SyncOutcome o;
  o.acked_before = o.acked_after = first - 1;
  write_stats(dir, &o);  // the statistics go on the stick even when no record is pending
  if (first > last) {
    o.code = SyncCode::nothing_to_send;
    return o;
  }
  for (std::int64_t seq = first; seq <= last;) {
    const auto b = bundle_from(seq);
    if (!b.ok()) return fail(SyncCode::store_error, "store: " + b.detail);
    if (!b.value) break;
    std::string reason;
    const auto h = parse_bundle_header(*b.value, &reason);
    if (!h) return fail(SyncCode::io, "internal: a bundle just made does not parse: " + reason);
    const std::string path = (std::filesystem::path(dir) / bundle_file_name(*h)).string();
    if (!write_file_durably(path, b.value->data(), b.value->size(), 0644, &reason))
      return fail(SyncCode::io, reason);
    // K4: read it back from the stick and check it is the same, signed bundle.
    const auto back = read_file(path, kBundleMaxBytes, &reason);
    if (!back || *back != *b.value || !bundle_signature_ok(*back, id->device_pk)) {
      std::filesystem::remove(path, ec);
      return fail(SyncCode::io, path + ": the file read back differs from what was written" +
                                    (back ? std::string() : " (" + reason + ")"));
    }
    o.files.push_back(path);
    ++o.bundles;
    o.entries += h->last_seq - h->first_seq + 1;
    seq = h->last_seq + 1;
    if (progress)
      progress(static_cast<double>(seq - first) / static_cast<double>(last - first + 1));
  }
  return o;
}

// [STATS]
std::optional<Bytes> KioskSync::stats_file(std::string* why) const {
  const auto id = identity(why);
  if (!id) return std::nullopt;
  core::sql::Statement st(m_store.handle(),
                          "SELECT count(*), coalesce(json_group_array(json_object('day', day, 'exhibit',"
                          " exhibit_id, 'lang', lang, 'opened', opened, 'dwell_s', dwell_s, 'quiz_right',"
                          " quiz_right, 'quiz_wrong', quiz_wrong)), '[]')"
                          " FROM (SELECT * FROM visit_stats ORDER BY day, exhibit_id, lang)");
  if (st.step() != SQLITE_ROW) {
    *why = "store: " + st.error();
    return std::nullopt;
  }
  if (st.int64(0) == 0) return Bytes{};
  Stats s;
  s.device = id->device;
  s.created_ms = m_store.now_ms();
  s.payload = st.text(1);
  return sign_stats(s, id->device_sk);
}

void KioskSync::push_stats(HttpClient& cli, SyncOutcome* o) {
  std::string why;
  const auto stats = stats_file(&why);
  if (!stats || stats->empty()) return;
  const HttpReply res = cli.post("/api/v1/stats", stats->data(), stats->size(), "application/octet-stream");
  // The records are delivered whatever happens here; the statistics go again next time.
  if (!res.ok || res.status != 200)
    o->detail += (o->detail.empty() ? "" : "; ") + std::string("visit statistics not sent (") +
                 (res.ok ? "headquarters answered " + std::to_string(res.status) : res.error) +
                 "), sent again next time";
}

void KioskSync::write_stats(const std::string& dir, SyncOutcome* o) {
  std::string why;
  const auto stats = stats_file(&why);
  if (!stats || stats->empty()) return;
  const auto id = identity(&why);
  const std::string path = (std::filesystem::path(dir) / ("stats-" + id->row.hq_device_id + ".rks")).string();
  if (!write_file_durably(path, stats->data(), stats->size(), 0644, &why))
    o->detail += (o->detail.empty() ? "" : "; ") + ("visit statistics not written: " + why);
}

// [SEND]
// After sending: headquarters' newest package for this kiosk, if any and newer. Its outcome is
// added to the send's detail; a refused package never turns a successful send into a failure.
void KioskSync::pull_downlink(HttpClient& cli, const Identity& id, SyncOutcome* o) {
  const HttpReply res = cli.get("/api/v1/downlink?device=" + id.row.hq_device_id);
  if (!res.ok || res.status != 200) return;
  const auto applied = apply_downlink(Bytes(res.body.begin(), res.body.end()));
  if (applied.ok()) {
    o->detail += (o->detail.empty() ? "" : "; ") + applied.detail;
    o->package_applied = true;
    o->package_organizations = applied.package_organizations;
    o->package_events = applied.package_events;
    o->package_staff = applied.package_staff;
  }
  else if (applied.detail.find("not newer") == std::string::npos)
    o->detail += (o->detail.empty() ? "" : "; ") + ("package refused: " + applied.detail);
}

SyncOutcome KioskSync::send_now(const std::string& url_in, const Progress& progress,
                                int timeout_s) {
  std::string why;
  const auto id = identity(&why);
  if (!id) return fail(SyncCode::not_enrolled, why);
  const std::string url = url_in.empty() ? id->row.hq_url : url_in;
  if (url.empty())
    return fail(SyncCode::no_url, "no headquarters URL: set [sync] url in the config");
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    return fail(SyncCode::no_url, "headquarters URL '" + url + "' must start with http://");
  const auto range = pending_range();
  if (!range.ok()) return fail(SyncCode::store_error, "store: " + range.detail);
  const auto [first, last] = range.value;
  SyncOutcome total;
  total.acked_before = total.acked_after = first - 1;
  const std::unique_ptr<HttpClient> client = open_http_client(url, timeout_s, &why);
  // http_client.h H4: nothing was sent; staff see "could not reach headquarters" (USB still works)
  if (!client) return fail(SyncCode::network, why);
  HttpClient& cli = *client;
  if (first > last) {
    // Nothing new: still ask for the receipt, so a mark lost with a cut connection comes back.
    const HttpReply res = cli.get("/api/v1/receipt?device=" + id->row.hq_device_id);
    // Not reached: said as such, never as "everything is confirmed" (a technician checking the
    // connection with --sync-now must not read success). Nothing here is lost either way.
    if (!res.ok)
      return fail(SyncCode::network, url + ": " + res.error +
                                         " (nothing to send: every record is confirmed already; headquarters"
                                         " was not reached for its newest receipt and package)");
    if (res.status == 200) {
      const auto applied = apply_receipt(Bytes(res.body.begin(), res.body.end()));
      if (!applied.ok()) return applied;
      total.acked_after = applied.acked_after;
    }
    total.code = SyncCode::nothing_to_send;
    push_stats(cli, &total);
    pull_downlink(cli, *id, &total);
    return total;
  }
  for (std::int64_t seq = first; seq <= last;) {
    const auto b = bundle_from(seq);
    if (!b.ok()) return fail(SyncCode::store_error, "store: " + b.detail);
    if (!b.value) break;
    std::string reason;
    const auto h = parse_bundle_header(*b.value, &reason);
    if (!h) return fail(SyncCode::io, "internal: a bundle just made does not parse: " + reason);
    const HttpReply res = cli.post("/api/v1/bundles", b.value->data(), b.value->size(), "application/octet-stream");
    if (!res.ok) {
      total.code = SyncCode::network;
      total.detail = url + ": " + res.error + " (nothing more was acknowledged; send again later)";
      return total;
    }
    if (res.status != 200) {
      total.code = res.status >= 500 ? SyncCode::network : SyncCode::refused;
      total.detail = "headquarters answered " + std::to_string(res.status) + ": " + res.body;
      return total;
    }
    const auto applied = apply_receipt(Bytes(res.body.begin(), res.body.end()));
    if (!applied.ok()) return applied;
    total.acked_after = applied.acked_after;
    ++total.bundles;
    total.entries += h->last_seq - h->first_seq + 1;
    seq = h->last_seq + 1;
    if (progress)
      progress(static_cast<double>(seq - first) / static_cast<double>(last - first + 1));
  }
  core::SyncIdentityStore(m_store).mark_sent();
  push_stats(cli, &total);
  pull_downlink(cli, *id, &total);
  return total;
}

// [RECEIPT]
SyncOutcome KioskSync::apply_receipt(const Bytes& bytes) {
  std::string why;
  const auto id = identity(&why);
  if (!id) return fail(SyncCode::not_enrolled, why);
  const auto r = parse_receipt(bytes, id->hq_sign_pk, &why);
  if (!r) return fail(SyncCode::bad_receipt, why);
  if (r->device != id->device)
    return fail(SyncCode::bad_receipt, "the receipt is for device " + uuid_text(r->device) +
                                           ", this kiosk is " + id->row.hq_device_id);
  core::ChangeLog log(m_store);
  const auto last = log.last_seq();
  const auto acked = log.acked_seq();
  const auto incs = log.incarnations();
  if (!last.ok() || !acked.ok() || !incs.ok())
    return fail(SyncCode::store_error, "store: cannot read the change log");
  // K2: walk the incarnations in order; each is covered up to min(its end, hq's mark for it).
  std::int64_t mark = 0;
  for (std::size_t k = 0; k < incs.value.size(); ++k) {
    const auto& inc = incs.value[k];
    const std::int64_t end = k + 1 < incs.value.size() ? incs.value[k + 1].base_seq - 1 : last.value;
    if (end < inc.base_seq) continue;  // owns no seq
    std::int64_t held = inc.base_seq - 1;
    const auto uuid = parse_uuid(inc.id);
    for (const auto& m : r->marks)
      if (uuid && m.incarnation == *uuid && m.base_seq == inc.base_seq) held = m.high_water;
    // Seqs at or below the current mark need no new proof (they were confirmed before and may
    // be purged from this incarnation at headquarters' side as well).
    held = std::max(held, std::min(acked.value, end));
    mark = std::min(held, end);
    if (mark < end) break;
  }
  mark = std::min(mark, last.value);
  SyncOutcome o;
  o.acked_before = acked.value;
  o.acked_after = acked.value;
  if (mark > acked.value) {
    const auto a = log.acknowledge(mark);
    if (!a.ok()) return fail(SyncCode::store_error, "store: " + a.detail);
    o.acked_after = mark;
  }
  core::SyncIdentityStore(m_store).mark_receipt();
  return o;
}

SyncOutcome KioskSync::import_receipt_file(const std::string& path) {
  const std::vector<std::string> files = files_in(path, ".rkr");
  if (files.empty()) return fail(SyncCode::bad_receipt, path + ": no receipt (*.rkr) in this folder");
  SyncOutcome total;
  bool any = false;
  std::string last_error;
  for (const auto& f : files) {
    std::string why;
    const auto bytes = read_file(f, 1 << 20, &why);
    if (!bytes) {
      last_error = why;
      continue;
    }
    auto o = apply_receipt(*bytes);
    if (!o.ok()) {
      last_error = f + ": " + o.detail;
      if (files.size() == 1) {
        o.detail = last_error;
        return o;
      }
      continue;  // a folder may hold other kiosks' receipts
    }
    if (!any) total.acked_before = o.acked_before;
    total.acked_after = o.acked_after;
    any = true;
  }
  if (!any) return fail(SyncCode::bad_receipt, last_error);
  return total;
}

// [DOWNLINK]
SyncOutcome KioskSync::apply_downlink(const Bytes& package) {
  std::string why;
  const auto id = identity(&why);
  if (!id) return fail(SyncCode::not_enrolled, why);
  const auto d = parse_downlink(package, id->hq_sign_pk, &why);
  if (!d) return fail(SyncCode::bad_file, why);
  if (d->tour != id->row.tour)
    return fail(SyncCode::bad_file, "the package is for tour '" + d->tour + "', this kiosk is on tour '" +
                                        id->row.tour + "'");
  if (d->device && *d->device != id->device)
    return fail(SyncCode::bad_file, "the package is for another kiosk (" + uuid_text(*d->device) + ")");
  // The staff accounts sealed to this kiosk (README "Staff accounts"); none when headquarters
  // built the package before it heard from this kiosk.
  std::string staff;
  {
    core::sql::Statement st(m_store.handle(),
                            "SELECT coalesce(json_type(?1, '$.staff'), 'object'),"
                            " (SELECT value FROM json_each(?1, '$.staff') WHERE key = ?2)"
                            " FROM (SELECT 1) WHERE json_valid(?1)");
    st.bind(1, d->payload).bind(2, id->row.hq_device_id);
    if (st.step() != SQLITE_ROW || st.text(0) != "object")
      return fail(SyncCode::bad_file, "the package's content is not the expected JSON object");
    if (const auto sealed = st.optional_text(1)) {
      const auto opened = open_for_device(*sealed, id->device_pk, id->device_sk, 4u << 20, &why);
      if (!opened) return fail(SyncCode::bad_file, "staff accounts: " + why);
      staff = *opened;
    }
  }
  core::DownlinkApplied n;
  const auto r = core::DownlinkStore(m_store).apply(d->version, d->tour, d->payload, staff, &n);
  if (!r.ok())
    return fail(r.error == core::StoreError::invalid ? SyncCode::bad_file : SyncCode::store_error,
                r.detail);
  SyncOutcome o;
  o.package_applied = true;
  o.package_organizations = n.organizations;
  o.package_events = n.events;
  o.package_staff = n.staff;
  o.detail = "applied headquarters' package " + std::to_string(d->version) + ": " +
             std::to_string(n.organizations) + " organizations (" + std::to_string(n.mapped) +
             " of this kiosk's mapped onto them), " + std::to_string(n.events) + " events, " +
             std::to_string(n.settings) + " settings, " +
             (staff.empty() ? std::string("no staff accounts for this kiosk yet")
                            : std::to_string(n.staff) + " staff accounts");
  return o;
}

SyncOutcome KioskSync::import_downlink_file(const std::string& path) {
  const std::vector<std::string> files = files_in(path, ".rkd");
  if (files.empty()) return fail(SyncCode::bad_file, path + ": no package (*.rkd) in this folder");
  // Several packages (other tours, older ones) may share a stick: apply each that fits, in order.
  SyncOutcome last = fail(SyncCode::bad_file, path + ": nothing applied");
  bool any = false;
  for (const auto& f : files) {
    std::string why;
    const auto bytes = read_file(f, kBundleMaxBytes, &why);
    auto o = bytes ? apply_downlink(*bytes) : fail(SyncCode::bad_file, why);
    if (o.ok()) {
      any = true;
      last = o;
    } else if (!any) {
      o.detail = f + ": " + o.detail;
      last = o;
    }
  }
  return last;
}

// [WORKER]
SyncWorker::SyncWorker(std::string store_path, std::string hq_url, int retention_days)
    : m_store_path(std::move(store_path)), m_url(std::move(hq_url)),
      m_retention_days(retention_days) {
  m_jobs.run([this](Job job, const std::string& arg) { run(job, arg); });
}

SyncWorker::~SyncWorker() { m_jobs.stop(); }

bool SyncWorker::start(Job job, std::string arg) { return m_jobs.start(job, std::move(arg)); }

SyncWorker::Snapshot SyncWorker::snapshot() const { return m_jobs.snapshot(); }

void SyncWorker::run(Job job, const std::string& arg) {
  std::optional<SyncOutcome> outcome;
  std::string error;
  if (!m_store) m_store = core::Store::open(m_store_path, &error);
  if (!m_store) {
    outcome = fail(SyncCode::store_error, error);
  } else {
    KioskSync sync(*m_store);
    auto progress = [this](double f) { m_jobs.progress(f); };
    switch (job) {
      case Job::send: outcome = sync.send_now(m_url, progress); break;
      case Job::export_usb: outcome = sync.export_bundles(arg, progress); break;
      case Job::backup_usb:
        outcome = sync.write_backup(std::filesystem::path(m_store_path).parent_path().string(), arg, false);
        break;
      case Job::import_receipt:  // a receipt, or headquarters' package (the Sync screen lists both)
        outcome = std::filesystem::path(arg).extension() == ".rkd" ? sync.import_downlink_file(arg)
                                                                   : sync.import_receipt_file(arg);
        break;
      case Job::refresh:
      case Job::none: break;
    }
  }
  std::optional<SyncStatus> status;
  std::string status_error = error;
  if (m_store) {
    // A failed redaction is retried after the next job; it never hides the job's outcome.
    core::Privacy(*m_store).redact_acknowledged(m_retention_days);
    const auto s = KioskSync(*m_store).status();
    if (s.ok()) status = s.value;
    else status_error = s.detail;
  }
  m_jobs.finish([&](Snapshot& snap) {
    if (outcome) snap.outcome = outcome;
    snap.status = status;
    snap.status_error = status_error;
  });
}

}  // namespace kiosk::sync
