# Every third-party dependency is found here, from Debian bookworm packages
# (see scripts/install-deps.sh for the package names). No vendored copies.
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)   # bookworm 20220601: its .pc says 0.0.0
# libzstd directly: zstd files and members are decoded by it (it tells a cut
# frame from a complete one); bzip2 and xz by libarchive's raw filters.
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd>=1.5)
find_package(simdjson 3.0 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(yaml-cpp 0.7 REQUIRED)
find_package(LibArchive 3.6 REQUIRED)                    # tar/sosreport streaming (issue 4)
find_package(SQLite3 3.40 REQUIRED)                      # scan --db (issue 8)
find_package(pugixml 1.13 REQUIRED)                      # preflight: virsh capabilities XML (issue 11)
find_package(Threads REQUIRED)
# ISA-L inflates gzip ~1.5x faster than zlib (HACKING.md, "gzip through
# ISA-L"); without it gzip goes through libarchive's zlib.
# Debian ships no libisal.a, so the portable build keeps zlib.
if(MIGSLEUTH_ISAL AND NOT MIGSLEUTH_PORTABLE)
  pkg_check_modules(ISAL IMPORTED_TARGET libisal>=2.27)
endif()
if(MIGSLEUTH_BUILD_TESTS)
  find_package(Catch2 2.13 REQUIRED)
  include(Catch)
endif()
