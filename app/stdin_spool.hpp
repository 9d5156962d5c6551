// `analyze -`: standard input as one input file. A pipe cannot be read twice
// or seeked, and ingest reads a file's head to tell its kind and may split a
// large log into ranges, so the bytes are copied once into an unlinked
// temporary file in $TMPDIR (nothing is left behind, whatever happens) and
// ingest reads it through /proc/self/fd/N, reporting it as "-".
#pragma once

#include <string>

namespace migsleuth::app {

class stdin_spool {
 public:
  stdin_spool() = default;
  stdin_spool(const stdin_spool&) = delete;
  stdin_spool& operator=(const stdin_spool&) = delete;
  ~stdin_spool();

  // Copies standard input; false with `why` when it is a terminal (nothing
  // was piped in) or cannot be read or stored.
  bool fill(std::string& why);
  // The path ingest opens ("" before fill()).
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace migsleuth::app
