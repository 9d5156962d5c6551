// The budgeted side of every decoder: a decoder (decoders.hpp) only turns
// packed bytes into plain ones; this stream hands them out and takes each
// byte it hands out from the work budget of the file on disk, in the order
// the reader asks for them (HACKING.md, "Work is budgeted").
//
// With `own_thread` the decoder runs ahead on a thread of its own, at most
// two 256 KiB units in front of the reader, so that one compressed file's
// decompression and its parsing use two cores. What is handed out and what
// is taken from the budget do not depend on that: every read(n) returns n
// bytes unless the stream ends (a unit boundary never shortens a read), and
// the budget is charged by the reader's thread alone, read by read. A reader
// that stops early (cancel, a used-up budget, an error) destroys the stream,
// which stops the thread after at most one more unit.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "byte_source.hpp"
#include "work_budget.hpp"

namespace migsleuth::ingest {

class read_ahead_source final : public byte_source {
 public:
  // `unit_name` names what a cut-off stream loses ("file", "member") in the
  // limit message. `budget` must outlive the stream.
  read_ahead_source(std::unique_ptr<byte_source> decoder, work_budget& budget,
                    std::string unit_name, bool own_thread);
  ~read_ahead_source() override;
  read_ahead_source(const read_ahead_source&) = delete;
  read_ahead_source& operator=(const read_ahead_source&) = delete;

  std::size_t read(char* buf, std::size_t n) override;
  // A view into the unit being handed out when it holds the n bytes (or the
  // stream ends in it); else read(n) into `scratch`. Either way the bytes,
  // their count and the budget's charge are read(n)'s.
  std::string_view read_view(std::size_t n, std::string& scratch) override;

  // Whether the decoder moved to a thread of its own (for tests).
  [[nodiscard]] bool ran_ahead() const noexcept { return ran_ahead_; }

  static constexpr std::size_t kUnitBytes = 256U << 10;
  static constexpr std::size_t kFirstUnitBytes = 64U << 10;  // small files need no more
  static constexpr std::size_t kUnits = 3;  // one being read, two decoded ahead

 private:
  struct unit {
    std::vector<char> bytes;
    std::size_t size = 0;
    bool last = false;  // the decoder ended after these bytes
  };

  bool next_unit();               // false at the end of the stream
  bool charge(std::size_t got);   // takes `got` from the budget; false ends the stream
  void fill(unit& u, std::size_t room);  // the decoder's bytes, up to `room`
  void produce();                 // the thread's loop
  void stop();

  std::unique_ptr<byte_source> decoder_;
  work_budget& budget_;
  std::string unit_name_;
  bool own_thread_;
  bool ran_ahead_ = false;

  std::array<unit, kUnits> units_;
  // The reader's position. `current_` is the unit being handed out.
  std::size_t current_ = 0;
  std::size_t pos_ = 0;
  bool have_current_ = false;
  bool ended_ = false;

  // Shared with the thread, under `mutex_`.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::size_t> ready_;  // decoded units, in stream order
  std::vector<std::size_t> free_;  // units the thread may fill
  bool stopping_ = false;
  std::string decoder_error_;          // the decoder's message, once it ended
  std::exception_ptr failure_;         // what the thread threw (std::bad_alloc)
  std::thread producer_;
};

}  // namespace migsleuth::ingest
