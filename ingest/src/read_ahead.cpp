#include "read_ahead.hpp"

#include <algorithm>
#include <cstring>
#include <system_error>

namespace migsleuth::ingest {

read_ahead_source::read_ahead_source(std::unique_ptr<byte_source> decoder, work_budget& budget,
                                     std::string unit_name, bool own_thread)
    : decoder_(std::move(decoder)),
      budget_(budget),
      unit_name_(std::move(unit_name)),
      own_thread_(own_thread) {
  packing_ = decoder_->packing();
}

read_ahead_source::~read_ahead_source() { stop(); }

std::size_t read_ahead_source::read(char* buf, std::size_t n) {
  if (ended_ || n == 0) return 0;
  std::size_t got = 0;
  while (got < n) {
    if (!have_current_ || pos_ == units_[current_].size) {
      if (!next_unit()) break;
      continue;
    }
    const unit& u = units_[current_];
    const std::size_t k = std::min(n - got, u.size - pos_);
    std::memcpy(buf + got, u.bytes.data() + pos_, k);
    pos_ += k;
    got += k;
  }
  return charge(got) ? got : 0;
}

std::string_view read_ahead_source::read_view(std::size_t n, std::string& scratch) {
  if (ended_ || n == 0) return {};
  // Before the first unit, read() decodes it here (and starts the thread).
  if (!have_current_) return byte_source::read_view(n, scratch);
  if (pos_ == units_[current_].size && !units_[current_].last) next_unit();
  const unit& u = units_[current_];
  const std::size_t left = u.size - pos_;
  // Fewer than n here and more after: read(n) would join two units.
  if (left < n && !u.last) return byte_source::read_view(n, scratch);
  const std::size_t got = std::min(n, left);
  const std::string_view view(u.bytes.data() + pos_, got);
  pos_ += got;
  if (!charge(got)) return {};
  return view;
}

bool read_ahead_source::charge(std::size_t got) {
  if (got == 0) {
    ended_ = true;
    error_ = decoder_error_;
    stop();
    return false;
  }
  // Charged here, by the reader, read by read: the same amounts whether the
  // decoder ran ahead on its own thread or not.
  if (!budget_.take_bytes(got)) {
    error_ = budget_.why() + "; the rest of the " + unit_name_ + " was not read";
    ended_ = true;
    stop();
    return false;
  }
  return true;
}

bool read_ahead_source::next_unit() {
  if (have_current_ && units_[current_].last) return false;
  if (!producer_.joinable()) {
    // The first unit is decoded here, small: a small file ends in it and
    // never costs a thread. After it the decoder moves to its own thread.
    bool moved = false;
    if (have_current_ && own_thread_) {
      for (std::size_t k = 1; k < kUnits; ++k) free_.push_back(k);
      try {
        producer_ = std::thread([this] { produce(); });
        moved = true;
        ran_ahead_ = true;
      } catch (const std::system_error&) {
        own_thread_ = false;  // no thread to be had: decode here, as before
        free_.clear();
      }
    }
    if (!moved) {
      fill(units_[0], have_current_ ? kUnitBytes : kFirstUnitBytes);
      current_ = 0;
      have_current_ = true;
      pos_ = 0;
      return true;
    }
  }
  std::unique_lock lock(mutex_);
  free_.push_back(current_);  // read to its end: the thread may refill it
  changed_.notify_all();
  changed_.wait(lock, [this] { return !ready_.empty() || failure_; });
  if (ready_.empty()) std::rethrow_exception(failure_);
  current_ = ready_.front();
  ready_.pop_front();
  pos_ = 0;
  return true;
}

void read_ahead_source::fill(unit& u, std::size_t room) {
  if (u.bytes.size() < room) u.bytes.resize(room);
  u.size = 0;
  u.last = false;
  while (u.size < room) {
    const std::size_t got = decoder_->read(u.bytes.data() + u.size, room - u.size);
    if (got == 0) {
      u.last = true;
      decoder_error_ = decoder_->error();  // read by the reader after this unit
      return;
    }
    u.size += got;
  }
}

void read_ahead_source::produce() {
  // No exception leaves a thread: the reader rethrows it (std::bad_alloc).
  try {
    for (;;) {
      std::size_t k = 0;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return stopping_ || !free_.empty(); });
        if (stopping_) return;
        k = free_.back();
        free_.pop_back();
      }
      fill(units_[k], kUnitBytes);
      const bool last = units_[k].last;
      {
        const std::lock_guard lock(mutex_);
        ready_.push_back(k);
      }
      changed_.notify_all();
      if (last) return;
    }
  } catch (...) {
    {
      const std::lock_guard lock(mutex_);
      failure_ = std::current_exception();
    }
    changed_.notify_all();
  }
}

void read_ahead_source::stop() {
  if (!producer_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  producer_.join();
}

}  // namespace migsleuth::ingest
