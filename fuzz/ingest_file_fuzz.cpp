// libFuzzer target: the whole ingest path (magic-byte decompression, archive
// walking when present, kind probe, parsing) on one arbitrary file. Bounded
// by small limits so a bomb is cut quickly.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "migsleuth/ingest/ingest.hpp"
#include "migsleuth/parsers/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto kShapes = [] {
    migsleuth::diags errors;
    return migsleuth::parsers::shape_set::load({}, errors);
  }();
  static const std::string kDir = [] {
    char tpl[] = "/tmp/migsleuth-fuzz-XXXXXX";
    const char* made = ::mkdtemp(tpl);
    return std::string(made == nullptr ? "/tmp" : made);
  }();
  const std::string path = kDir + "/nova-compute.log";
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  migsleuth::ingest::ingest_options opt;
  opt.paths = {kDir};
  opt.max_decompressed_bytes = 8U << 20;
  opt.max_line_bytes = 64U << 10;
  (void)migsleuth::ingest::ingest(opt, kShapes);
  return 0;
}
