# One INTERFACE target carries the warning set; never touch CMAKE_CXX_FLAGS.
add_library(migsleuth_warnings INTERFACE)
target_compile_options(migsleuth_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast
  $<$<BOOL:${MIGSLEUTH_WERROR}>:-Werror>)
