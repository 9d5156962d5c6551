// Small helpers over simdjson's ondemand API (3.0.1), shared by the parsers of
// JSON inputs (oslo.log JSON records, openstack -f json outputs, QEMU replies
// in libvirtd logs) and by ingest's unwrapping of journal and pod logs; its
// source is in parsers/common/. Everything returns an error flag; nothing throws.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace migsleuth::parsers::json {

// The text of a value: strings unescaped, numbers and booleans as written,
// objects and arrays as their raw JSON, null as "". False if malformed.
bool value_text(simdjson::ondemand::value v, std::string& out) noexcept;

// A number (integer or float) as a double. False if not a number.
bool value_number(simdjson::ondemand::value v, double& out) noexcept;

// End (one past the closing bracket) of the JSON object or array that starts
// at `text[0]` ('{' or '['), honouring strings and escapes; npos if it never closes.
std::size_t object_end(std::string_view text) noexcept;

// Tracks brace depth across the lines of a pretty-printed JSON document, so a
// line feeder can tell where one top-level record ends.
class depth_tracker {
 public:
  // Feeds one line; returns true when the depth returned to zero in it.
  bool feed(std::string_view line) noexcept;
  // Feeds one character (strings and their escapes followed); true when it
  // closes the outermost bracket.
  bool step(char c) noexcept;
  [[nodiscard]] bool inside() const noexcept { return depth_ > 0; }
  void reset() noexcept { *this = depth_tracker{}; }

 private:
  std::int64_t depth_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
};

}  // namespace migsleuth::parsers::json
