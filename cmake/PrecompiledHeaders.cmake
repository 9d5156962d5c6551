# Precompiled headers for the clang build (`make asan`: the sanitizer suite and
# the fuzzers): the standard headers every stage includes, and per target the
# big library headers it includes everywhere (Catch2 in the tests, CLI11 in
# the app), parsed once per target instead of once per file.
#
# On by default only for clang without a compiler launcher (CI):
# - ccache cannot reuse a result across a precompiled header it did not make,
#   so a developer's cached rebuild would get slower;
# - GCC 12 reports, through a precompiled header, its libstdc++ false positives
#   (memcpy bounds inside std::string: -Wstringop-overflow, -Warray-bounds, the
#   family of bug 105329) at our lines, where -Werror stops the build.
# Every file still includes what it uses: the GCC build, without it, is what
# catches a missing #include.
if(CMAKE_CXX_COMPILER_LAUNCHER OR NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_migsleuth_pch_default OFF)
else()
  set(_migsleuth_pch_default ON)
endif()
option(MIGSLEUTH_PCH "Precompile the common headers (default: on without a compiler launcher)"
       ${_migsleuth_pch_default})

set(MIGSLEUTH_PCH_STD
  <algorithm> <array> <cstddef> <cstdint> <functional> <map> <memory> <optional> <set>
  <span> <string> <string_view> <utility> <vector>)

# migsleuth_precompile(target [extra headers...])
function(migsleuth_precompile target)
  if(MIGSLEUTH_PCH)
    target_precompile_headers(${target} PRIVATE ${MIGSLEUTH_PCH_STD} ${ARGN})
  endif()
endfunction()
