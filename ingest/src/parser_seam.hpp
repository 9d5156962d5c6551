// What ingest takes from the parsers, all of it through their public headers,
// under the names the ingest sources use inside migsleuth::ingest:
// - make a parser for an input kind and feed it lines (parse.hpp);
// - read a large nova-compute text log in ranges and merge them (nova_ranges.hpp);
// - recognise oslo.log and syslog headers and capture framing lines, to probe
//   kinds, cut files at record starts, unwrap pod logs and date sosreports
//   (oslo_header.hpp, capture_lines.hpp);
// - json_text.hpp's `json::` helpers (included where used: it brings simdjson).
#pragma once

#include "migsleuth/parsers/capture_lines.hpp"
#include "migsleuth/parsers/nova_ranges.hpp"
#include "migsleuth/parsers/oslo_header.hpp"
#include "migsleuth/parsers/parse.hpp"

namespace migsleuth::parsers::json {}

namespace migsleuth::ingest {

using parsers::line_context;
using parsers::line_parser;
using parsers::make_parser;
using parsers::parse_result;
using parsers::shape_set;

using parsers::make_nova_log_range_parser;
using parsers::nova_log_is_text;
using parsers::nova_range_result;
using parsers::range_memory;

using parsers::parse_date_line;
using parsers::parse_oslo_header;
using parsers::parse_virsh_command;
using parsers::strip_syslog_prefix;

namespace json = parsers::json;

}  // namespace migsleuth::ingest
