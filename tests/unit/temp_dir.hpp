// A fresh folder under $TMPDIR for one test, removed with all it holds when
// the test ends (even a test that made part of it unreadable).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

namespace migsleuth::test {

class temp_dir {
 public:
  explicit temp_dir(std::string_view tag) {
    std::string tpl =
        (std::filesystem::temp_directory_path() / ("migsleuth-" + std::string(tag) + "-XXXXXX"))
            .string();
    path = ::mkdtemp(tpl.data());
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::permissions(path, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  // Writes `text` at `rel` below the folder, making the folders between.
  std::filesystem::path write(const std::string& rel, std::string_view text) const {
    const std::filesystem::path p = path / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
    return p;
  }

  std::filesystem::path path;
};

// The whole of the file at `p` (empty when it cannot be read).
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `data` at `p`, making the folders between (any path, not only a
// temp_dir's own relative ones).
inline void write_file(const std::filesystem::path& p, std::string_view data) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
}

}  // namespace migsleuth::test
