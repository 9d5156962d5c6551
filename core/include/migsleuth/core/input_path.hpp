// An input's path as the report shows it, in 16 bytes. A bundle of
// 1,000,000 files holds 1,000,000 paths until the report lists them; as
// std::string each was 32 bytes plus a heap copy of its folder's part
// ("bundle/cmp-a/var/log/nova/", most of the path) and of its name.
//
// A walked file's path is its folder, shared by the folder's files, and its
// name, kept with its folder's neighbours back to back (`path_names`): its
// cost is its name and 4 bytes. Any other path (an archive member, "-") is
// one string of its own. Either way it reads like a string: str(), +, ==.
//
//   path_names names;
//   const input_path dir = names.folder("bundle/cmp-a/");
//   input_path p = names.in_folder(dir, "nova-compute.log");  // "bundle/cmp-a/nova-compute.log"
//   input_path q = "b.tar.xz!sos/var/log/nova/nova-compute.log";
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migsleuth {

class input_path {
 public:
  input_path() = default;
  input_path(std::string_view whole);  // NOLINT(google-explicit-constructor): reads as a string
  input_path(const std::string& whole) : input_path(std::string_view(whole)) {}  // NOLINT
  input_path(const char* whole) : input_path(std::string_view(whole)) {}         // NOLINT
  input_path(const input_path& other);
  input_path(input_path&& other) noexcept
      : folder_(std::exchange(other.folder_, nullptr)), name_(std::exchange(other.name_, nullptr)) {}
  input_path& operator=(const input_path& other);
  input_path& operator=(input_path&& other) noexcept;
  ~input_path() { release(); }

  // The whole path (folder part and name).
  [[nodiscard]] std::string str() const;
  operator std::string() const { return str(); }  // NOLINT(google-explicit-constructor)
  // What goes before the name ("bundle/cmp-a/"; empty for a path of its own),
  // and the rest.
  [[nodiscard]] std::string_view folder_part() const noexcept;
  [[nodiscard]] std::string_view name_part() const noexcept;
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] std::size_t size() const noexcept {
    return folder_part().size() + name_part().size();
  }
  // Writes the path to `out` without making a string of it.
  void append_to(std::string& out) const {
    out.append(folder_part());
    out.append(name_part());
  }

  friend bool operator==(const input_path& a, std::string_view b) noexcept;
  friend bool operator==(const input_path& a, const input_path& b) noexcept {
    return a == std::string_view(b.str());
  }
  friend bool operator==(const input_path& a, const std::string& b) noexcept {
    return a == std::string_view(b);
  }
  friend bool operator==(const input_path& a, const char* b) noexcept {
    return a == std::string_view(b);
  }
  friend std::string operator+(const input_path& a, std::string_view b) {
    std::string s = a.str();
    s.append(b);
    return s;
  }
  friend std::string operator+(const input_path& a, const std::string& b) {
    return a + std::string_view(b);
  }
  friend std::string operator+(const input_path& a, const char* b) {
    return a + std::string_view(b);
  }
  friend std::string operator+(std::string a, const input_path& b) {
    b.append_to(a);
    return a;
  }
  friend std::string operator+(const char* a, const input_path& b) { return std::string(a) + b; }
  friend std::ostream& operator<<(std::ostream& os, const input_path& p) {
    return os << p.folder_part() << p.name_part();
  }

 private:
  friend class path_names;
  struct folder;
  // A name is kept as its length (4 bytes) then its characters.
  static std::string_view read_name(const char* at) noexcept;
  void release() noexcept;
  folder* folder_ = nullptr;      // null: `name_` is the whole path, owned by this
  const char* name_ = nullptr;    // in the folder's name store, or owned
};

// Where one walk's folders and file names are kept; a path made here keeps
// what it points at alive (the store lives as long as any of its paths).
class path_names {
 public:
  path_names();
  // A folder: `prefix` is what goes before its files' names.
  input_path folder(std::string prefix);
  // The path of `name` in `dir` (a path folder() gave); the name is kept here.
  input_path in_folder(const input_path& dir, std::string_view name);
  // The same in two steps, for a list that holds many names before it makes
  // their paths: keep() returns where the name is (8 bytes), path_of() the
  // path, name_of() the name.
  using kept_name = const char*;
  static kept_name keep(const input_path& dir, std::string_view name);
  static input_path path_of(const input_path& dir, kept_name name);
  static std::string_view name_of(kept_name name) noexcept { return input_path::read_name(name); }

 private:
  friend class input_path;
  struct store;
  std::shared_ptr<store> store_;
};

}  // namespace migsleuth
