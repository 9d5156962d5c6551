# One INTERFACE target carries the warning set; never touch CMAKE_CXX_FLAGS.
add_library(migsleuth_warnings INTERFACE)
target_compile_options(migsleuth_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast
  # GCC 12 reports -Wrestrict inside libstdc++'s std::string operator+ at -O2+
  # (GCC bug 105329, a false positive fixed in GCC 13).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
  $<$<BOOL:${MIGSLEUTH_WERROR}>:-Werror>)
