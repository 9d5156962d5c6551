// Log lines that only an incident could need, set aside while inputs are read.
//
// A WARNING or ERROR line about an instance, with no shape, matters only if
// that instance migrated, which is known once every file has been read (the
// source's markers may sit in another file, on another host, read by another
// thread). Kept in memory, such lines grow with the logs (a year of spawn
// failures); here they are encoded into an unlinked temporary file, so peak
// memory stays flat, and correlate takes back those of migrating instances
// (through ingest::ingested, the event_source that owns this store).
// If no temporary file can be made, blocks stay in memory: same results.
//
//   deferred_events store;                  // one per ingest run
//   deferred_events::encode(ev, block);     // a reading thread, per file
//   store.put(part, std::move(block), n);
//   store.set_base(part, first_input_id);   // when that file is merged
//   store.for_each([](event& ev) { ... });  // after every file is read
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/ingest/ingest.hpp"

namespace migsleuth::ingest {

class deferred_events {
 public:
  deferred_events();
  ~deferred_events();
  deferred_events(const deferred_events&) = delete;
  deferred_events& operator=(const deferred_events&) = delete;

  // Only lines about an instance that correlate keeps solely when that
  // instance migrated (WARNING/ERROR lines with no more specific shape, and
  // power-state sync's "pending task" lines, which periodic tasks repeat for
  // every busy instance, and its listings of every instance a host holds, one
  // pair per instance and file), and that name no domain (which would tie a
  // QEMU log to the instance for everything else).
  [[nodiscard]] static bool deferrable(const event& ev) noexcept;
  // Lines about an instance that correlate takes whenever that instance
  // migrates, wherever they fall (they are no marker, and the line filter
  // never judged them: they were always kept in memory), and that decide
  // nothing before: a QEMU log's "starting up" and messages (their domain
  // is learnt from analysis_input::domain_links instead), nova's teardown
  // lines ("Instance destroyed successfully", kind rollback, logged by
  // every delete). Not the QEMU "shutting down" line: time zones pair it
  // with nova's (time_zones.cpp). ingest_options::needed_anyway keeps in
  // memory those another stage reads. Read back, they are handed over
  // whole: only deferrable() lines pass correlate's line filter.
  [[nodiscard]] static bool set_aside_whole(const event& ev) noexcept;
  // A line of another nova operation about an instance (other_operation: a
  // build that failed to spawn), naming no domain. correlate reads it only
  // inside an attempt of that instance; loose findings read only whether a
  // host has one about an instance that never migrated (its errors there are
  // that operation's, not a migration's). So it waits here, is read back
  // through the line filter like deferrable() lines, and one such line per
  // host and instance stays in memory as that mark (keep_as_mark).
  [[nodiscard]] static bool set_aside_operation(const event& ev) noexcept;
  // A nova WARNING or ERROR line naming no instance, no domain and no shape
  // (the power-state sync's "While synchronizing instance power states,
  // found N instances in the database and M instances on the hypervisor",
  // every ten minutes on every host). correlate joins such a line to an
  // attempt only by host and time, and no rule reads it alone (ingest_options
  // ::needed_anyway keeps in memory those a rule could): it waits here until
  // the attempts are built, unless its request names an instance, which
  // makes it that instance's line.
  [[nodiscard]] static bool set_aside_unowned(const event& ev) noexcept;
  static void encode(const event& ev, std::string& out);

  // One file's (or one archive's) encoded events, in its line order; `part`
  // is the file's position in the walk; `events` how many it holds. A file
  // read in ranges (ingest/src/split_file.cpp) puts each range as its `piece`
  // (1, 2, ...), numbering lines from the range's start. Thread-safe.
  void put(std::size_t part, std::string block, std::size_t events, std::size_t piece = 0);
  // The id the merged inputs give that file's first input.
  void set_base(std::size_t part, input_id base);
  // Lines before that piece in its file: added to its events' line numbers.
  void set_line_offset(std::size_t part, std::size_t piece, std::uint32_t lines);
  // Forgets what `part` put (its ranges are read again in one piece), and
  // the marks it kept.
  void discard(std::size_t part);
  // The request ids of set_aside_unowned() lines just put, as
  // request_hash(): the identity index asks the deferred lines which
  // instance each one worked on, as it does for requests that in-memory
  // lines name without an instance. A hash is 8 bytes where the id was
  // ~100 (80,000 warnings a log, each its periodic task's own request); two
  // requests with one hash only make the index learn a request no line
  // needs. Thread-safe.
  void note_unowned(std::vector<std::uint64_t> request_hashes, std::size_t lines);
  [[nodiscard]] static std::uint64_t request_hash(std::string_view request_id) noexcept;
  // Distinct, sorted; and how many set_aside_unowned() lines were put.
  [[nodiscard]] std::vector<std::uint64_t> unowned_requests() const;
  [[nodiscard]] std::size_t unowned_lines() const;

  // True for the first line of `instance` offered from files of one host
  // slot (`slot`: the files' shared host_slot, whose final name every one of
  // them takes), which `part` then keeps in memory; false for the others.
  // Which line is first may depend on the threads; that one of them is kept
  // does not. Thread-safe.
  [[nodiscard]] bool keep_as_mark(const void* slot, std::string_view instance, std::size_t part);

  // Which events a reader wants, known from their instance and request id:
  // the others are stepped over without being decoded.
  using wanted_fn = std::function<bool(std::string_view instance, std::string_view request_id)>;

  // Every event, in walk then line order (whatever the threads did), with
  // input ids rebased; only those `wanted` accepts, when given. Host and clock
  // are the caller's to settle.
  void for_each(const std::function<void(event&)>& fn, const wanted_fn& wanted = {}) const;
  [[nodiscard]] std::size_t count() const noexcept { return count_; }
  // How many events for_each has decoded so far (wanted ones only).
  [[nodiscard]] std::size_t decoded() const;
  [[nodiscard]] bool on_disk() const noexcept { return fd_ >= 0; }

 private:
  struct block {
    std::size_t part = 0;
    std::size_t piece = 0;
    std::size_t events = 0;
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    std::string in_memory;  // used when there is no file or a write failed
  };
  static bool decode(std::string_view& in, event& ev);
  // Instance and request id of the event `in` starts with, and `in` moved
  // past that event; false on a cut record.
  static bool skim(std::string_view& in, std::string_view& instance, std::string_view& request_id);
  void read_block(const block& b, std::string& into) const;

  mutable std::mutex mu_;
  int fd_ = -1;
  std::uint64_t end_ = 0;
  std::vector<block> blocks_;
  std::vector<input_id> base_;  // by part
  std::vector<std::pair<std::pair<std::size_t, std::size_t>, std::uint32_t>> line_offset_;
  std::size_t count_ = 0;       // events put
  std::vector<std::uint64_t> unowned_requests_;
  std::size_t unowned_lines_ = 0;
  // (host slot, instance) -> the part whose line stays as the mark.
  std::map<std::pair<const void*, std::string>, std::size_t> marks_;
  mutable std::size_t decoded_ = 0;  // by for_each, under mu_
};

// Each deferred event as ingest would have left it in `events`: final input
// id and host, clock shifted like the others of its host.
// Only those `wanted` accepts by instance and request id, when given.
void for_each_deferred(const analysis_input& in, const std::function<void(event&)>& fn,
                       const deferred_events::wanted_fn& wanted = {});

}  // namespace migsleuth::ingest
