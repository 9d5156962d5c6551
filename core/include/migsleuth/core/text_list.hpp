// A list of strings in one pointer while it is empty, which an input's
// warnings nearly always are: a std::vector is 24 bytes in each of a
// million inputs. It reads like a const std::vector<std::string> and grows
// with push_back, emplace_back and insert.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace migsleuth {

class text_list {
 public:
  using list = std::vector<std::string>;
  using const_iterator = list::const_iterator;
  using value_type = std::string;

  text_list() = default;
  text_list(std::initializer_list<std::string> items)
      : items_(items.size() == 0 ? nullptr : std::make_unique<list>(items)) {}
  text_list(const text_list& other)
      : items_(other.items_ ? std::make_unique<list>(*other.items_) : nullptr) {}
  text_list(text_list&&) noexcept = default;
  text_list& operator=(const text_list& other) {
    if (this != &other) items_ = other.items_ ? std::make_unique<list>(*other.items_) : nullptr;
    return *this;
  }
  text_list& operator=(text_list&&) noexcept = default;
  ~text_list() = default;

  const list& items() const noexcept { return items_ ? *items_ : none(); }
  operator const list&() const noexcept { return items(); }  // NOLINT: reads as the vector

  bool empty() const noexcept { return !items_ || items_->empty(); }
  std::size_t size() const noexcept { return items_ ? items_->size() : 0; }
  const_iterator begin() const noexcept { return items().begin(); }
  const_iterator end() const noexcept { return items().end(); }
  const std::string& front() const { return items().front(); }
  const std::string& back() const { return items().back(); }
  const std::string& operator[](std::size_t i) const { return items()[i]; }

  void push_back(std::string s) { grow().push_back(std::move(s)); }
  template <typename... Args>
  std::string& emplace_back(Args&&... args) {
    return grow().emplace_back(std::forward<Args>(args)...);
  }
  // Inserts [first, last) before `at` (an iterator of this list).
  template <typename It>
  void insert(const_iterator at, It first, It last) {
    if (first == last) return;
    const auto offset = at - begin();
    list& l = grow();
    l.insert(l.begin() + offset, first, last);
  }
  void clear() noexcept { items_.reset(); }

  friend bool operator==(const text_list& a, const text_list& b) { return a.items() == b.items(); }

 private:
  static const list& none() noexcept {
    static const list empty;
    return empty;
  }
  list& grow() {
    if (!items_) items_ = std::make_unique<list>();
    return *items_;
  }
  std::unique_ptr<list> items_;
};

}  // namespace migsleuth
