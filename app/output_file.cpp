#include "output_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include "commands.hpp"

namespace migsleuth::app {
namespace {

constexpr std::size_t kBufferBytes = 64 * 1024;
// SQLite keeps these next to a database; a stale -wal beside a new file would
// be replayed into it, so they go with the file they belong to.
constexpr const char* kSqliteSiblings[] = {"-wal", "-shm", "-journal"};

std::string display(const std::string& path) { return path == "-" ? "standard output" : path; }

std::string message(const std::string& path, int err) {
  return fmt::format("cannot write {}: {}", display(path), std::strerror(err));
}

// `.NAME.migsleuth-tmp-<pid>-<random>` beside `target`: same folder, hence the
// same file system, so rename() is atomic; a dot-name so a listing hides it.
std::string temp_name(const std::string& target) {
  static std::mt19937_64 rng{std::random_device{}()};
  const std::filesystem::path t(target);
  const std::string name = fmt::format(".{}.migsleuth-tmp-{}-{:08x}", t.filename().string(),
                                       ::getpid(), rng() & 0xffffffffU);
  return (t.parent_path() / name).string();
}

void remove_if_regular(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) ::unlink(path.c_str());
}

}  // namespace

// ---- fd_buffer --------------------------------------------------------------

fd_buffer::fd_buffer(int fd) : fd_(fd), buf_(kBufferBytes) {
  setp(buf_.data(), buf_.data() + buf_.size());
}

void fd_buffer::reset(int fd) {
  fd_ = fd;
  error_ = 0;
  setp(buf_.data(), buf_.data() + buf_.size());
}

bool fd_buffer::write_all(const char* p, std::size_t n) {
  while (n > 0 && error_ == 0) {
    const ssize_t w = ::write(fd_, p, n);
    if (w < 0 && errno == EINTR) continue;  // ^C during scan: its handler asks for a clean stop
    if (w <= 0) {
      error_ = w < 0 ? errno : EIO;
      break;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return error_ == 0;
}

bool fd_buffer::drain() {
  const auto pending = static_cast<std::size_t>(pptr() - pbase());
  if (error_ == 0 && pending > 0) write_all(pbase(), pending);
  setp(buf_.data(), buf_.data() + buf_.size());
  return error_ == 0;
}

fd_buffer::int_type fd_buffer::overflow(int_type ch) {
  if (!drain()) return traits_type::eof();
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  *pptr() = traits_type::to_char_type(ch);
  pbump(1);
  return ch;
}

int fd_buffer::sync() { return drain() ? 0 : -1; }

std::streamsize fd_buffer::xsputn(const char* s, std::streamsize n) {
  if (error_ != 0 || n <= 0) return 0;
  const auto size = static_cast<std::size_t>(n);
  if (size <= static_cast<std::size_t>(epptr() - pptr())) {
    std::memcpy(pptr(), s, size);
    pbump(static_cast<int>(n));
    return n;
  }
  if (!drain()) return 0;
  if (size >= buf_.size()) return write_all(s, size) ? n : 0;
  std::memcpy(pptr(), s, size);
  pbump(static_cast<int>(n));
  return n;
}

// ---- output_file ------------------------------------------------------------

output_file::output_file(std::string path, mode m)
    : path_(std::move(path)), mode_(m), buffer_(-1), stream_(&buffer_) {}

std::unique_ptr<output_file> output_file::open(const std::string& path, std::string& error,
                                               mode m) {
  std::unique_ptr<output_file> f(new output_file(path, m));
  if (path == "-") {
    std::fflush(stdout);  // whatever stdio holds goes first
    f->fd_ = STDOUT_FILENO;
    f->buffer_.reset(f->fd_);
    return f;
  }
  struct stat st {};
  f->target_ = path;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      error = message(path, EISDIR);
      return nullptr;
    }
    if (!S_ISREG(st.st_mode)) {
      // A device or FIFO has no folder of its own to hold a temporary, and
      // renaming onto /dev/null would replace the device itself.
      if (m == mode::path_only) {
        error = fmt::format("cannot write {}: not a regular file; give a database path", path);
        return nullptr;
      }
      f->fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
      if (f->fd_ < 0) {
        error = message(path, errno);
        return nullptr;
      }
      f->buffer_.reset(f->fd_);
      return f;
    }
    std::error_code ec;
    const auto real = std::filesystem::canonical(path, ec);
    if (!ec) f->target_ = real.string();
  } else if (errno != ENOENT) {
    error = message(path, errno);
    return nullptr;
  }
  for (int attempt = 0; attempt < 100 && f->fd_ < 0; ++attempt) {
    f->temp_ = temp_name(f->target_);
    // 0666 & ~umask: the mode any program's new file gets.
    f->fd_ = ::open(f->temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (f->fd_ < 0 && errno != EEXIST) {
      error = message(path, errno);
      f->temp_.clear();
      return nullptr;
    }
  }
  if (f->fd_ < 0) {
    error = message(path, EEXIST);
    f->temp_.clear();
    return nullptr;
  }
  if (m == mode::path_only) {
    ::close(f->fd_);  // the library opens temp_path() itself
    f->fd_ = -1;
  }
  f->buffer_.reset(f->fd_);
  return f;
}

output_file::~output_file() {
  if (!committed_) discard();
}

void output_file::discard() noexcept {
  if (fd_ >= 0 && fd_ != STDOUT_FILENO) ::close(fd_);
  if (fd_ != STDOUT_FILENO) fd_ = -1;
  if (temp_.empty()) return;
  ::unlink(temp_.c_str());
  if (mode_ == mode::path_only) {
    for (const char* s : kSqliteSiblings) remove_if_regular(temp_ + s);
  }
  temp_.clear();
}

void output_file::fail(int err) noexcept {
  commit_error_ = err;
  discard();
}

bool output_file::commit() {
  if (committed_) return commit_error_ == 0;
  committed_ = true;
  if (mode_ == mode::stream) {
    stream_.flush();
    if (!buffer_.drain()) {
      fail(buffer_.error());
      return false;
    }
  }
  if (is_stdout()) return true;  // flushed; standard output stays open
  if (fd_ >= 0) {
    // fsync: a delayed error (NFS, quota) shows here and not after the rename.
    // Devices and pipes (written in place) may not support it: EINVAL/EROFS.
    if (::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS) {
      fail(errno);
      return false;
    }
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0 && errno != EINTR) {
      fail(errno);
      return false;
    }
  }
  if (temp_.empty()) return true;  // written in place
  if (mode_ == mode::path_only) {
    for (const char* s : kSqliteSiblings) remove_if_regular(target_ + s);
  }
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    fail(errno);
    return false;
  }
  if (mode_ == mode::path_only) {
    for (const char* s : kSqliteSiblings) remove_if_regular(temp_ + s);
  }
  temp_.clear();
  return true;
}

std::string output_file::failure() const {
  const int err = commit_error_ != 0 ? commit_error_ : buffer_.error();
  return message(path_, err != 0 ? err : EIO);
}

int report_write_failure(const std::string& path, int err) {
  if (!(path == "-" && err == EPIPE)) {
    fmt::print(stderr, "error: {}\n", message(path, err != 0 ? err : EIO));
  }
  return kExitWriteFailed;
}

int report_write_failure(const output_file& out) {
  const int err = out.error_number();
  if (out.is_stdout() && err == EPIPE) return kExitWriteFailed;
  fmt::print(stderr, "error: {}\n", out.failure());
  return kExitWriteFailed;
}

int write_stdout(std::string_view text) {
  std::string error;
  const auto out = output_file::open("-", error);
  out->stream().write(text.data(), static_cast<std::streamsize>(text.size()));
  return out->commit() ? kExitOk : report_write_failure(*out);
}

int finish_stdout(int rc) {
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  const int err = errno;
  if (flushed && std::ferror(stdout) == 0) return rc;
  return report_write_failure("-", flushed || err == 0 ? EIO : err);
}

}  // namespace migsleuth::app
