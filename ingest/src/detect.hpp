// Kind detection: path patterns AND a bounded content probe (lnav's
// RETRY_MATCH_SIZE idea). A file whose name says one thing and whose content
// another becomes `unrecognized`, with the reason.
#pragma once

#include <string>
#include <string_view>

#include "migsleuth/core/input.hpp"

namespace migsleuth::ingest {

struct detection {
  input_kind kind = input_kind::unrecognized;
  std::string reason;
};

// `path` is the file's path (compression suffixes allowed); `head` is up to
// the first 64 KiB of its (decompressed) content.
detection detect_kind(std::string_view path, std::string_view head);

}  // namespace migsleuth::ingest
