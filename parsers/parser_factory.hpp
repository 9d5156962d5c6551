// Constructors of the per-kind parsers (private to parsers/).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "migsleuth/parsers/nova_ranges.hpp"
#include "migsleuth/parsers/parse.hpp"

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
// The text parser on its own, for a range (the router's text half; the
// range seam itself is public: migsleuth/parsers/nova_ranges.hpp).
std::unique_ptr<nova_range_parser> make_nova_compute_range_parser(
    std::shared_ptr<const shape_set> shapes, line_context ctx);

// Counts lines and keeps nothing: for kinds with no parser yet and unrecognized files.
std::unique_ptr<line_parser> make_counting_parser();

}  // namespace migsleuth::parsers
