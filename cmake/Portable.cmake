# MIGSLEUTH_PORTABLE=ON: a binary that runs on a bare Debian bookworm (or
# newer glibc) machine with nothing else installed. Everything Debian ships
# as a static archive is linked statically; only glibc stays shared
# (libc.so.6, libm.so.6, ld-linux-x86-64.so.2). Included *before*
# cmake/Dependencies.cmake so that the find_* calls there pick the archives.
#
#   libstdc++, libgcc          -static-libstdc++ -static-libgcc
#   RE2, zstd, libarchive,     find_library prefers lib*.a (CMAKE_FIND_LIBRARY_SUFFIXES)
#   SQLite3
#   yaml-cpp, pugixml          their imported targets pointed at the .a (end of configure)
#   fmt                        no libfmt.a in Debian: the header-only mode (FMT_HEADER_ONLY)
#   simdjson                   no libsimdjson.a in Debian: built from Debian's own source
#                              package (scripts/fetch-simdjson-source.sh), whose
#                              singleheader/simdjson.h is byte-identical to /usr/include/simdjson.h;
#                              -DMIGSLEUTH_SIMDJSON_SOURCE=<dir holding simdjson.cpp>
#   libarchive's compression   lzma, bz2, z, zstd, lz4, acl, nettle static archives
#   libraries
#   ISA-L                      not used: no libisal.a in Debian, gzip goes through zlib
#                              (cmake/Dependencies.cmake skips it when MIGSLEUTH_PORTABLE)
if(NOT MIGSLEUTH_PORTABLE)
  return()
endif()
if(MIGSLEUTH_SANITIZE OR MIGSLEUTH_FUZZ)
  message(FATAL_ERROR "MIGSLEUTH_PORTABLE does not combine with sanitizers or fuzzing")
endif()

set(MIGSLEUTH_SIMDJSON_SOURCE "" CACHE PATH
    "Folder holding simdjson.cpp (singleheader/ of Debian's simdjson source) for a static simdjson")

add_link_options(-static-libstdc++ -static-libgcc)
set(CMAKE_FIND_LIBRARY_SUFFIXES .a .so)

# fmt: the header-only targets stand in for the shared library; fmt's own
# exported-targets file sees both defined and adds nothing.
add_library(fmt::fmt INTERFACE IMPORTED)
set_target_properties(fmt::fmt PROPERTIES INTERFACE_COMPILE_DEFINITIONS "FMT_HEADER_ONLY=1")
add_library(fmt::fmt-header-only INTERFACE IMPORTED)
set_target_properties(fmt::fmt-header-only PROPERTIES INTERFACE_COMPILE_DEFINITIONS "FMT_HEADER_ONLY=1")

# simdjson: the same code Debian's libsimdjson is built from, as an archive.
if(MIGSLEUTH_SIMDJSON_SOURCE)
  if(NOT EXISTS "${MIGSLEUTH_SIMDJSON_SOURCE}/simdjson.cpp")
    message(FATAL_ERROR "MIGSLEUTH_SIMDJSON_SOURCE=${MIGSLEUTH_SIMDJSON_SOURCE} has no simdjson.cpp "
                        "(run scripts/fetch-simdjson-source.sh)")
  endif()
  find_package(Threads REQUIRED)
  add_library(migsleuth_simdjson_static STATIC "${MIGSLEUTH_SIMDJSON_SOURCE}/simdjson.cpp")
  # Compiled against the installed header (the check below makes sure the
  # source matches it), so every translation unit sees one simdjson.h.
  target_compile_definitions(migsleuth_simdjson_static PUBLIC SIMDJSON_THREADS_ENABLED=1)
  target_link_libraries(migsleuth_simdjson_static PUBLIC Threads::Threads)
  if(EXISTS "${MIGSLEUTH_SIMDJSON_SOURCE}/simdjson.h")
    file(SHA256 "${MIGSLEUTH_SIMDJSON_SOURCE}/simdjson.h" _src_h)
    file(SHA256 "/usr/include/simdjson.h" _sys_h)
    if(NOT _src_h STREQUAL _sys_h)
      message(FATAL_ERROR "${MIGSLEUTH_SIMDJSON_SOURCE}/simdjson.h differs from /usr/include/simdjson.h: "
                          "fetch the source of the installed libsimdjson-dev")
    endif()
  endif()
  add_library(simdjson::simdjson INTERFACE IMPORTED)
  set_target_properties(simdjson::simdjson PROPERTIES INTERFACE_LINK_LIBRARIES migsleuth_simdjson_static)
else()
  message(WARNING "MIGSLEUTH_PORTABLE without MIGSLEUTH_SIMDJSON_SOURCE: the binary needs "
                  "libsimdjson14 at run time (use `make portable`, which fetches the source)")
endif()

# The archive of LIB if Debian ships one, else the shared library.
function(_migsleuth_static_lib out name)
  find_library(MIGSLEUTH_STATIC_${name} NAMES lib${name}.a ${name})
  if(NOT MIGSLEUTH_STATIC_${name})
    message(FATAL_ERROR "MIGSLEUTH_PORTABLE: no lib${name} (install its -dev package)")
  endif()
  set(${out} "${MIGSLEUTH_STATIC_${name}}" PARENT_SCOPE)
endfunction()

# An imported shared-library target switched to its archive.
function(_migsleuth_target_to_archive target archive)
  foreach(_cfg "" _NONE _RELEASE _RELWITHDEBINFO _DEBUG _MINSIZEREL)
    get_target_property(_loc ${target} IMPORTED_LOCATION${_cfg})
    if(_loc)
      set_target_properties(${target} PROPERTIES IMPORTED_LOCATION${_cfg} "${archive}")
    endif()
  endforeach()
endfunction()

# Run at the end of the top-level CMakeLists.txt, once Dependencies.cmake has
# created the imported targets.
function(_migsleuth_portable_finish)
  _migsleuth_static_lib(_yaml yaml-cpp)
  _migsleuth_target_to_archive(yaml-cpp "${_yaml}")
  if(TARGET pugixml::pugixml AND TARGET pugixml::static)
    set_target_properties(pugixml::pugixml PROPERTIES INTERFACE_LINK_LIBRARIES pugixml::static)
  endif()
  # What libarchive.a needs (its .pc Libs.private).
  set(_deps "")
  foreach(_l lzma zstd lz4 bz2 z acl nettle)
    _migsleuth_static_lib(_p ${_l})
    list(APPEND _deps "${_p}")
  endforeach()
  set_property(TARGET LibArchive::LibArchive APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${_deps})
  # Anything still shared is reported by scripts/test-portable.sh (ldd).
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL _migsleuth_portable_finish)
