// Kind detection: path patterns AND a bounded content probe (lnav's
// RETRY_MATCH_SIZE idea). A file whose name says one thing and whose content
// another becomes `unrecognized`, with the reason.
#pragma once

#include <string>
#include <string_view>

#include "migsleuth/core/input.hpp"

namespace migsleuth::parsers {
class parsed_headers;
}

namespace migsleuth::ingest {

struct detection {
  input_kind kind = input_kind::unrecognized;
  std::string reason;
};

// `path` is the file's path (compression suffixes allowed); `head` is up to
// the first 64 KiB of its (decompressed) content. `parsed`, when given,
// keeps the oslo.log headers the probe parsed, for the parser fed `head`.
detection detect_kind(std::string_view path, std::string_view head,
                      parsers::parsed_headers* parsed = nullptr);

}  // namespace migsleuth::ingest
