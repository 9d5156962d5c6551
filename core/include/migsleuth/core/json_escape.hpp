// The one JSON string escaper: the report, scan's JSONL and SQLite text, and
// preflight's JSON all write strings through it, so invalid UTF-8 becomes
// U+FFFD (the output stays valid JSON) and bidi controls are escaped everywhere.
#pragma once

#include <string>
#include <string_view>

namespace migsleuth {

// Appends the body of a JSON string (no quotes) for `s`.
void append_json_escaped(std::string& out, std::string_view s);

}  // namespace migsleuth
