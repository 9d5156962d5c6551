// `journalctl -o json` exports: one JSON object per line whose MESSAGE is the
// daemon's own line (nova's oslo record, libvirtd's, the kernel's). Each
// record is rewritten as the short-iso line journalctl would have printed,
// "2024-07-11T22:10:59.946512+0000 host ident[pid]: MESSAGE", and handed to
// the parser of the kind those lines are, so every reader of syslog-wrapped
// lines (nova-compute, libvirtd, the kernel's OOM lines) reads the export.
//
//   if (is_journal_json(head)) head = journal_head_as_text(head);  // detection
//   auto p = wrap_journal_json(make_parser(kind, ...));
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "parser_seam.hpp"

namespace migsleuth::ingest {

// The first non-blank line is a journal record (__REALTIME_TIMESTAMP and MESSAGE).
[[nodiscard]] bool is_journal_json(std::string_view head);

// The complete records of `head` rewritten as text lines (for kind detection).
[[nodiscard]] std::string journal_head_as_text(std::string_view head);

// A parser that rewrites each record and feeds the lines to `inner` under the
// record's line number; a line that is no journal record is counted as not
// understood. A MESSAGE that is not text (journald writes bytes as an array)
// is skipped the same way.
[[nodiscard]] std::unique_ptr<line_parser> wrap_journal_json(std::unique_ptr<line_parser> inner);

}  // namespace migsleuth::ingest
