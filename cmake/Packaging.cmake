# install() rules and the Debian package (CPack DEB): `make package` gives
# build/migsleuth_<version>_amd64.deb. The rule packs are embedded in the
# binary, so the package holds only:
#   /usr/bin/migsleuth
#   /usr/share/man/man1/migsleuth.1.gz                  doc/migsleuth.1 (roff)
#   /usr/share/bash-completion/completions/migsleuth    completions/migsleuth.bash
#   /usr/share/zsh/vendor-completions/_migsleuth        completions/_migsleuth
#   /usr/share/doc/migsleuth/{README.md,CHANGELOG.md,rules.md,report-v1.schema.json}
# Depends: computed by dpkg-shlibdeps from the binary (dpkg-dev).
include(GNUInstallDirs)

install(TARGETS migsleuth RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Man page, gzip'd reproducibly (-n: no name or time stamp in the header).
set(_man_gz ${CMAKE_BINARY_DIR}/doc/migsleuth.1.gz)
add_custom_command(
  OUTPUT ${_man_gz}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/doc
  COMMAND sh -c "gzip -9 -n -c \"$0\" > \"$1\"" ${PROJECT_SOURCE_DIR}/doc/migsleuth.1 ${_man_gz}
  DEPENDS ${PROJECT_SOURCE_DIR}/doc/migsleuth.1
  COMMENT "Compressing the man page"
  VERBATIM)
add_custom_target(migsleuth_man ALL DEPENDS ${_man_gz})
install(FILES ${_man_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

install(FILES ${PROJECT_SOURCE_DIR}/completions/migsleuth.bash
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions RENAME migsleuth)
install(FILES ${PROJECT_SOURCE_DIR}/completions/_migsleuth
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/zsh/vendor-completions)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/rules/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME rules.md)

# The report contract lives outside the repository (../shared/contract/); it
# is copied into the build tree at build time, and an install or package
# without it fails rather than ship a package whose docs lack the contract.
set(MIGSLEUTH_REPORT_SCHEMA "${PROJECT_SOURCE_DIR}/../shared/contract/report-v1.schema.json"
    CACHE FILEPATH "report-v1.schema.json shipped in /usr/share/doc/migsleuth")
get_filename_component(_schema_src "${MIGSLEUTH_REPORT_SCHEMA}" ABSOLUTE)
set(_schema ${CMAKE_BINARY_DIR}/doc/report-v1.schema.json)
if(EXISTS "${_schema_src}")
  add_custom_command(
    OUTPUT ${_schema}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${_schema_src} ${_schema}
    DEPENDS ${_schema_src}
    COMMENT "Copying the report schema"
    VERBATIM)
  add_custom_target(migsleuth_schema ALL DEPENDS ${_schema})
  install(FILES ${_schema} DESTINATION ${CMAKE_INSTALL_DOCDIR})
else()
  message(STATUS "No report schema at ${_schema_src}: `make package` / install will fail")
  install(CODE "message(FATAL_ERROR \"migsleuth: the report schema is missing: ${_schema_src} \
does not exist. The package ships it in /usr/share/doc/migsleuth. Check out the shared/ \
folder next to the repository, or configure with -DMIGSLEUTH_REPORT_SCHEMA=/path/to/\
report-v1.schema.json, then re-run cmake.\")")
endif()

set(MIGSLEUTH_PACKAGE_MAINTAINER "migsleuth maintainers <migsleuth@localhost>"
    CACHE STRING "Maintainer field of the .deb (Name <email>)")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME migsleuth)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})    # = binary --version = report tool.version
set(CPACK_PACKAGE_CONTACT "${MIGSLEUTH_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
  "migsleuth reads the nova-compute and libvirt logs collected from the source and
destination compute hosts (folders, tarballs or sosreports), rebuilds every
live-migration attempt, classifies each failure with the log lines that prove
it, and prints the read-only commands that confirm it on the live hosts.
It never talks to a cloud and never writes to its inputs. The cause rules
are embedded in the binary.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)          # migsleuth_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
