# ASan + UBSan through one INTERFACE target (simdjson's developer-options
# idea); MIGSLEUTH_FUZZ adds coverage instrumentation for libFuzzer.
add_library(migsleuth_sanitizers INTERFACE)
if(MIGSLEUTH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MIGSLEUTH_FUZZ needs clang (CXX=clang++-14)")
  endif()
  set(_san -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all
           -fno-omit-frame-pointer)
  target_compile_options(migsleuth_sanitizers INTERFACE ${_san})
  target_link_options(migsleuth_sanitizers INTERFACE -fsanitize=address,undefined)
elseif(MIGSLEUTH_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(migsleuth_sanitizers INTERFACE ${_san})
  target_link_options(migsleuth_sanitizers INTERFACE ${_san})
endif()
