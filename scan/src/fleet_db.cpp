// The fleet page's data, read from a scan database (or a merged one): the
// counts and every attempt that did not succeed, as the rows hold them. The
// database is opened read-only: it is an input like any bundle.
#include <sqlite3.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "migsleuth/scan/scan.hpp"
#include "sqlite_sink.hpp"

namespace migsleuth::scan {
namespace {

constexpr std::string_view kSchemaName = "migsleuth.scan/v1";

// A prepared read-only query that finalizes itself.
class query {
 public:
  query(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK) s_ = nullptr;
  }
  ~query() { sqlite3_finalize(s_); }
  query(const query&) = delete;
  query& operator=(const query&) = delete;
  explicit operator bool() const noexcept { return s_ != nullptr; }
  query& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(s_); }
  void reset() { sqlite3_reset(s_); }
  std::string text(int i) const {
    const auto* p = sqlite3_column_text(s_, i);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<std::size_t>(sqlite3_column_bytes(s_, i)));
  }
  std::int64_t integer(int i) const { return sqlite3_column_int64(s_, i); }
  std::string error() const { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

bool has_table(sqlite3* db, const char* name) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", -1, &s,
                     nullptr);
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  const bool found = s != nullptr && sqlite3_step(s) == SQLITE_ROW;
  sqlite3_finalize(s);
  return found;
}

// The longest literal run of a masked template (between <HOST>, <NUM>, <*>
// and the like): what a line of the group surely contains.
std::string_view longest_literal(std::string_view tpl) {
  std::string_view best;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= tpl.size(); ++i) {
    bool mask_at_i = false;
    std::size_t end = i;
    if (i < tpl.size() && tpl[i] == '<') {
      end = i + 1;
      while (end < tpl.size() && ((tpl[end] >= 'A' && tpl[end] <= 'Z') || tpl[end] == '*')) ++end;
      mask_at_i = end < tpl.size() && tpl[end] == '>' && end > i + 1;
    }
    if (i == tpl.size() || mask_at_i) {
      const std::string_view run = tpl.substr(start, i - start);
      if (run.size() > best.size()) best = run;
      if (mask_at_i) {
        start = end + 1;
        i = end;
      }
    }
  }
  return best;
}

// An example of an unknown failure's template: the last line it cites that
// holds the template's longest literal run (the line it was made from, as
// logged), else its last cited line.
std::string example_line(query& evidence, std::int64_t bundle_id, std::int64_t seq,
                         std::string_view tpl) {
  const std::string_view literal = longest_literal(tpl);
  std::string example, last;
  evidence.reset();
  evidence.bind(1, bundle_id).bind(2, seq);
  while (evidence.step() == SQLITE_ROW) {
    last = evidence.text(0);
    if (!literal.empty() && last.find(literal) != std::string::npos) example = last;
  }
  return example.empty() ? last : example;
}

// A path as an SQLite URI's path: everything but unreserved characters and
// '/' percent-encoded, so '?', '#' and '%' in a name stay part of it.
std::string uri_path(const std::string& path) {
  std::string out;
  for (const char c : std::filesystem::absolute(path).string()) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

}  // namespace

bool load_fleet(const std::string& db_path, report::fleet_data& out, std::string& error) {
  {
    std::ifstream probe(db_path, std::ios::binary);
    if (!probe) {
      error = db_path + ": cannot be read: " + std::strerror(errno);
      return false;
    }
  }
  if (!is_sqlite_file(db_path)) {
    error = db_path + ": not an SQLite database (write one with `migsleuth scan --db`)";
    return false;
  }
  sqlite3* raw = nullptr;
  // Reading a WAL database creates -wal and -shm files beside it (and a
  // read-only connection leaves them there). With no -wal, no writer has it
  // open and nothing is pending, so it is read as immutable: no file is
  // created. A -wal there (a scan running, or killed) is read through.
  std::error_code ec;
  const bool quiet = !std::filesystem::exists(db_path + "-wal", ec);
  const std::string name = quiet ? "file:" + uri_path(db_path) + "?immutable=1" : db_path;
  const int rc =
      sqlite3_open_v2(name.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
  const std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  if (rc != SQLITE_OK) {
    error =
        db_path + ": cannot be opened: " + (raw != nullptr ? sqlite3_errmsg(raw) : "out of memory");
    return false;
  }
  sqlite3_busy_timeout(raw, 10'000);  // a scan writing it at the same time
  {
    query q(raw, "SELECT value FROM meta WHERE key = 'schema'");
    if (!q || q.step() != SQLITE_ROW || q.text(0) != kSchemaName) {
      error = db_path + ": not a migsleuth scan database (no meta schema '" +
              std::string(kSchemaName) + "'" + (q ? "" : ": " + q.error()) + ")";
      return false;
    }
  }
  out.database = db_path;
  auto count = [&](const char* sql, std::uint64_t& n) {
    query q(raw, sql);
    if (!q || q.step() != SQLITE_ROW) {
      error = db_path + ": cannot be read: " + q.error();
      return false;
    }
    n = static_cast<std::uint64_t>(q.integer(0));
    return true;
  };
  if (!count("SELECT count(*) FROM bundles", out.bundles) ||
      !count("SELECT count(*) FROM bundles WHERE status <> 'ok'", out.bad_bundles) ||
      !count("SELECT count(*) FROM incidents", out.incidents)) {
    return false;
  }
  // A database written before findings were kept has no such table.
  if (has_table(raw, "findings") && !count("SELECT count(*) FROM findings", out.findings)) {
    return false;
  }
  query rows(raw,
             "SELECT b.path, i.bundle_id, i.seq, i.id, coalesce(i.instance_uuid, ''), "
             "coalesce(i.instance_name, ''), coalesce(i.source_host, ''), "
             "coalesce(i.destination_host, ''), coalesce(i.started_at, ''), i.outcome, "
             "coalesce(i.classification, 'unknown'), coalesce(i.cause, ''), i.summary, "
             "coalesce(i.error_template, '') "
             "FROM incidents i JOIN bundles b ON b.id = i.bundle_id "
             "WHERE i.outcome <> 'succeeded' "
             "ORDER BY i.started_at IS NULL, i.started_at, b.path, i.seq");
  query evidence(raw,
                 "SELECT text FROM evidence WHERE bundle_id = ? AND incident_seq = ? "
                 "ORDER BY seq");
  if (!rows || !evidence) {
    error = db_path + ": cannot be read: " + sqlite3_errmsg(raw);
    return false;
  }
  int step = SQLITE_ROW;
  while ((step = rows.step()) == SQLITE_ROW) {
    report::fleet_incident f;
    f.bundle = rows.text(0);
    f.id = rows.text(3);
    f.instance = rows.text(4);
    f.instance_name = rows.text(5);
    f.source = rows.text(6);
    f.destination = rows.text(7);
    f.started_at = rows.text(8);
    f.outcome = rows.text(9);
    f.classification = rows.text(10);
    f.cause = rows.text(11);
    f.summary = rows.text(12);
    f.error_template = rows.text(13);
    if (!f.error_template.empty()) {
      f.example = example_line(evidence, rows.integer(1), rows.integer(2), f.error_template);
    }
    out.failures.push_back(std::move(f));
  }
  if (step != SQLITE_DONE) {
    error = db_path + ": cannot be read: " + sqlite3_errmsg(raw);
    return false;
  }
  return true;
}

}  // namespace migsleuth::scan
