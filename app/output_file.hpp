// Every report, JSONL stream, summary and database migsleuth writes goes
// through here, so that
//   - a write that did not happen (full disk, quota, /dev/full, a closed pipe)
//     is an error with the OS's reason and exit code 4 (kExitWriteFailed),
//     never a silent exit 0;
//   - a file is replaced only by a complete one: it is written under a
//     temporary name in its own folder and renamed onto PATH by commit(); a
//     failure removes the temporary and leaves whatever was at PATH untouched.
// SECURITY.md "Output integrity" describes the guarantees.
#pragma once

#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace migsleuth::app {

// A buffered stream buffer over a file descriptor. It remembers the errno of
// the first write that failed and, from then on, takes nothing more (the
// std::ostream on it goes bad), so a writer can stop early.
class fd_buffer : public std::streambuf {
 public:
  explicit fd_buffer(int fd);
  void reset(int fd);
  int error() const noexcept { return error_; }
  // Writes out what is buffered; false (error() set) if any write failed.
  bool drain();

 protected:
  int_type overflow(int_type ch) override;
  int sync() override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;

 private:
  bool write_all(const char* p, std::size_t n);
  int fd_;
  int error_ = 0;
  std::vector<char> buf_;
};

// One output: standard output ("-"), or a PATH.
//  - PATH absent or a regular file (through symlinks: the link stays a link):
//    a temporary sibling `.NAME.migsleuth-tmp-XXXX` is created (O_EXCL, mode
//    0666 & ~umask) and renamed onto PATH by commit().
//  - PATH an existing device, FIFO or socket (/dev/null, /dev/stdout, a
//    named pipe): written in place; there is nothing to rename onto.
class output_file {
 public:
  enum class mode {
    stream,     // written by us through stream()
    path_only,  // a library writes temp_path() itself (SQLite); only regular files
  };
  // Null with `error` set to "cannot write PATH: reason" when it cannot be opened.
  static std::unique_ptr<output_file> open(const std::string& path, std::string& error,
                                           mode m = mode::stream);
  ~output_file();  // not committed: the temporary (and its SQLite siblings) removed
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;

  std::ostream& stream() { return stream_; }
  const std::string& path() const noexcept { return path_; }        // as given
  const std::string& temp_path() const noexcept { return temp_; }   // path_only
  bool is_stdout() const noexcept { return path_ == "-"; }
  // The errno of the first failed write so far (0 if none).
  int error_number() const noexcept {
    return commit_error_ != 0 ? commit_error_ : buffer_.error();
  }

  // Flushes and checks; for a file also fsync, close and rename onto PATH.
  // False with the errno in error_number() (the temporary is then removed).
  bool commit();
  // After commit() or a stream failure: "cannot write PATH: reason".
  std::string failure() const;

 private:
  output_file(std::string path, mode m);
  void discard() noexcept;
  void fail(int err) noexcept;

  std::string path_;    // as given ("-" = standard output)
  std::string target_;  // what the temporary is renamed onto (symlinks resolved)
  std::string temp_;    // empty when written in place
  mode mode_;
  int fd_ = -1;
  int commit_error_ = 0;
  bool committed_ = false;
  fd_buffer buffer_;
  std::ostream stream_;
};

// Prints `error: cannot write PATH: reason` (nothing for EPIPE on standard
// output: the reader, e.g. `| head`, chose to stop) and returns kExitWriteFailed.
int report_write_failure(const output_file& out);
int report_write_failure(const std::string& path, int err);

// Writes `text` to standard output at once (after whatever stdio holds);
// kExitOk, or kExitWriteFailed with the message printed.
int write_stdout(std::string_view text);

// The last check of every command: stdio's stdout flushed with no error
// recorded. Returns rc, or kExitWriteFailed (with the message) if it failed.
int finish_stdout(int rc);

}  // namespace migsleuth::app
