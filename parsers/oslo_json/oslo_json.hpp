// oslo.log JSON records (nova `use_json = True`, evidence FMT-14) and the
// nova-compute router that sends each line of a nova-compute input to the
// JSON or the text parser. Private to parsers/.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <utility>

#include "migsleuth/parsers/json_text.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "nova_compute/identity_tracker.hpp"
#include "nova_compute/listing_memory.hpp"

namespace migsleuth::parsers {

class oslo_json_parser final : public line_parser {
 public:
  oslo_json_parser(std::shared_ptr<const shape_set> shapes, line_context ctx);
  ~oslo_json_parser() override;
  oslo_json_parser(const oslo_json_parser&) = delete;
  oslo_json_parser& operator=(const oslo_json_parser&) = delete;

  void feed_line(std::string_view line, std::uint32_t line_no) override;
  void drain(std::vector<event>& out) override;
  parse_result finish() override;

  // True while a pretty-printed record is open: its next lines are ours.
  [[nodiscard]] bool inside_record() const noexcept { return depth_.inside(); }

 private:
  void parse_pending(std::string_view json_text);
  void remember_listing(event ev);

  std::shared_ptr<const shape_set> shapes_;
  const std::vector<const shape_entry*>& shape_list_;  // shapes_->for_kind
  line_context ctx_;
  std::unique_ptr<simdjson::ondemand::parser> parser_;
  parse_result result_;
  identity_tracker ids_;
  listing_memory listings_;
  json::depth_tracker depth_;
  std::string pending_;
  std::uint64_t pending_lines_ = 0;
  std::uint32_t pending_first_ = 0;
  std::uint32_t anchor_line_ = 0;
  std::string anchor_text_;
};

}  // namespace migsleuth::parsers
