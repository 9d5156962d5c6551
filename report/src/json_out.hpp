// A tiny streaming JSON writer (pretty, 2-space indent): enough for our
// report, with no JSON library needed to write.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/report/report.hpp"

namespace migsleuth::report {

class json_out {
 public:
  // compact: one line, no spaces (JSONL); otherwise pretty, 2-space indent.
  explicit json_out(bool compact = false) : compact_(compact) {}
  // Streaming: what is written goes to `sink` in pieces of about
  // kStreamChunk bytes (and the rest at finish()), so a report of a million
  // inputs is never held whole.
  json_out(bool compact, const json_sink& sink) : compact_(compact), sink_(&sink) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  void key(std::string_view k) {
    separator();
    out_ += '"';
    append_json_escaped(out_, k);
    out_ += compact_ ? "\":" : "\": ";
    after_key_ = true;
  }
  void string(std::string_view v) {
    separator();
    out_ += '"';
    append_json_escaped(out_, v);
    out_ += '"';
  }
  // Empty string -> null: the contract's nullable strings.
  void string_or_null(std::string_view v) {
    if (v.empty()) {
      null();
    } else {
      string(v);
    }
  }
  void null() { raw("null"); }
  void boolean(bool b) { raw(b ? "true" : "false"); }
  void integer(std::int64_t v) { raw(std::to_string(v)); }
  void number2(double v);  // fixed, 2 decimals: deterministic
  void number3(double v);  // fixed, 3 decimals (seconds to the millisecond)
  void raw(std::string_view v) {
    separator();
    out_ += v;
  }

  std::string take() {
    out_ += '\n';
    return std::move(out_);
  }

  // Elements of the array being written, rendered apart (on another thread)
  // and spliced in order: batch_in_array() gives a writer at the same depth,
  // whose first element is the array's first when `first`; its text
  // (take_batch) goes in with splice().
  json_out batch_in_array(bool first) const {
    json_out b(compact_);
    b.first_ = first_;
    b.first_.back() = first;
    return b;
  }
  std::string take_batch() { return std::move(out_); }
  void splice(std::string_view batch) {
    if (batch.empty()) return;
    if (sink_ != nullptr && out_.size() >= kStreamChunk) flush();
    out_ += batch;
    first_.back() = false;
  }
  // Streaming: the final newline and what is still buffered, to the sink.
  void finish() {
    out_ += '\n';
    flush();
  }

 private:
  void open(char c) {
    separator();
    out_ += c;
    first_.push_back(true);
  }
  void close(char c) {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ += c;
  }
  static constexpr std::size_t kStreamChunk = 1 << 20;
  void flush() {
    if (sink_ == nullptr || out_.empty()) return;
    (*sink_)(out_);
    out_.clear();
  }
  void separator() {
    if (sink_ != nullptr && out_.size() >= kStreamChunk) flush();
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    newline();
  }
  void newline() {
    if (compact_) return;
    out_ += '\n';
    out_.append(first_.size() * 2, ' ');
  }

  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
  bool compact_ = false;
  const json_sink* sink_ = nullptr;
};

void write_incident_json(json_out& j, const incident& inc, const verdict& v,
                         std::span<const input> inputs, std::span<const leading_field> leading);

}  // namespace migsleuth::report
