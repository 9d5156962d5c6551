// `openstack ... -f json` outputs (evidence FMT-23..26): server show
// (server-show), server migration list/show (migration-list), hypervisor show
// (cpu-info) and port show (port-show). They are small whole-file JSON
// documents, so lines are collected (bounded) and parsed at finish(). One
// event per record, its values named the same whatever CLI/API spelling the
// file used ("Source Compute" / "source_compute"), so correlate can join
// migrations by id and domain names to instance UUIDs.
//
// `event.host` stays the host the file came from (attribution); the compute
// hosts a record names are values (`host`, `source_compute`, ...).
#include <algorithm>
#include <map>

#include "migsleuth/parsers/capture_lines.hpp"
#include "migsleuth/parsers/json_text.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "migsleuth/parsers/parse.hpp"
#include "openstack_json/record_fields.hpp"
#include "parser_factory.hpp"

namespace migsleuth::parsers {
namespace {

constexpr std::size_t kMaxDocumentBytes = 16U << 20;

using simdjson::ondemand::object;
using simdjson::ondemand::value;

class openstack_json_parser final : public line_parser {
 public:
  openstack_json_parser(input_kind kind, line_context ctx) : kind_(kind), ctx_(std::move(ctx)) {}

  void feed_line(std::string_view line, std::uint32_t) override {
    ++result_.lines;
    if (too_big_) return;
    if (doc_.size() + line.size() + 1 > kMaxDocumentBytes) {
      too_big_ = true;
      return;
    }
    line_starts_.push_back(doc_.size());
    doc_.append(line);
    doc_.push_back('\n');
  }

  parse_result finish() override {
    if (too_big_) {
      result_.skipped_lines = result_.lines;
      result_.warnings.push_back("larger than 16 MiB: not an `openstack -f json` output; skipped");
    } else if (!trim(doc_).empty()) {
      parse_document();
    }
    return std::move(result_);
  }

 private:
  void parse_document() {
    std::size_t pos = doc_.find_first_not_of(" \t\r\n");
    if (pos == std::string::npos) return;  // blank capture: nothing to read
    const char first = doc_[pos];
    if (first != '{' && first != '[') {
      // The CLI printed an error instead of JSON ("No server with a name or ID
      // of 'x' exists.", "Unknown Error (HTTP 503)"): say it, do not guess.
      result_.skipped_lines = result_.lines;
      result_.warnings.push_back("not JSON; the capture holds: " + first_line(trim(doc_)));
      return;
    }
    // Several documents may follow each other (one `server show` per server
    // appended to one file): parse each.
    while (pos != std::string::npos) {
      const std::string_view rest = std::string_view(doc_).substr(pos);
      const std::size_t len = json::object_end(rest);
      if (len == std::string_view::npos) {
        fail("the JSON document is cut");
        return;
      }
      if (!parse_one(pos, len)) return;
      pos = doc_.find_first_not_of(" \t\r\n", pos + len);
    }
  }

  bool parse_one(std::size_t start, std::size_t len) {
    try {
      simdjson::padded_string padded(std::string_view(doc_).substr(start, len));
      simdjson::ondemand::parser parser;
      simdjson::ondemand::document doc;
      if (auto e = parser.iterate(padded).get(doc); e != simdjson::SUCCESS) {
        return fail(simdjson::error_message(e));
      }
      base_ = padded.data();
      base_offset_ = start;
      simdjson::ondemand::json_type t{};
      if (doc.type().get(t) != simdjson::SUCCESS) return fail("unreadable JSON");
      if (t == simdjson::ondemand::json_type::array) {
        simdjson::ondemand::array items;
        if (doc.get_array().get(items) != simdjson::SUCCESS) return fail("unreadable JSON list");
        std::size_t index = 0;
        for (auto item : items) {
          object o;
          if (item.get_object().get(o) != simdjson::SUCCESS) {
            return fail("a list item is not an object");
          }
          if (!read_record(o, "[" + std::to_string(index++) + "].")) {
            return fail("malformed record");
          }
        }
        return true;
      }
      object o;
      if (doc.get_object().get(o) != simdjson::SUCCESS) return fail("not a JSON object");
      if (!read_record(o, "")) return fail("malformed record");
      return true;
    } catch (...) {
      return fail("out of memory");
    }
  }

  bool fail(std::string_view why) {
    result_.events.clear();
    result_.skipped_lines = result_.lines;
    result_.warnings.push_back("not a complete JSON document (" + std::string(why) +
                               "); first line: " + first_line(trim(doc_)));
    return false;
  }

  static std::string first_line(std::string_view s) {
    std::string out(trim(s.substr(0, s.find('\n'))));
    if (out.size() > 200) out.resize(200);
    return out;
  }

  // The 1-based line holding byte `offset` of the document.
  std::uint32_t line_of(std::size_t offset) const {
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    return static_cast<std::uint32_t>(it - line_starts_.begin());
  }

  std::string line_text(std::uint32_t line_no) const {
    if (line_no == 0 || line_no > line_starts_.size()) return {};
    const std::size_t start = line_starts_[line_no - 1];
    const std::size_t end = doc_.find('\n', start);
    return doc_.substr(start, end - start);
  }

  // `path` prefixes the record's keys in the cited key path: "[3]." for the
  // fourth record of a list, "" for a document that is one object.
  bool read_record(object o, const std::string& path) {
    record_fields rec(kind_);
    std::uint32_t first_line_no = 0;
    for (auto f : o) {
      simdjson::ondemand::field fld;
      std::string_view key;
      if (std::move(f).get(fld) != simdjson::SUCCESS) return false;
      const char* raw_key = fld.key().raw();
      if (fld.unescaped_key().get(key) != simdjson::SUCCESS) return false;
      value v = fld.value();
      const auto offset = base_offset_ + static_cast<std::size_t>(raw_key - base_);
      const std::uint32_t at = line_of(offset);
      if (first_line_no == 0) first_line_no = at;
      std::string text;
      if (!json::value_text(v, text)) return false;
      rec.add(key, std::move(text), at);
    }
    if (rec.tool_error()) {
      result_.warnings.push_back("the CLI returned an error instead of data: " + rec.error_text());
      return true;
    }
    event ev = rec.to_event();
    ev.source = kind_;
    ev.host = ctx_.host;
    const std::uint32_t anchor = rec.anchor_line() != 0 ? rec.anchor_line() : first_line_no;
    ev.where = {ctx_.input, anchor};
    ev.text = line_text(anchor);
    // What the cited line holds, for the human formats (core/verdict.hpp
    // cited_field); added after to_event() so the message rules read is unchanged.
    if (!rec.anchor_key().empty()) {
      ev.values.emplace_back(std::string(kCitedKeyPath), path + rec.anchor_key());
      if (!rec.anchor_value().empty()) {
        ev.values.emplace_back(std::string(kCitedValue), rec.anchor_value());
      }
      ev.values.emplace_back(std::string(kCitedRecord), rec.record_name());
    }
    cap_kept_text(ev);  // 8 KiB per line kept (core/event.hpp)
    result_.events.push_back(std::move(ev));
    return true;
  }

  input_kind kind_;
  line_context ctx_;
  parse_result result_;
  std::string doc_;
  std::vector<std::size_t> line_starts_;
  const char* base_ = nullptr;  // the parsed document's first byte ...
  std::size_t base_offset_ = 0;  // ... is this byte of doc_
  bool too_big_ = false;
};

}  // namespace

std::unique_ptr<line_parser> make_openstack_json_parser(input_kind kind, line_context ctx) {
  return std::make_unique<openstack_json_parser>(kind, std::move(ctx));
}

}  // namespace migsleuth::parsers
