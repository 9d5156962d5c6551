// The files at the head of the walk, read while the walk goes on.
//
// Files are read largest first, so that no thread is left alone with a large
// file at the end, and that order needs every file's size: reading used to
// wait for the whole walk. Yet as long as every file listed so far is small
// (one read holds it) there is nothing to order. Such files are read in walk
// order as soon as they are listed, by the threads the walk leaves free, and
// by the walk's own once it is over. The first file that is anything else
// (large, compressed, an archive, gone or changed since it was listed, one
// whose host the walk may still change, one kept whole to be read: in a
// sosreport, a link) ends this: it and every file not taken yet are read
// after the walk, as before (sizes, then largest first).
//
// No result depends on it: parts merge in walk order (part_merge.hpp), and a
// plain file takes nothing from the work budget, whose shares follow the
// task order of the files read after the walk.
//
//   listing_progress progress;
//   files.share(&progress);
//   prefix_reads head(files, progress, cancel);
//   for_each_task(threads, jobs, nullptr, [&](std::size_t t) {
//     if (t == 0) {
//       const prefix_reads::walk_end end(head);
//       list_paths(files, roots);
//     }
//     head.read([&](const listed_file& f, std::uint64_t& bytes) { ... });
//   });
//   files.share(nullptr);
//   for (i ...) if (!head.was_read(i)) ...;  // read after the walk
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "walk_list.hpp"

namespace migsleuth::ingest {

// A file taken from the list, with what the list said of it then.
struct listed_file {
  std::size_t index = 0;  // in walk order
  found_file file;
  std::uint32_t folder = walk_list::kNoFolder;  // walk_list::folder_of
};

class prefix_reads {
 public:
  prefix_reads(walk_list& files, listing_progress& progress, const std::atomic<bool>* cancel)
      : files_(files), progress_(progress), cancel_(cancel) {}

  // Says the walk is over when it ends, also by an exception: readers that
  // wait for more files stop waiting.
  class walk_end {
   public:
    explicit walk_end(prefix_reads& reads) : reads_(reads) {}
    walk_end(const walk_end&) = delete;
    walk_end& operator=(const walk_end&) = delete;
    ~walk_end();

   private:
    prefix_reads& reads_;
  };

  // True: the file was read (`bytes`: its size). False: it was left as it
  // was, nothing of it kept, and it ends the prefix.
  using read_fn = std::function<bool(const listed_file&, std::uint64_t& bytes)>;
  // Takes files in walk order and reads them with `read`, waiting for the
  // walk to list more, until the walk is over and every file is taken, or
  // the prefix has ended, or the analysis is cancelled. On any number of
  // threads at once.
  void read(const read_fn& read);

  // Once every reader returned: whether file `i` was read here.
  [[nodiscard]] bool was_read(std::size_t i) const noexcept {
    return i < read_.size() && read_[i] != 0;
  }

 private:
  struct outcome {
    std::size_t index = 0;
    bool read = false;
    std::uint64_t bytes = 0;
  };
  // Under the list's mutex: what the reader's last file came to.
  void note(const outcome& o);
  bool cancelled() const noexcept {
    return cancel_ != nullptr && cancel_->load(std::memory_order_relaxed);
  }

  walk_list& files_;
  listing_progress& progress_;
  const std::atomic<bool>* cancel_;
  // Under progress_.mutex:
  std::size_t next_ = 0;  // the first file not taken
  bool ended_ = false;    // a file was left: the prefix is over
  std::vector<char> read_;  // by walk index
};

}  // namespace migsleuth::ingest
