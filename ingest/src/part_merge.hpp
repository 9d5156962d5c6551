// Files are read on several threads, in any order; what each gave is merged
// in walk order, so the inputs' ids and order never depend on the threads.
// A file's part lives from its reading to its merge, which happens as soon
// as every file before it in walk order is merged: memory holds the files
// read out of order, not every file's state until the end.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "read_stream.hpp"

namespace migsleuth::ingest {

// What one file (and, for an archive, its members) gave, with input ids local
// to it.
struct file_part {
  analysis_input out;
  slot_runs slots;
  std::vector<std::pair<input_id, std::string>> sos_roots;
  std::vector<std::string> hosts_used;

  // Takes what reading into `st` (whose `out` is this part's) gathered.
  void take_state(ingest_state& st);
};

// One string per distinct reason for a kind: a million files detected alike
// share it (input.hpp).
class text_pool {
 public:
  void share(shared_text& t);

 private:
  std::unordered_map<std::string, shared_text> texts_;
};

class walk_order_merge {
 public:
  // `merged`: the analysis's state, which the parts are merged into.
  explicit walk_order_merge(ingest_state& merged) : merged_(merged) {}

  // The walk listed `files` in all: room for their inputs, one each (more
  // only for archives). Thread-safe.
  void reserve(std::size_t files);
  // File `index` was read and gave `part` (null: nothing). It is merged now,
  // with every file after it that waited for it, if every file before it
  // is merged. Thread-safe.
  void settle(std::size_t index, std::unique_ptr<file_part> part);
  // Merges the files before `files` that were never read (a cancelled run),
  // as empty parts. Once the readers are done.
  void merge_rest(std::size_t files);

 private:
  void merge_next();

  ingest_state& merged_;
  std::mutex mu_;
  std::vector<std::unique_ptr<file_part>> parts_;  // by walk index; read, not merged yet
  std::vector<char> done_;                         // by walk index: read
  std::size_t next_ = 0;                           // the first file not merged
  text_pool reasons_;
};

}  // namespace migsleuth::ingest
