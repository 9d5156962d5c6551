#include "archive_reader.hpp"

#include "decoders.hpp"
#include "libarchive_blocks.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstring>

namespace migsleuth::ingest {

constexpr std::size_t kFeedBytes = 64U << 10;

// What libarchive's read callback pulls from: one of our byte streams.
// libarchive needs a pulled block only until it pulls the next one, so a
// decoded stream lends its own unit (read_view) instead of a copy.
struct tar_reader::feed {
  byte_source* source = nullptr;
  std::string scratch;  // for sources that hold no bytes of their own
};

namespace {

la_ssize_t pull(archive* /*a*/, void* client, const void** out) {
  auto* f = static_cast<tar_reader::feed*>(client);
  const std::string_view got = f->source->read_view(kFeedBytes, f->scratch);
  *out = got.data();
  return static_cast<la_ssize_t>(got.size());
}

}  // namespace

// The bytes of the current entry of `a`, as a byte_source, block by block.
// A sparse tar member (GNU/pax sparse maps) has holes between its blocks:
// they are zeros and hold no line, so they are skipped, never produced, but
// still taken from the budget (a 234-byte archive can claim a 1 TiB hole).
// The bytes themselves are the tar stream's, taken when it was decoded.
class entry_source final : public byte_source {
 public:
  entry_source(archive* a, work_budget* budget) : archive_(a), budget_(budget) {}
  // Fills `buf` across blocks, as archive_read_data did.
  std::size_t read(char* buf, std::size_t n) override {
    return fill_from_blocks(buf, n, block_, [this] {
      if (done_) return false;
      next_block();
      return true;
    });
  }
  // The rest of the current block, or the next one: libarchive's own memory
  // (the tar stream's pulled block), not copied.
  std::string_view read_view(std::size_t n, std::string& /*scratch*/) override {
    while (block_.left == 0) {
      if (done_) return {};
      next_block();
    }
    const std::size_t k = std::min(n, block_.left);
    const std::string_view view(block_.at, k);
    block_.at += k;
    block_.left -= k;
    return view;
  }
  [[nodiscard]] std::uint64_t hole_bytes() const noexcept { return holes_; }

 private:
  void next_block() {
    const void* block = nullptr;
    std::size_t size = 0;
    la_int64_t offset = 0;
    const int r = archive_read_data_block(archive_, &block, &size, &offset);
    if (r == ARCHIVE_EOF) {
      done_ = true;
      return;
    }
    if (r < ARCHIVE_WARN || offset < 0 || static_cast<std::uint64_t>(offset) < position_) {
      error_ = (r < ARCHIVE_WARN ? archive_message(archive_)
                                 : std::string("the member's sparse map goes backwards")) +
               " (lines read so far are kept)";
      done_ = true;
      return;
    }
    const std::uint64_t hole = static_cast<std::uint64_t>(offset) - position_;
    if (hole > 0 && budget_ != nullptr && !budget_->take_bytes(hole)) {
      error_ = budget_->why() + "; the rest of the member was not read";
      done_ = true;
      return;
    }
    holes_ += hole;
    position_ = static_cast<std::uint64_t>(offset) + size;
    block_ = {static_cast<const char*>(block), size};
  }

  archive* archive_;
  work_budget* budget_;
  block_cursor block_;
  std::uint64_t position_ = 0;  // offset in the entry after the current block
  std::uint64_t holes_ = 0;
  bool done_ = false;
};

bool looks_like_tar(std::string_view head) noexcept {
  return head.size() >= 512 && head.substr(257, 5) == "ustar";
}

replay_source::replay_source(std::string head, byte_source& rest)
    : head_(std::move(head)), rest_(rest) {
  packing_ = rest.packing();
}

std::string_view replay_source::read_view(std::size_t n, std::string& scratch) {
  if (pos_ < head_.size()) {
    const std::size_t k = std::min(n, head_.size() - pos_);
    const std::string_view view(head_.data() + pos_, k);
    pos_ += k;
    return view;
  }
  const std::string_view got = rest_.read_view(n, scratch);
  if (got.empty()) error_ = rest_.error();
  return got;
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

tar_reader::tar_reader(byte_source& upstream, work_budget* budget)
    : feed_(std::make_unique<feed>()), archive_(archive_read_new()), budget_(budget) {
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
  member_ = std::make_unique<entry_source>(archive_, budget_);
  return step::member;
}

byte_source& tar_reader::data() noexcept { return *member_; }

std::uint64_t tar_reader::hole_bytes() const noexcept {
  return member_ ? member_->hole_bytes() : 0;
}

std::string tar_reader::error() const {
  std::string why = open_error_.empty() ? archive_message(archive_) : open_error_;
  const std::string& up = feed_->source->error();
  if (!up.empty()) why += "; " + up;
  return why;
}

std::unique_ptr<byte_source> decompress_stream(byte_source& upstream, compression c,
                                               work_budget& budget, std::string& error) {
  // On the reader's thread: the tar member under it is read by the same
  // thread that charges its sparse holes (decoders.hpp).
  return decode(nullptr, upstream, c, budget, "member", false, error);
}

}  // namespace migsleuth::ingest
