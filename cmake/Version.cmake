# One version for the binary, the report (`tool.version`) and the package:
# project(VERSION) in the top CMakeLists.txt. Here only what goes next to it
# in `migsleuth --version`: the git commit, read once at configure time
# (re-run cmake to refresh it), "unknown" outside a git checkout.
set(MIGSLEUTH_GIT_COMMIT "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(
    COMMAND ${GIT_EXECUTABLE} describe --always --dirty --abbrev=12
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    OUTPUT_VARIABLE _describe
    ERROR_QUIET
    RESULT_VARIABLE _rc
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(_rc EQUAL 0 AND NOT _describe STREQUAL "")
    set(MIGSLEUTH_GIT_COMMIT "${_describe}")
  endif()
endif()
message(STATUS "migsleuth ${PROJECT_VERSION}, commit ${MIGSLEUTH_GIT_COMMIT}")
