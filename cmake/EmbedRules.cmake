# rules/**/*.yaml -> a generated C++ table of (relative path, text) pairs, so the
# default packs ship inside the binary and `--rules DIR` only adds to them.
function(migsleuth_embed_rules out_cpp rules_dir)
  file(GLOB_RECURSE _yaml CONFIGURE_DEPENDS "${rules_dir}/*.yaml")
  list(SORT _yaml)
  add_custom_command(
    OUTPUT ${out_cpp}
    COMMAND ${CMAKE_COMMAND} -DRULES_DIR=${rules_dir} -DOUT=${out_cpp}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedRulesScript.cmake
    DEPENDS ${_yaml} ${PROJECT_SOURCE_DIR}/cmake/EmbedRulesScript.cmake
    COMMENT "Embedding rule packs from ${rules_dir}"
    VERBATIM)
endfunction()
