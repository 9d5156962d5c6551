// What the two readers of libarchive's data blocks share: a tar member's
// bytes (archive_reader.cpp) and a raw-decompressed stream (decoders.cpp).
#pragma once

#include <archive.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>

namespace migsleuth::ingest {

inline std::string archive_message(archive* a) {
  const char* m = archive_error_string(a);
  return m != nullptr ? std::string(m) : std::string("unknown libarchive error");
}

// The unread rest of the block archive_read_data_block() gave last.
struct block_cursor {
  const char* at = nullptr;
  std::size_t left = 0;
};

// Fills buf[0, n) across blocks, which are often far smaller than `n` (the
// line reader pays per call). `next_block()` makes the next block current in
// `cur` and returns false once there is none; the count is short only then.
template <class NextBlock>
std::size_t fill_from_blocks(char* buf, std::size_t n, block_cursor& cur, NextBlock next_block) {
  std::size_t got = 0;
  while (got < n) {
    if (cur.left == 0) {
      if (!next_block()) break;
      continue;
    }
    const std::size_t k = std::min(n - got, cur.left);
    std::memcpy(buf + got, cur.at, k);
    cur.at += k;
    cur.left -= k;
    got += k;
  }
  return got;
}

}  // namespace migsleuth::ingest
