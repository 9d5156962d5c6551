// Constructors of the per-kind parsers (private to parsers/).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "migsleuth/parsers/parse.hpp"
#include "nova_compute/identity_tracker.hpp"
#include "nova_compute/listing_memory.hpp"

namespace migsleuth::parsers {

// oslo.log text only (the router's text half).
std::unique_ptr<line_parser> make_nova_compute_parser(std::shared_ptr<const shape_set> shapes,
                                                      line_context ctx);
std::unique_ptr<line_parser> make_qemu_domain_parser(std::shared_ptr<const shape_set> shapes,
                                                     line_context ctx);
// nova-compute input: routes each line to the oslo.log text or JSON parser.
std::unique_ptr<line_parser> make_nova_log_parser(std::shared_ptr<const shape_set> shapes,
                                                  line_context ctx);
std::unique_ptr<line_parser> make_libvirtd_parser(std::shared_ptr<const shape_set> shapes,
                                                  line_context ctx);
std::unique_ptr<line_parser> make_domjobinfo_parser(line_context ctx);
// An unrecognised file's lines that ctx.fragment_filter accepts (fragment/).
std::unique_ptr<line_parser> make_fragment_parser(line_context ctx);
std::unique_ptr<line_parser> make_virsh_list_parser(line_context ctx);
// server-show, migration-list, cpu-info (hypervisor show) and port-show.
std::unique_ptr<line_parser> make_openstack_json_parser(input_kind kind, line_context ctx);
// One range of an oslo.log text file cut at a record start
// (ingest/split_file.cpp): what it gives before the ranges are merged.
struct nova_range_result {
  parse_result result;  // events in line order without the listings; no links
  listing_memory listings;
  identity_tracker ids = identity_tracker::recorder();      // its calls, for replay()
  bool saw_json = false;  // a JSON record line: only the whole file can be read right
};

class nova_range_parser : public line_parser {
 public:
  parse_result finish() override { return std::move(finish_range().result); }
  virtual nova_range_result finish_range() = 0;
};

// The text parser on its own, for a range.
std::unique_ptr<nova_range_parser> make_nova_compute_range_parser(
    std::shared_ptr<const shape_set> shapes, line_context ctx);
// The nova-compute router for a range of a file whose head it reads as text.
std::unique_ptr<nova_range_parser> make_nova_log_range_parser(
    std::shared_ptr<const shape_set> shapes, line_context ctx);
// True when the router reads the file with this head as oslo.log text (its
// first non-blank line is no JSON), as every range of it must be.
bool nova_log_is_text(std::string_view head);

// Counts lines and keeps nothing: for kinds with no parser yet and unrecognized files.
std::unique_ptr<line_parser> make_counting_parser();

}  // namespace migsleuth::parsers
