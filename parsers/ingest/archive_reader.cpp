#include "ingest/archive_reader.hpp"

#include "ingest/gzip_source.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstring>

namespace migsleuth::parsers {

constexpr std::size_t kFeedBytes = 64U << 10;

// What libarchive's read callback pulls from: one of our byte streams.
struct tar_reader::feed {
  byte_source* source = nullptr;
  std::vector<char> buffer = std::vector<char>(kFeedBytes);
};

namespace {

la_ssize_t pull(archive* /*a*/, void* client, const void** out) {
  auto* f = static_cast<tar_reader::feed*>(client);
  *out = f->buffer.data();
  return static_cast<la_ssize_t>(f->source->read(f->buffer.data(), f->buffer.size()));
}

std::string archive_message(archive* a) {
  const char* m = archive_error_string(a);
  return m != nullptr ? std::string(m) : std::string("unknown libarchive error");
}

// The bytes of the current entry of `a`, as a byte_source.
class entry_source final : public byte_source {
 public:
  entry_source(archive* a, std::uint64_t limit, compression packing)
      : archive_(a), limit_(limit) {
    packing_ = packing;
  }
  std::size_t read(char* buf, std::size_t n) override {
    if (done_) return 0;
    const la_ssize_t got = archive_read_data(archive_, buf, n);
    if (got < 0) {
      error_ = archive_message(archive_) + " (lines read so far are kept)";
      done_ = true;
      return 0;
    }
    if (got == 0) done_ = true;
    total_ += static_cast<std::uint64_t>(got);
    if (total_ > limit_) {
      error_ = "decompressed size exceeds the limit of " + std::to_string(limit_) +
               " bytes (--max-decompressed); the rest of the member was not read";
      done_ = true;
      return 0;
    }
    return static_cast<std::size_t>(got);
  }

 private:
  archive* archive_;
  std::uint64_t limit_;
  std::uint64_t total_ = 0;
  bool done_ = false;
};

// Owns a libarchive "raw" reader: one entry, the decompressed stream.
class raw_source final : public byte_source {
 public:
  raw_source(archive* a, std::unique_ptr<tar_reader::feed> f, std::uint64_t limit,
             compression c)
      : archive_(a), feed_(std::move(f)), data_(a, limit, c) {
    packing_ = c;
  }
  ~raw_source() override { archive_read_free(archive_); }
  raw_source(const raw_source&) = delete;
  raw_source& operator=(const raw_source&) = delete;
  std::size_t read(char* buf, std::size_t n) override {
    const std::size_t got = data_.read(buf, n);
    if (got == 0 && error_.empty()) error_ = data_.error();
    return got;
  }

 private:
  archive* archive_;
  std::unique_ptr<tar_reader::feed> feed_;
  entry_source data_;
};

}  // namespace

bool looks_like_tar(std::string_view head) noexcept {
  return head.size() >= 512 && head.substr(257, 5) == "ustar";
}

replay_source::replay_source(std::string head, byte_source& rest)
    : head_(std::move(head)), rest_(rest) {
  packing_ = rest.packing();
}

std::size_t replay_source::read(char* buf, std::size_t n) {
  if (pos_ < head_.size()) {
    const std::size_t k = std::min(n, head_.size() - pos_);
    std::memcpy(buf, head_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  const std::size_t got = rest_.read(buf, n);
  if (got == 0) error_ = rest_.error();
  return got;
}

tar_reader::tar_reader(byte_source& upstream)
    : feed_(std::make_unique<feed>()), archive_(archive_read_new()) {
  feed_->source = &upstream;
  // Formats only, no filters: the bytes are already decompressed (by magic)
  // and a tar header was seen in them.
  archive_read_support_format_tar(archive_);
  archive_read_support_format_gnutar(archive_);
  if (archive_read_open(archive_, feed_.get(), nullptr, pull, nullptr) != ARCHIVE_OK) {
    open_error_ = archive_message(archive_);
  }
}

tar_reader::~tar_reader() { archive_read_free(archive_); }

tar_reader::step tar_reader::next() {
  member_.reset();
  if (!open_error_.empty()) return step::error;
  const int r = archive_read_next_header(archive_, &entry_);
  if (r == ARCHIVE_EOF) return step::end;
  if (r < ARCHIVE_WARN) return step::error;  // ARCHIVE_WARN: a header quirk, the entry is fine
  member_ = std::make_unique<entry_source>(archive_, ~std::uint64_t{0}, compression::none);
  return step::member;
}

std::string tar_reader::error() const {
  std::string why = open_error_.empty() ? archive_message(archive_) : open_error_;
  const std::string& up = feed_->source->error();
  if (!up.empty()) why += "; " + up;
  return why;
}

std::unique_ptr<byte_source> decompress_stream(byte_source& upstream, compression c,
                                               std::uint64_t limit, std::string& error) {
  // gzip by ISA-L when built with it: ~1.5x libarchive's zlib (HACKING.md).
  if (c == compression::gzip && have_isal_gzip()) {
    return isal_gzip_source(upstream, limit, "member");
  }
  archive* a = archive_read_new();
  int r = ARCHIVE_FATAL;
  switch (c) {
    case compression::gzip: r = archive_read_support_filter_gzip(a); break;
    case compression::bzip2: r = archive_read_support_filter_bzip2(a); break;
    case compression::xz: r = archive_read_support_filter_xz(a); break;
    case compression::zstd: r = archive_read_support_filter_zstd(a); break;
    case compression::none: break;
  }
  // ARCHIVE_WARN means libarchive would run an external program: never.
  if (r != ARCHIVE_OK) {
    error = std::string("no built-in ") + std::string(to_string(c)) + " decoder in libarchive";
    archive_read_free(a);
    return nullptr;
  }
  archive_read_support_format_raw(a);
  auto f = std::make_unique<tar_reader::feed>();
  f->source = &upstream;
  archive_entry* e = nullptr;
  if (archive_read_open(a, f.get(), nullptr, pull, nullptr) != ARCHIVE_OK ||
      archive_read_next_header(a, &e) < ARCHIVE_WARN) {
    error = "cannot decompress (" + std::string(to_string(c)) + "): " + archive_message(a);
    archive_read_free(a);
    return nullptr;
  }
  return std::make_unique<raw_source>(a, std::move(f), limit, c);
}

}  // namespace migsleuth::parsers
