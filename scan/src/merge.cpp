// `merge`: shards' JSONL files or databases -> one, exactly as a single run
// over all bundles would have written it. Both outputs are in bundle-path
// order, which is also what makes a k-way merge of JSONL streamable: memory
// holds one line per input, whatever their size.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>

#include "jsonl_sink.hpp"
#include "migsleuth/scan/scan.hpp"
#include "sqlite_sink.hpp"

namespace migsleuth::scan {
namespace {

struct jsonl_reader {
  std::string name;
  std::ifstream in;
  std::size_t line_no = 0;
  bool has = false;
  std::string line, last_bundle;
  jsonl_record rec;
};

// Moves to the next scan line; a line that is not one is a warning, and a
// file out of bundle order is an error (it was not written by scan).
bool advance(jsonl_reader& r, merge_result& res) {
  r.has = false;
  while (std::getline(r.in, r.line)) {
    ++r.line_no;
    if (r.line.empty()) continue;
    r.rec = {};
    if (!parse_jsonl_line(r.line, r.rec)) {
      res.warnings.push_back(r.name + ":" + std::to_string(r.line_no) +
                             ": not a scan JSONL line; skipped");
      continue;
    }
    if (r.rec.bundle < r.last_bundle) {
      res.error = r.name + ":" + std::to_string(r.line_no) +
                  ": bundles are not in path order (not written by `migsleuth scan`?)";
      return false;
    }
    r.last_bundle = r.rec.bundle;
    r.has = true;
    return true;
  }
  return true;
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    q += c;
    if (c == '\'') q += '\'';
  }
  return q + "'";
}

// Copies one source database's rows of `table` under their new bundle ids
// (temp.idmap). The column list is the schema's own (kSchemaSql), read back,
// so a column added there is merged with no edit here; a column an older
// release's database lacks (bundles.findings) is copied as NULL.
std::string copy_rows_sql(sqlite3* db, const std::string& table) {
  const std::string id_column = table == "bundles" ? "id" : "bundle_id";
  const auto source = table_columns(db, "src", table);
  std::string select;
  for (const auto& column : table_columns(db, "main", table)) {
    if (!select.empty()) select += ", ";
    if (column == id_column) {
      select += "m.new";
    } else if (std::find(source.begin(), source.end(), column) != source.end()) {
      select += "x." + column;
    } else {
      select += "NULL";
    }
  }
  return "INSERT INTO main." + table + " SELECT " + select + " FROM src." + table +
         " x JOIN temp.idmap m ON m.old = x." + id_column;
}

}  // namespace

bool is_sqlite_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[16] = {};
  in.read(head, sizeof head);
  return in.gcount() == 16 && std::string_view(head, 16) == std::string_view("SQLite format 3\0", 16);
}

merge_result merge_jsonl(const std::vector<std::string>& inputs, std::ostream& out) {
  merge_result res;
  res.totals.bundle_counts = false;
  std::vector<jsonl_reader> readers(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    readers[i].name = inputs[i];
    readers[i].in.open(inputs[i], std::ios::binary);
    if (!readers[i].in) {
      res.error = inputs[i] + ": cannot be read";
      return res;
    }
    if (!advance(readers[i], res)) return res;
  }
  for (;;) {
    const jsonl_reader* first = nullptr;
    for (const auto& r : readers) {
      if (r.has && (first == nullptr || r.rec.bundle < first->rec.bundle)) first = &r;
    }
    if (first == nullptr) break;
    const std::string bundle = first->rec.bundle;
    bool kept = false;
    for (auto& r : readers) {
      if (!r.has || r.rec.bundle != bundle) continue;
      if (kept) {
        res.warnings.push_back(bundle + ": also in " + r.name + "; kept from the first input");
      }
      // A bundle's lines are copied in their order (incidents, then findings),
      // all from one input: the merge writes what one run wrote.
      while (r.has && r.rec.bundle == bundle) {
        if (!kept) {
          write_jsonl_line(out, r.line);
          if (r.rec.is_finding) {
            res.totals.add(r.rec.finding);
          } else {
            res.totals.add(r.rec.incident);
          }
          if (!out) {  // the output cannot take more: stop reading
            res.output_failed = true;
            return res;
          }
        }
        if (!advance(r, res)) return res;
      }
      kept = true;
    }
  }
  out.flush();
  res.output_failed = !out;
  return res;
}

merge_result merge_db(const std::vector<std::string>& inputs, const std::string& out_path,
                      std::ostream* jsonl) {
  merge_result res;
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const auto& in : inputs) {
    if (!is_sqlite_file(in)) {
      res.error = in + ": not an SQLite database";
      return res;
    }
    if (fs::equivalent(in, out_path, ec)) {
      res.error = out_path + ": is also an input";
      return res;
    }
  }
  // The caller hands a fresh (temporary) file and renames it into place:
  // never merge into, or remove, whatever else out_path names.
  if (fs::exists(out_path, ec) &&
      (!fs::is_regular_file(out_path, ec) || fs::file_size(out_path, ec) != 0)) {
    res.error = out_path + ": not a new, empty file";
    return res;
  }
  bool writing = false;
  std::unique_ptr<database> db = database::open(out_path, res.error, &writing);
  if (!db && writing) {
    res.write_error = std::move(res.error);
    res.error.clear();
    return res;
  }
  if (!db) {
    res.error = out_path + ": " + res.error;
    return res;
  }
  // A failure to write the output is not a bad input (app/ exits 4, not 2).
  auto fail = [&](const std::string& what) {
    if (failed_writing(db->handle())) {
      res.error.clear();
      res.write_error = failure_reason(db->handle());
    } else {
      res.error = what + ": " + res.error;
    }
    return res;
  };

  // Pass 1: every bundle's path, so ids can be given in path order as a
  // fresh single run gives them.
  struct entry {
    std::string path;
    std::size_t input;
    std::int64_t old_id;
  };
  std::vector<entry> entries;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!db->exec("ATTACH DATABASE " + quoted(inputs[i]) + " AS src", res.error)) {
      return fail(inputs[i]);
    }
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db->handle(), "SELECT id, path FROM src.bundles", -1, &q, nullptr);
    while (q != nullptr && sqlite3_step(q) == SQLITE_ROW) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(q, 1));
      entries.push_back({p == nullptr ? "" : p, i, sqlite3_column_int64(q, 0)});
    }
    const bool ok = q != nullptr;
    sqlite3_finalize(q);
    if (!ok) res.error = sqlite3_errmsg(db->handle());
    if (!db->exec("DETACH DATABASE src", res.error) || !ok) return fail(inputs[i]);
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const entry& a, const entry& b) { return a.path < b.path; });
  std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> maps(inputs.size());
  std::int64_t next_id = 1;
  for (std::size_t k = 0; k < entries.size(); ++k) {
    if (k > 0 && entries[k].path == entries[k - 1].path) {
      res.warnings.push_back(entries[k].path + ": also in " + inputs[entries[k].input] +
                             "; kept from the first input");
      continue;
    }
    maps[entries[k].input].emplace_back(entries[k].old_id, next_id++);
  }

  // Pass 2: copy each input's rows under their new ids, one transaction each.
  // An input written by a release that kept no findings has no `findings`
  // count (NULL: a resume on the merged database analyzes those bundles
  // again) and maybe no findings table.
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!db->exec("ATTACH DATABASE " + quoted(inputs[i]) + " AS src", res.error) ||
        !db->exec("BEGIN; CREATE TEMP TABLE idmap(old INTEGER PRIMARY KEY, new INTEGER NOT NULL)",
                  res.error)) {
      return fail(inputs[i]);
    }
    for (const auto& [o, n] : maps[i]) {
      if (!db->exec("INSERT INTO temp.idmap VALUES (" + std::to_string(o) + ", " +
                        std::to_string(n) + ")",
                    res.error)) {
        return fail(inputs[i]);
      }
    }
    const bool with_findings = has_column(db->handle(), "src", "bundles", "findings");
    for (const char* table : {"bundles", "inputs", "incidents", "evidence"}) {
      if (!db->exec(copy_rows_sql(db->handle(), table), res.error)) return fail(inputs[i]);
    }
    // The count and the table come together (the count is added once the
    // schema has made the table).
    if (with_findings && !db->exec(copy_rows_sql(db->handle(), "findings"), res.error)) {
      return fail(inputs[i]);
    }
    if (!db->exec("DROP TABLE temp.idmap; COMMIT", res.error) ||
        !db->exec("DETACH DATABASE src", res.error)) {
      return fail(inputs[i]);
    }
  }

  // The summary (and JSONL) from the merged rows, in bundle order.
  summary& s = res.totals;
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db->handle(),
                     "SELECT id, path, bytes, status, coalesce(reason, '') FROM bundles "
                     "ORDER BY path",
                     -1, &q, nullptr);
  auto col = [&](int i) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(q, i));
    return p == nullptr ? std::string() : std::string(p);
  };
  while (q != nullptr && sqlite3_step(q) == SQLITE_ROW) {
    ++s.bundles;
    ++s.scanned;
    s.bytes += static_cast<std::uint64_t>(sqlite3_column_int64(q, 2));
    if (col(3) != "ok") s.bad.push_back({col(1), col(3), col(4)});
    db->for_each_incident(sqlite3_column_int64(q, 0),
                          [&](const incident_row& row, const std::string& js) {
                            s.add(row);
                            if (jsonl != nullptr) write_jsonl_line(*jsonl, js);
                          });
    db->for_each_finding(sqlite3_column_int64(q, 0),
                         [&](const finding_row& row, const std::string& js) {
                           s.add(row);
                           if (jsonl != nullptr) write_jsonl_line(*jsonl, js);
                         });
    if (jsonl != nullptr && !*jsonl) break;
  }
  sqlite3_finalize(q);
  if (jsonl != nullptr) {
    jsonl->flush();
    res.output_failed = !*jsonl;
  }
  // Everything into the database file itself, so that it is whole on its own
  // once renamed (a -wal left behind would not follow it).
  if (sqlite3_wal_checkpoint_v2(db->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr,
                                nullptr) != SQLITE_OK) {
    res.write_error = failure_reason(db->handle());
  }
  return res;
}

}  // namespace migsleuth::scan
