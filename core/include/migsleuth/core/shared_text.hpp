// An immutable string that copies share: what many inputs say alike (how
// their host was attributed, why their kind, their clock) is held once, not
// once per file. A bundle of 1,000,000 files has a handful of such texts;
// held as one std::string each they were over 200 bytes a file.
//
// It reads like a const std::string (conversions, find, substr, +, ==);
// changing it makes a new text (`+=` copies, then shares the result).
//
//   shared_text why = "folder name 'cmp-a'";
//   input a, b;  a.host_from = why;  b.host_from = why;   // one string
#pragma once

#include <atomic>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace migsleuth {

class shared_text {
 public:
  shared_text() = default;
  shared_text(std::string s)  // NOLINT(google-explicit-constructor): reads as a string
      : text_(s.empty() ? nullptr : new block{{1}, std::move(s)}) {}
  shared_text(const char* s) : shared_text(std::string(s)) {}  // NOLINT
  explicit shared_text(std::string_view s) : shared_text(std::string(s)) {}
  shared_text(const shared_text& other) noexcept : text_(other.text_) { hold(); }
  shared_text(shared_text&& other) noexcept : text_(std::exchange(other.text_, nullptr)) {}
  shared_text& operator=(const shared_text& other) noexcept {
    if (text_ != other.text_) {
      release();
      text_ = other.text_;
      hold();
    }
    return *this;
  }
  shared_text& operator=(shared_text&& other) noexcept {
    if (this != &other) {
      release();
      text_ = std::exchange(other.text_, nullptr);
    }
    return *this;
  }
  ~shared_text() { release(); }

  const std::string& str() const noexcept { return text_ ? text_->text : empty_text(); }
  operator const std::string&() const noexcept { return str(); }  // NOLINT
  operator std::string_view() const noexcept { return str(); }    // NOLINT

  bool empty() const noexcept { return !text_; }
  void clear() noexcept { release(); }
  std::size_t size() const noexcept { return str().size(); }
  const char* c_str() const noexcept { return str().c_str(); }
  std::size_t find(std::string_view what, std::size_t from = 0) const noexcept {
    return str().find(what, from);
  }
  std::size_t rfind(std::string_view what, std::size_t from = std::string::npos) const noexcept {
    return str().rfind(what, from);
  }
  std::string substr(std::size_t from, std::size_t n = std::string::npos) const {
    return str().substr(from, n);
  }
  bool starts_with(std::string_view s) const noexcept { return str().starts_with(s); }

  shared_text& operator+=(std::string_view more) {
    if (!more.empty()) *this = shared_text(str() + std::string(more));
    return *this;
  }

  // The same text (one string may back many).
  bool shares(const shared_text& other) const noexcept { return text_ == other.text_; }

  friend bool operator==(const shared_text& a, const shared_text& b) noexcept {
    return a.str() == b.str();
  }
  friend bool operator==(const shared_text& a, std::string_view b) noexcept { return a.str() == b; }
  friend bool operator==(const shared_text& a, const char* b) noexcept { return a.str() == b; }
  friend bool operator==(const shared_text& a, const std::string& b) noexcept {
    return a.str() == b;
  }
  friend std::string operator+(const shared_text& a, std::string_view b) {
    return a.str() + std::string(b);
  }
  friend std::string operator+(const shared_text& a, const std::string& b) { return a.str() + b; }
  friend std::string operator+(const shared_text& a, const char* b) { return a.str() + b; }
  friend std::string operator+(std::string a, const shared_text& b) { return a += b.str(); }
  friend std::string operator+(const char* a, const shared_text& b) { return a + b.str(); }
  friend std::ostream& operator<<(std::ostream& os, const shared_text& t) { return os << t.str(); }

 private:
  static const std::string& empty_text() noexcept {
    static const std::string none;
    return none;
  }
  // One pointer (a shared_ptr is two): it is in every input.
  struct block {
    std::atomic<std::size_t> refs;
    const std::string text;
  };
  void hold() const noexcept {
    if (text_) text_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release() noexcept {
    if (text_ && text_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete text_;
    text_ = nullptr;
  }
  block* text_ = nullptr;
};

}  // namespace migsleuth
