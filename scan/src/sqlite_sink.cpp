// SQLite output of a scan. Every table is keyed by the bundle, and ids are
// internal: queries join on bundles.path (README "Batch scans" has examples).
// No wall-clock time is stored, so a merged database holds exactly what a
// single run stores.
#include "sqlite_sink.hpp"

#include <cerrno>
#include <cstring>
#include <string_view>

namespace migsleuth::scan {

const char* const kSchemaSql = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', 'migsleuth.scan/v1');
CREATE TABLE IF NOT EXISTS bundles(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  bytes INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  inputs INTEGER NOT NULL,
  incidents INTEGER NOT NULL,
  findings INTEGER);
CREATE TABLE IF NOT EXISTS inputs(
  bundle_id INTEGER NOT NULL REFERENCES bundles(id),
  seq INTEGER NOT NULL,
  path TEXT NOT NULL,
  host TEXT,
  kind TEXT NOT NULL,
  compression TEXT NOT NULL,
  lines INTEGER NOT NULL,
  skipped_lines INTEGER NOT NULL,
  unreadable INTEGER NOT NULL,
  warnings TEXT NOT NULL,
  PRIMARY KEY(bundle_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS incidents(
  bundle_id INTEGER NOT NULL REFERENCES bundles(id),
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  instance_uuid TEXT,
  instance_name TEXT,
  request_id TEXT,
  migration_id TEXT,
  source_host TEXT,
  destination_host TEXT,
  started_at TEXT,
  ended_at TEXT,
  outcome TEXT NOT NULL,
  classification TEXT,
  cause TEXT,
  confidence REAL NOT NULL,
  summary TEXT NOT NULL,
  error_template TEXT,
  json TEXT NOT NULL,
  PRIMARY KEY(bundle_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS evidence(
  bundle_id INTEGER NOT NULL,
  incident_seq INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  host TEXT,
  path TEXT NOT NULL,
  line INTEGER NOT NULL,
  time TEXT,
  text TEXT NOT NULL,
  rule TEXT,
  PRIMARY KEY(bundle_id, incident_seq, seq),
  FOREIGN KEY(bundle_id, incident_seq) REFERENCES incidents(bundle_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS findings(
  bundle_id INTEGER NOT NULL REFERENCES bundles(id),
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  classification TEXT NOT NULL,
  cause TEXT,
  confidence REAL NOT NULL,
  summary TEXT NOT NULL,
  error_template TEXT,
  json TEXT NOT NULL,
  PRIMARY KEY(bundle_id, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS findings_class ON findings(classification, cause);
CREATE INDEX IF NOT EXISTS incidents_outcome ON incidents(outcome, classification);
CREATE INDEX IF NOT EXISTS incidents_class_time ON incidents(classification, started_at);
CREATE INDEX IF NOT EXISTS incidents_cause ON incidents(cause);
CREATE INDEX IF NOT EXISTS incidents_hosts ON incidents(source_host, destination_host);
CREATE INDEX IF NOT EXISTS incidents_started ON incidents(started_at);
CREATE INDEX IF NOT EXISTS incidents_instance ON incidents(instance_uuid);
CREATE INDEX IF NOT EXISTS incidents_template ON incidents(error_template);
CREATE INDEX IF NOT EXISTS evidence_rule ON evidence(rule);
)sql";

namespace {

// A prepared statement that finalizes itself; binds are 1-based as in SQLite.
class stmt {
 public:
  stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~stmt() { sqlite3_finalize(s_); }
  stmt(const stmt&) = delete;
  stmt& operator=(const stmt&) = delete;
  explicit operator bool() const noexcept { return s_ != nullptr; }

  stmt& text(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  stmt& text_or_null(int i, std::string_view v) {
    if (v.empty()) {
      sqlite3_bind_null(s_, i);
      return *this;
    }
    return text(i, v);
  }
  stmt& integer(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  stmt& real(int i, double v) {
    sqlite3_bind_double(s_, i, v);
    return *this;
  }
  stmt& null(int i) {
    sqlite3_bind_null(s_, i);
    return *this;
  }
  int step() { return sqlite3_step(s_); }
  bool run() {
    const int rc = sqlite3_step(s_);
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return rc == SQLITE_DONE;
  }
  std::string column_text(int i) const {
    const auto* p = sqlite3_column_text(s_, i);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<std::size_t>(sqlite3_column_bytes(s_, i)));
  }
  std::int64_t column_int(int i) const { return sqlite3_column_int64(s_, i); }

 private:
  sqlite3_stmt* s_ = nullptr;
};

}  // namespace

std::unique_ptr<database> database::open(const std::string& path, std::string& error,
                                         bool* write_failed) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    error = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return nullptr;
  }
  // Another scan writing the same database waits instead of failing at once.
  sqlite3_busy_timeout(db, 10'000);
  std::unique_ptr<database> d(new database(db));
  if (!d->exec(kSchemaSql, error) || !d->add_findings_count(error)) {
    if (write_failed != nullptr) *write_failed = failed_writing(db);
    error = failure_reason(db);
    return nullptr;
  }
  return d;
}

std::vector<std::string> table_columns(sqlite3* db, const std::string& schema,
                                       const std::string& table) {
  std::vector<std::string> names;
  const std::string sql = "PRAGMA " + schema + ".table_info(" + table + ")";
  stmt q(db, sql.c_str());
  while (q && q.step() == SQLITE_ROW) names.emplace_back(q.column_text(1));
  return names;
}

bool has_column(sqlite3* db, const std::string& schema, const std::string& table,
                std::string_view column) {
  const auto names = table_columns(db, schema, table);
  return std::find(names.begin(), names.end(), column) != names.end();
}

// A database of a release that kept no findings has the findings table
// created by the schema (IF NOT EXISTS) but its bundles table lacks the
// `findings` count. The column is added, NULL for the bundles already there:
// they are analyzed again on the next resume, so their findings are not lost.
bool database::add_findings_count(std::string& error) {
  if (has_column(db_, "main", "bundles", "findings")) return true;
  // Another scan opening the same old database at once: one adds it.
  if (!exec("BEGIN IMMEDIATE", error)) return false;
  if (!has_column(db_, "main", "bundles", "findings") &&
      !exec("ALTER TABLE bundles ADD COLUMN findings INTEGER", error)) {
    std::string ignored;
    exec("ROLLBACK", ignored);
    return false;
  }
  return exec("COMMIT", error);
}

database::~database() { sqlite3_close(db_); }

std::string failure_reason(sqlite3* db) {
  int os_error = sqlite3_system_errno(db);
  // SQLite reports a full disk (ENOSPC, or a short write) as SQLITE_FULL and
  // keeps no errno for it.
  if (os_error == 0 && sqlite3_errcode(db) == SQLITE_FULL) os_error = ENOSPC;
  const std::string msg = sqlite3_errmsg(db);
  return os_error != 0 ? std::string(std::strerror(os_error)) + " (SQLite: " + msg + ")"
                       : msg + " (SQLite)";
}

bool failed_writing(sqlite3* db) {
  switch (sqlite3_extended_errcode(db)) {
    case SQLITE_FULL:
    case SQLITE_IOERR_WRITE:
    case SQLITE_IOERR_FSYNC:
    case SQLITE_IOERR_DIR_FSYNC:
    case SQLITE_IOERR_TRUNCATE:
    case SQLITE_IOERR_SHMSIZE:
    case SQLITE_READONLY:
      return true;
    default:
      return false;
  }
}

bool database::exec(const std::string& sql, std::string& error) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) == SQLITE_OK) return true;
  error = msg != nullptr ? msg : sqlite3_errmsg(db_);
  sqlite3_free(msg);
  return false;
}

std::map<std::string, database::stored> database::bundles() {
  std::map<std::string, stored> out;
  stmt q(db_,
         "SELECT path, id, bytes, mtime_ns, status, coalesce(reason, ''), findings IS NOT NULL "
         "FROM bundles");
  while (q && q.step() == SQLITE_ROW) {
    stored s;
    s.findings_stored = q.column_int(6) != 0;
    s.id = q.column_int(1);
    s.bytes = static_cast<std::uint64_t>(q.column_int(2));
    s.mtime_ns = q.column_int(3);
    s.status = q.column_text(4);
    s.reason = q.column_text(5);
    out.emplace(q.column_text(0), std::move(s));
  }
  return out;
}

bool database::write(const bundle& b, const bundle_result& r, std::string& error) {
  if (!exec("BEGIN IMMEDIATE", error)) {
    error = failure_reason(db_);
    return false;
  }
  auto fail = [&] {
    error = failure_reason(db_);
    std::string ignored;
    exec("ROLLBACK", ignored);
    return false;
  };
  std::int64_t id = 0;
  {
    stmt q(db_, "SELECT id FROM bundles WHERE path = ?");
    q.text(1, b.path);
    if (q.step() == SQLITE_ROW) id = q.column_int(0);
  }
  if (id != 0) {  // a rescan replaces the bundle's rows and keeps its id
    for (const char* sql : {"DELETE FROM evidence WHERE bundle_id = ?",
                            "DELETE FROM findings WHERE bundle_id = ?",
                            "DELETE FROM incidents WHERE bundle_id = ?",
                            "DELETE FROM inputs WHERE bundle_id = ?",
                            "DELETE FROM bundles WHERE id = ?"}) {
      stmt d(db_, sql);
      if (!d || !d.integer(1, id).run()) return fail();
    }
  }
  stmt ib(db_,
          "INSERT INTO bundles(id, path, bytes, mtime_ns, status, reason, inputs, incidents, "
          "findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!ib) return fail();
  if (id != 0) {
    ib.integer(1, id);
  } else {
    ib.null(1);
  }
  ib.text(2, b.path)
      .integer(3, static_cast<std::int64_t>(b.bytes))
      .integer(4, b.mtime_ns)
      .text(5, r.status)
      .text_or_null(6, r.reason)
      .integer(7, static_cast<std::int64_t>(r.inputs.size()))
      .integer(8, static_cast<std::int64_t>(r.incidents.size()))
      .integer(9, static_cast<std::int64_t>(r.findings.size()));
  if (!ib.run()) return fail();
  id = sqlite3_last_insert_rowid(db_);

  stmt ii(db_,
          "INSERT INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!ii) return fail();
  std::int64_t seq = 0;
  for (const auto& in : r.inputs) {
    ii.integer(1, id).integer(2, seq++).text(3, in.path).text_or_null(4, in.host).text(5, in.kind);
    ii.text(6, in.compression)
        .integer(7, static_cast<std::int64_t>(in.lines))
        .integer(8, static_cast<std::int64_t>(in.skipped_lines))
        .integer(9, in.unreadable ? 1 : 0)
        .text(10, in.warnings);
    if (!ii.run()) return fail();
  }
  stmt ic(db_,
          "INSERT INTO incidents VALUES "
          "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  stmt ie(db_, "INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!ic || !ie) return fail();
  seq = 0;
  for (const auto& inc : r.incidents) {
    ic.integer(1, id).integer(2, seq).text(3, inc.id).text_or_null(4, inc.instance_uuid);
    ic.text_or_null(5, inc.instance_name)
        .text_or_null(6, inc.request_id)
        .text_or_null(7, inc.migration_id)
        .text_or_null(8, inc.row.source)
        .text_or_null(9, inc.row.destination)
        .text_or_null(10, inc.started_at)
        .text_or_null(11, inc.ended_at)
        .text(12, inc.row.outcome)
        .text_or_null(13, inc.row.classification)
        .text_or_null(14, inc.row.cause)
        .real(15, inc.confidence)
        .text(16, inc.summary)
        .text_or_null(17, inc.row.error_template)
        .text(18, inc.json);
    if (!ic.run()) return fail();
    std::int64_t eseq = 0;
    for (const auto& e : inc.evidence) {
      ie.integer(1, id).integer(2, seq).integer(3, eseq++).text_or_null(4, e.host);
      ie.text(5, e.path).integer(6, e.line).text_or_null(7, e.time).text(8, e.text);
      ie.text_or_null(9, e.rule);
      if (!ie.run()) return fail();
    }
    ++seq;
  }
  stmt ifd(db_, "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!ifd) return fail();
  seq = 0;
  for (const auto& f : r.findings) {
    ifd.integer(1, id).integer(2, seq++).text(3, f.id).text(4, f.row.classification);
    ifd.text_or_null(5, f.row.cause)
        .real(6, f.confidence)
        .text(7, f.summary)
        .text_or_null(8, f.row.error_template)
        .text(9, f.json);
    if (!ifd.run()) return fail();
  }
  return exec("COMMIT", error) || fail();
}

void database::for_each_incident(
    std::int64_t bundle_id,
    const std::function<void(const incident_row&, const std::string&)>& fn) {
  stmt q(db_,
         "SELECT outcome, coalesce(classification, ''), coalesce(cause, ''), "
         "coalesce(source_host, ''), coalesce(destination_host, ''), "
         "coalesce(error_template, ''), json FROM incidents WHERE bundle_id = ? ORDER BY seq");
  if (!q) return;
  q.integer(1, bundle_id);
  while (q.step() == SQLITE_ROW) {
    incident_row r{q.column_text(0), q.column_text(1), q.column_text(2),
                   q.column_text(3), q.column_text(4), q.column_text(5)};
    fn(r, q.column_text(6));
  }
}

void database::for_each_finding(
    std::int64_t bundle_id,
    const std::function<void(const finding_row&, const std::string&)>& fn) {
  stmt q(db_,
         "SELECT classification, coalesce(cause, ''), coalesce(error_template, ''), json "
         "FROM findings WHERE bundle_id = ? ORDER BY seq");
  if (!q) return;
  q.integer(1, bundle_id);
  while (q.step() == SQLITE_ROW) {
    finding_row r{q.column_text(0), q.column_text(1), q.column_text(2)};
    fn(r, q.column_text(3));
  }
}

}  // namespace migsleuth::scan
