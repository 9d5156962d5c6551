// libFuzzer target: one input kind's parser on arbitrary bytes. Built once per
// kind (MIGSLEUTH_FUZZ_KIND names it); the only assertion is that parsing
// returns, under ASan + UBSan.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "migsleuth/parsers/parse.hpp"

namespace {

const std::shared_ptr<const migsleuth::parsers::shape_set>& shapes() {
  static const auto kShapes = [] {
    migsleuth::diags errors;
    return migsleuth::parsers::shape_set::load({}, errors);
  }();
  return kShapes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  migsleuth::input_kind kind{};
  if (!migsleuth::parse_input_kind(MIGSLEUTH_FUZZ_KIND, kind)) __builtin_trap();
  migsleuth::parsers::line_context ctx;
  ctx.host = "fuzz";
  ctx.file_name = "instance-00000001.log";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = migsleuth::parsers::parse_text(kind, text, shapes(), ctx);
  if (result.skipped_lines > result.lines) __builtin_trap();
  return 0;
}
