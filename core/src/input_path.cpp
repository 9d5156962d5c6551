#include "migsleuth/core/input_path.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>

namespace migsleuth {
namespace {

constexpr std::size_t kLengthBytes = sizeof(std::uint32_t);

// A name's length then its characters, at `at`.
void write_name(char* at, std::string_view name) noexcept {
  const auto n = static_cast<std::uint32_t>(name.size());
  std::memcpy(at, &n, kLengthBytes);
  if (n != 0) std::memcpy(at + kLengthBytes, name.data(), n);
}

char* owned_copy(std::string_view whole) {
  char* at = new char[kLengthBytes + whole.size()];
  write_name(at, whole);
  return at;
}

}  // namespace

// Names back to back in blocks that never move; only the walk that made the
// store adds to it; a name once kept never moves, so other threads may read
// paths already handed to them (walk_list::share) while the walk adds more.
struct path_names::store {
  static constexpr std::size_t kBlock = 1U << 20;
  std::vector<std::unique_ptr<char[]>> blocks;
  char* at = nullptr;
  std::size_t left = 0;

  const char* keep(std::string_view name) {
    const std::size_t need = kLengthBytes + name.size();
    if (need > left) {
      // A first block as small as the first name needs: an analysis of a few
      // files does not pay a megabyte for their names.
      const std::size_t n = std::max(need, blocks.empty() ? std::size_t{4096} : kBlock);
      blocks.push_back(std::make_unique<char[]>(n));
      at = blocks.back().get();
      left = n;
    }
    char* kept = at;
    write_name(kept, name);
    at += need;
    left -= need;
    return kept;
  }
};

struct input_path::folder {
  std::atomic<std::size_t> refs{1};
  const std::string prefix;
  const std::shared_ptr<path_names::store> names;  // keeps its files' names
};

std::string_view input_path::read_name(const char* at) noexcept {
  if (at == nullptr) return {};
  std::uint32_t n = 0;
  std::memcpy(&n, at, kLengthBytes);
  return {at + kLengthBytes, n};
}

input_path::input_path(std::string_view whole) {
  if (!whole.empty()) name_ = owned_copy(whole);
}

input_path::input_path(const input_path& other) : folder_(other.folder_) {
  if (folder_ != nullptr) {
    folder_->refs.fetch_add(1, std::memory_order_relaxed);
    name_ = other.name_;
  } else if (other.name_ != nullptr) {
    name_ = owned_copy(read_name(other.name_));
  }
}

input_path& input_path::operator=(const input_path& other) {
  if (this != &other) *this = input_path(other);
  return *this;
}

input_path& input_path::operator=(input_path&& other) noexcept {
  if (this != &other) {
    release();
    folder_ = std::exchange(other.folder_, nullptr);
    name_ = std::exchange(other.name_, nullptr);
  }
  return *this;
}

void input_path::release() noexcept {
  if (folder_ != nullptr) {
    if (folder_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete folder_;
  } else {
    delete[] name_;
  }
  folder_ = nullptr;
  name_ = nullptr;
}

std::string_view input_path::folder_part() const noexcept {
  return folder_ != nullptr ? std::string_view(folder_->prefix) : std::string_view();
}

std::string_view input_path::name_part() const noexcept { return read_name(name_); }

std::string input_path::str() const {
  std::string s;
  s.reserve(size());
  append_to(s);
  return s;
}

bool operator==(const input_path& a, std::string_view b) noexcept {
  const std::string_view dir = a.folder_part();
  return a.size() == b.size() && b.substr(0, dir.size()) == dir &&
         b.substr(dir.size()) == a.name_part();
}

path_names::path_names() : store_(std::make_shared<store>()) {}

input_path path_names::folder(std::string prefix) {
  input_path p;
  p.folder_ = new input_path::folder{{1}, std::move(prefix), store_};
  return p;
}

path_names::kept_name path_names::keep(const input_path& dir, std::string_view name) {
  return dir.folder_->names->keep(name);  // beside the folder's other names
}

input_path path_names::path_of(const input_path& dir, kept_name name) {
  input_path p(dir);  // shares the folder
  p.name_ = name;
  return p;
}

input_path path_names::in_folder(const input_path& dir, std::string_view name) {
  if (dir.folder_ == nullptr) return input_path(dir.str() + std::string(name));
  return path_of(dir, keep(dir, name));
}

}  // namespace migsleuth
