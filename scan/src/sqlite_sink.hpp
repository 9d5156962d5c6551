// The scan database (schema in README "Batch scans"): one transaction per
// bundle in WAL mode, so an interrupted scan leaves every bundle either fully
// there or not there at all, and the next run picks up where it stopped.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "bundle_result.hpp"

namespace migsleuth::scan {

class database {
 public:
  struct stored {
    std::int64_t id = 0;
    std::uint64_t bytes = 0;
    std::int64_t mtime_ns = 0;
    std::string status, reason;
    // Its findings are in the database (false: written by a release that
    // kept none, so its rows do not tell the whole story).
    bool findings_stored = false;
  };

  // Opens (creating the schema if needed); null with `error` set on failure,
  // and *write_failed true when it was writing the schema that failed (full disk).
  static std::unique_ptr<database> open(const std::string& path, std::string& error,
                                        bool* write_failed = nullptr);
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  std::map<std::string, stored> bundles();
  // Replaces whatever was stored for b.path, in one transaction.
  bool write(const bundle& b, const bundle_result& r, std::string& error);
  // A stored bundle's incidents in their order: summary row + JSON line.
  void for_each_incident(std::int64_t bundle_id,
                         const std::function<void(const incident_row&, const std::string&)>& fn);
  // A stored bundle's findings in their order: summary row + JSON line.
  void for_each_finding(std::int64_t bundle_id,
                        const std::function<void(const finding_row&, const std::string&)>& fn);
  // Runs SQL with no result rows; false with `error` set on failure.
  bool exec(const std::string& sql, std::string& error);
  sqlite3* handle() const noexcept { return db_; }

 private:
  explicit database(sqlite3* db) : db_(db) {}
  bool add_findings_count(std::string& error);
  sqlite3* db_ = nullptr;
};

// Why the last call on `db` failed, with the OS's reason first when there is
// one ("No space left on device (SQLite: database or disk is full)").
std::string failure_reason(sqlite3* db);
// Whether the last failure was writing (full disk, I/O error on write or sync)
// rather than reading an input.
bool failed_writing(sqlite3* db);

// Whether `schema`.`table` has `column` (an older database may lack it).
bool has_column(sqlite3* db, const std::string& schema, const std::string& table,
                std::string_view column);
// The columns of schema.table in their order (empty: no such table).
std::vector<std::string> table_columns(sqlite3* db, const std::string& schema,
                                       const std::string& table);

// The schema, also used by merge for a fresh output.
extern const char* const kSchemaSql;

}  // namespace migsleuth::scan
