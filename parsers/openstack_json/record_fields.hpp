// One record of an `openstack -f json` output, with its keys mapped to the
// value names events carry. The CLI's display headers ("Source Compute"), the
// API's names ("source_compute") and the SDK's ("compute_host") all map to one
// name, so a capture made with another client version reads the same.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/input.hpp"

namespace migsleuth::parsers {

class record_fields {
 public:
  explicit record_fields(input_kind kind) : kind_(kind) {}

  // One key of the record and its value's text (raw JSON for objects/arrays).
  void add(std::string_view key, std::string value, std::uint32_t line);

  // The record is an API/CLI error body ({"error": ...}, {"itemNotFound": ...}).
  [[nodiscard]] bool tool_error() const noexcept { return !error_.empty(); }
  [[nodiscard]] const std::string& error_text() const noexcept { return error_; }

  // The line the record is cited by: the key that says what the record is
  // about (a migration's status; a server's fault, ERROR status or device
  // flavor; a port's vnic type; cpu_info), else the one that identifies it
  // (id, Id); 0 when neither was seen.
  [[nodiscard]] std::uint32_t anchor_line() const noexcept { return anchor_line_; }
  // That key as written ("Status") and its value ("error"; empty for an
  // object or a value too long to show beside the line).
  [[nodiscard]] const std::string& anchor_key() const noexcept { return anchor_key_; }
  [[nodiscard]] const std::string& anchor_value() const noexcept { return anchor_value_; }
  // "migration 4412", "server <uuid>", "port <id>", "hypervisor <name>".
  [[nodiscard]] std::string record_name() const;

  // kind, instance, domain, time, level, message and values; the caller adds
  // source, host and where.
  [[nodiscard]] event to_event() const;

 private:
  void add_cpu_info(std::string_view json_text);
  void add_fault(std::string_view json_text);
  void add_flavor(std::string_view json_text);
  void add_extra_specs(std::string_view json_text);
  void put(std::string_view name, std::string value);

  input_kind kind_;
  fields values_;
  std::string error_;
  std::uint32_t anchor_line_ = 0;
  int anchor_rank_ = 0;  // how well the anchor's key says what the record is about
  std::string anchor_key_;
  std::string anchor_value_;
};

}  // namespace migsleuth::parsers
