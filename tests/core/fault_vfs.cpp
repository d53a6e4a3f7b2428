// tests/core/fault_vfs.cpp — the fault-injecting VFS of fault_vfs.h (read its design note first).
//
// [SECTIONS] state · file methods · VFS methods · FaultVfs
//
// A FaultFile is what SQLite allocates for each open file (szOsFile bytes): our header first,
// the wrapped VFS's own file object after it. Methods of io version 2 are offered (no xFetch):
// SQLite then never memory-maps the database, so every read and write passes through here.
#include "fault_vfs.h"

#include <sqlite3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <vector>

namespace core_test {

const char* file_kind_name(FileKind k) {
  switch (k) {
    case FileKind::db: return "db";
    case FileKind::wal: return "wal";
    case FileKind::journal: return "journal";
    case FileKind::other: return "other";
  }
  return "?";  // impossible: every enumerator is listed above
}

const char* io_op_name(IoOp op) {
  switch (op) {
    case IoOp::write: return "write";
    case IoOp::sync: return "sync";
    case IoOp::truncate: return "truncate";
  }
  return "?";  // impossible: every enumerator is listed above
}

// [STATE]
namespace {

// A broken precondition of this test tool: say which, and stop (asserts vanish in release builds).
void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fault_vfs: %s\n", what);
  std::abort();
}

constexpr long kSector = 512;

// One unsynced change of a file (design note 3). A truncate has empty `after`, offset = new size.
struct Change {
  bool is_truncate = false;
  std::int64_t offset = 0;
  std::int64_t size_before = 0;
  std::string before;  // the bytes [offset, min(offset + len, size_before)) held before
  std::string after;   // the bytes written
};

}  // namespace

struct FaultVfs::Impl {
  sqlite3_vfs vfs{};        // what SQLite sees; pAppData points back here
  sqlite3_vfs* real = nullptr;
  sqlite3_io_methods methods{};
  std::mutex mu;
  long counts[4][3] = {};
  Fault fault;
  bool armed = false;
  long fault_seen = 0;
  long fault_fired = 0;
  long cut_countdown = -1;  // > 0: ops left before the power goes off; -1: no cut armed
  bool power_off = false;
  bool sync_noop = false;
  long open_files = 0;
  std::map<std::string, std::vector<Change>> unsynced;

  // Under `mu`: counts one op and tells whether it must fail, and with which code (0: go on).
  int before_op(FileKind kind, IoOp op, int power_off_rc) {
    ++counts[static_cast<int>(kind)][static_cast<int>(op)];
    if (kind == FileKind::other) return power_off ? power_off_rc : 0;
    if (!power_off && cut_countdown > 0 && --cut_countdown == 0) power_off = true;
    if (power_off) return power_off_rc;
    if (armed && fault.kind == kind && fault.op == op) {
      ++fault_seen;
      if (fault_seen == fault.nth || (fault.persistent && fault_seen > fault.nth)) {
        ++fault_fired;
        return fault.rc;
      }
    }
    return 0;
  }
};

// [FILE METHODS]
namespace {

struct FaultFile {
  sqlite3_file base;  // first: SQLite sees a FaultFile as a sqlite3_file
  FaultVfs::Impl* owner;
  FileKind kind;
  std::string path;

  static std::size_t header_size() { return (sizeof(FaultFile) + 7) & ~static_cast<std::size_t>(7); }
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(this) + header_size()); }
};

FaultFile* ff(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f); }
sqlite3_file* real_of(sqlite3_file* f) { return ff(f)->real(); }

int x_close(sqlite3_file* f) {
  FaultFile* file = ff(f);
  const int rc = file->real()->pMethods->xClose(file->real());
  {
    std::lock_guard<std::mutex> lock(file->owner->mu);
    --file->owner->open_files;
  }
  file->~FaultFile();
  return rc;
}

int x_read(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
  return real_of(f)->pMethods->xRead(real_of(f), buf, amt, off);
}

// The file's current size through the wrapped file, or -1.
std::int64_t real_size(sqlite3_file* real) {
  sqlite3_int64 size = 0;
  return real->pMethods->xFileSize(real, &size) == SQLITE_OK ? size : -1;
}

// A write or a truncate: counted, failed when a fault or the power cut says so, else performed
// by `apply` and, for a db/WAL/journal file, recorded as an unsynced change (design note 3). `c`
// comes with its offset and bytes after; the size before and the bytes [c.offset, end) it
// replaces, as they are now, are read here.
template <class Apply>
int recorded(sqlite3_file* f, IoOp op, int power_off_rc, Change c, std::int64_t end, Apply apply) {
  FaultFile* file = ff(f);
  FaultVfs::Impl& s = *file->owner;
  std::lock_guard<std::mutex> lock(s.mu);
  if (const int rc = s.before_op(file->kind, op, power_off_rc)) return rc;
  const bool record = file->kind != FileKind::other && !file->path.empty();
  if (record) {
    c.size_before = real_size(file->real());
    if (c.size_before < 0) return SQLITE_IOERR_FSTAT;
    const std::int64_t n = std::min(end, c.size_before) - c.offset;
    if (n > 0) {
      c.before.assign(static_cast<std::size_t>(n), '\0');
      file->real()->pMethods->xRead(file->real(), c.before.data(), static_cast<int>(n), c.offset);
    }
  }
  const int rc = apply(file->real());
  if (rc == SQLITE_OK && record) s.unsynced[file->path].push_back(std::move(c));
  return rc;
}

int x_write(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
  Change c;
  c.offset = off;
  c.after.assign(static_cast<const char*>(buf), static_cast<std::size_t>(amt));
  return recorded(f, IoOp::write, SQLITE_IOERR_WRITE, std::move(c), off + amt,
                  [&](sqlite3_file* real) { return real->pMethods->xWrite(real, buf, amt, off); });
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  Change c;
  c.is_truncate = true;
  c.offset = size;
  return recorded(f, IoOp::truncate, SQLITE_IOERR_TRUNCATE, std::move(c), INT64_MAX,
                  [&](sqlite3_file* real) { return real->pMethods->xTruncate(real, size); });
}

// Design note 6: the real fsync (and its flags) is skipped; only the simulated disk is cut.
int x_sync(sqlite3_file* f, int /*flags*/) {
  FaultFile* file = ff(f);
  FaultVfs::Impl& s = *file->owner;
  std::lock_guard<std::mutex> lock(s.mu);
  if (const int rc = s.before_op(file->kind, IoOp::sync, SQLITE_IOERR_FSYNC)) return rc;
  if (s.sync_noop) return SQLITE_OK;
  s.unsynced.erase(file->path);
  return SQLITE_OK;
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int x_lock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xLock(real_of(f), level); }
int x_unlock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xUnlock(real_of(f), level); }
int x_check_reserved_lock(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device_characteristics(sqlite3_file* f) {
  return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return real_of(f)->pMethods->xShmMap(real_of(f), region, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int delete_flag) {
  return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
}

// [VFS METHODS]
FaultVfs::Impl* impl_of(sqlite3_vfs* v) { return static_cast<FaultVfs::Impl*>(v->pAppData); }

FileKind kind_of(int flags) {
  if (flags & SQLITE_OPEN_MAIN_DB) return FileKind::db;
  if (flags & SQLITE_OPEN_WAL) return FileKind::wal;
  if (flags & SQLITE_OPEN_MAIN_JOURNAL) return FileKind::journal;
  return FileKind::other;
}

int v_open(sqlite3_vfs* v, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  FaultVfs::Impl& s = *impl_of(v);
  auto* file = new (f) FaultFile{{nullptr}, &s, kind_of(flags), name ? name : ""};
  const int rc = s.real->xOpen(s.real, name, file->real(), flags, out_flags);
  if (rc != SQLITE_OK || file->real()->pMethods == nullptr) {
    // SQLite does not call xClose on a file whose pMethods is null.
    if (file->real()->pMethods) file->real()->pMethods->xClose(file->real());
    file->~FaultFile();
    f->pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  f->pMethods = &s.methods;
  std::lock_guard<std::mutex> lock(s.mu);
  ++s.open_files;
  return SQLITE_OK;
}

int v_delete(sqlite3_vfs* v, const char* name, int sync_dir) {
  FaultVfs::Impl& s = *impl_of(v);
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.power_off) return SQLITE_IOERR_DELETE;
  const int rc = s.real->xDelete(s.real, name, sync_dir);
  if (rc == SQLITE_OK) s.unsynced.erase(name);
  return rc;
}

int v_access(sqlite3_vfs* v, const char* name, int flags, int* out) {
  return impl_of(v)->real->xAccess(impl_of(v)->real, name, flags, out);
}
int v_full_pathname(sqlite3_vfs* v, const char* name, int n, char* out) {
  return impl_of(v)->real->xFullPathname(impl_of(v)->real, name, n, out);
}
void* v_dl_open(sqlite3_vfs* v, const char* name) { return impl_of(v)->real->xDlOpen(impl_of(v)->real, name); }
void v_dl_error(sqlite3_vfs* v, int n, char* out) { impl_of(v)->real->xDlError(impl_of(v)->real, n, out); }
void (*v_dl_sym(sqlite3_vfs* v, void* lib, const char* sym))(void) {
  return impl_of(v)->real->xDlSym(impl_of(v)->real, lib, sym);
}
void v_dl_close(sqlite3_vfs* v, void* lib) { impl_of(v)->real->xDlClose(impl_of(v)->real, lib); }
int v_randomness(sqlite3_vfs* v, int n, char* out) { return impl_of(v)->real->xRandomness(impl_of(v)->real, n, out); }
int v_sleep(sqlite3_vfs* v, int us) { return impl_of(v)->real->xSleep(impl_of(v)->real, us); }
int v_current_time(sqlite3_vfs* v, double* out) { return impl_of(v)->real->xCurrentTime(impl_of(v)->real, out); }
int v_get_last_error(sqlite3_vfs* v, int n, char* out) {
  return impl_of(v)->real->xGetLastError(impl_of(v)->real, n, out);
}
int v_current_time_int64(sqlite3_vfs* v, sqlite3_int64* out) {
  return impl_of(v)->real->xCurrentTimeInt64(impl_of(v)->real, out);
}

// Undoes one change on descriptor `fd` (changes are undone newest first); *size is the file's
// size, kept so that a file is only truncated when the change had grown it.
bool undo_change(int fd, const Change& c, std::int64_t* size) {
  if (!c.before.empty()) {
    if (::pwrite(fd, c.before.data(), c.before.size(), c.offset) != static_cast<ssize_t>(c.before.size()))
      return false;
    *size = std::max(*size, c.offset + static_cast<std::int64_t>(c.before.size()));
  }
  if (*size == c.size_before) return true;
  *size = c.size_before;
  return ::ftruncate(fd, c.size_before) == 0;
}

}  // namespace

// [FAULTVFS]
FaultVfs::FaultVfs() : m_impl(std::make_unique<Impl>()) {
  Impl& s = *m_impl;
  s.real = sqlite3_vfs_find(nullptr);
  require(s.real != nullptr, "no default SQLite VFS to wrap");
  require(s.real->iVersion >= 2, "the default VFS lacks xCurrentTimeInt64");
  sqlite3_io_methods& m = s.methods;
  m.iVersion = 2;  // shared memory for WAL, no xFetch: no memory-mapped I/O bypasses xWrite
  m.xClose = x_close;
  m.xRead = x_read;
  m.xWrite = x_write;
  m.xTruncate = x_truncate;
  m.xSync = x_sync;
  m.xFileSize = x_file_size;
  m.xLock = x_lock;
  m.xUnlock = x_unlock;
  m.xCheckReservedLock = x_check_reserved_lock;
  m.xFileControl = x_file_control;
  m.xSectorSize = x_sector_size;
  m.xDeviceCharacteristics = x_device_characteristics;
  m.xShmMap = x_shm_map;
  m.xShmLock = x_shm_lock;
  m.xShmBarrier = x_shm_barrier;
  m.xShmUnmap = x_shm_unmap;
  sqlite3_vfs& v = s.vfs;
  v.iVersion = 2;
  v.szOsFile = static_cast<int>(FaultFile::header_size()) + s.real->szOsFile;
  v.mxPathname = s.real->mxPathname;
  v.zName = "kiosk-fault";
  v.pAppData = &s;
  v.xOpen = v_open;
  v.xDelete = v_delete;
  v.xAccess = v_access;
  v.xFullPathname = v_full_pathname;
  v.xDlOpen = v_dl_open;
  v.xDlError = v_dl_error;
  v.xDlSym = v_dl_sym;
  v.xDlClose = v_dl_close;
  v.xRandomness = v_randomness;
  v.xSleep = v_sleep;
  v.xCurrentTime = v_current_time;
  v.xGetLastError = v_get_last_error;
  v.xCurrentTimeInt64 = v_current_time_int64;
  const int rc = sqlite3_vfs_register(&v, 1);
  if (rc != SQLITE_OK) {
    std::fprintf(stderr, "fault_vfs: sqlite3_vfs_register failed: %s\n", sqlite3_errstr(rc));
    std::abort();  // every test after this would silently run without faults
  }
}

FaultVfs::~FaultVfs() {
  require(m_impl->open_files == 0, "a connection still uses the fault VFS: close every Store first");
  sqlite3_vfs_unregister(&m_impl->vfs);  // the wrapped VFS is the default again
}

long FaultVfs::count(FileKind kind, IoOp op) const {
  std::lock_guard<std::mutex> lock(m_impl->mu);
  return m_impl->counts[static_cast<int>(kind)][static_cast<int>(op)];
}

void FaultVfs::reset_counts() {
  std::lock_guard<std::mutex> lock(m_impl->mu);
  std::memset(m_impl->counts, 0, sizeof m_impl->counts);
}

void FaultVfs::arm(const Fault& fault) {
  std::lock_guard<std::mutex> lock(m_impl->mu);
  m_impl->fault = fault;
  m_impl->armed = true;
  m_impl->fault_seen = 0;
  m_impl->fault_fired = 0;
}

void FaultVfs::disarm() {
  std::lock_guard<std::mutex> lock(m_impl->mu);
  m_impl->armed = false;
}

long FaultVfs::fired() const {
  std::lock_guard<std::mutex> lock(m_impl->mu);
  return m_impl->fault_fired;
}

void FaultVfs::cut_power_after(long n) {
  std::lock_guard<std::mutex> lock(m_impl->mu);
  if (n <= 0) {
    m_impl->power_off = true;
    m_impl->cut_countdown = -1;
  } else {
    m_impl->cut_countdown = n;
  }
}

bool FaultVfs::power_is_off() const {
  std::lock_guard<std::mutex> lock(m_impl->mu);
  return m_impl->power_off;
}

long FaultVfs::unsynced_changes() const {
  std::lock_guard<std::mutex> lock(m_impl->mu);
  long n = 0;
  for (const auto& [path, changes] : m_impl->unsynced) n += static_cast<long>(changes.size());
  return n;
}

void FaultVfs::set_sync_noop(bool on) {
  std::lock_guard<std::mutex> lock(m_impl->mu);
  m_impl->sync_noop = on;
}

CutReport FaultVfs::restore_after_power_cut(CutMode mode, std::mt19937& rng) {
  Impl& s = *m_impl;
  std::lock_guard<std::mutex> lock(s.mu);
  require(s.open_files == 0, "restore_after_power_cut: close every Store first (the machine is off)");
  CutReport report;
  std::bernoulli_distribution reached_disk(0.5);
  for (const auto& [path, changes] : s.unsynced) {
    if (changes.empty()) continue;
    const int fd = ::open(path.c_str(), O_RDWR);
    if (fd < 0) continue;  // deleted or renamed since: directory entries are not modelled
    ++report.files;
    report.changes += static_cast<long>(changes.size());
    struct stat st {};
    bool ok = ::fstat(fd, &st) == 0;
    std::int64_t size = st.st_size;
    for (auto it = changes.rbegin(); it != changes.rend(); ++it) ok = ok && undo_change(fd, *it, &size);
    for (const Change& c : changes) {
      if (c.is_truncate) {
        if (mode == CutMode::tear && reached_disk(rng)) ok = ok && ::ftruncate(fd, c.offset) == 0;
        continue;
      }
      // Sector by sector, aligned to the file (a write may start mid-sector).
      for (std::int64_t at = c.offset; at < c.offset + static_cast<std::int64_t>(c.after.size());) {
        const std::int64_t end =
            std::min<std::int64_t>((at / kSector + 1) * kSector, c.offset + static_cast<std::int64_t>(c.after.size()));
        if (mode == CutMode::tear && reached_disk(rng)) {
          ++report.sectors_kept;
          const auto len = static_cast<std::size_t>(end - at);
          ok = ok && ::pwrite(fd, c.after.data() + (at - c.offset), len, at) == static_cast<ssize_t>(len);
        } else {
          ++report.sectors_lost;
        }
        at = end;
      }
    }
    ::close(fd);
    // The test's disk would not be what it claims: every later check would lie.
    require(ok, "cannot restore a file after the power cut");
  }
  s.unsynced.clear();
  s.power_off = false;
  s.cut_countdown = -1;
  return report;
}

}  // namespace core_test
