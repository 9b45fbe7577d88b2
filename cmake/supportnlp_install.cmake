# Installation of supportnlp: library, headers, CMake package, pkg-config file
# and the bundled data, laid out so that the whole prefix can be moved after
# `cmake --install` (tests/package/ installs, moves and then consumes it):
#   - the CMake package computes its prefix from its own location;
#   - the .pc file's paths are relative to ${pcfiledir};
#   - supportnlp::data_dir() finds <prefix>/share/supportnlp from the
#     library's own file (src/io/data_dir.cpp).
# Included from the top-level CMakeLists.txt after the supportnlp target.

set(SUPPORTNLP_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/supportnlp)
set(SUPPORTNLP_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/supportnlp)

# --- where data_dir() looks ---------------------------------------------------
# Paths relative to the library's directory (shared build) and to the
# program's directory (static build, program installed in <prefix>/bin).
file(RELATIVE_PATH _snlp_data_from_lib ${CMAKE_INSTALL_FULL_LIBDIR}
     ${CMAKE_INSTALL_FULL_DATADIR}/supportnlp)
file(RELATIVE_PATH _snlp_data_from_bin ${CMAKE_INSTALL_FULL_BINDIR}
     ${CMAKE_INSTALL_FULL_DATADIR}/supportnlp)
set_property(SOURCE ${PROJECT_SOURCE_DIR}/src/io/data_dir.cpp APPEND PROPERTY COMPILE_DEFINITIONS
  "SUPPORTNLP_DATA_FROM_LIBDIR=\"${_snlp_data_from_lib}\""
  "SUPPORTNLP_DATA_FROM_BINDIR=\"${_snlp_data_from_bin}\""
  "SUPPORTNLP_CONFIGURED_DATA_DIR=\"${CMAKE_INSTALL_FULL_DATADIR}/supportnlp\""
  "SUPPORTNLP_SOURCE_DATA_DIR=\"${PROJECT_SOURCE_DIR}/data\""
  "SUPPORTNLP_BUILD_TREE=\"${PROJECT_BINARY_DIR}\"")

# --- library, headers, data ---------------------------------------------------
install(TARGETS supportnlp EXPORT supportnlpTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/supportnlp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_BINARY_DIR}/include/supportnlp/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/supportnlp)
install(DIRECTORY data/ DESTINATION ${SUPPORTNLP_INSTALL_DATADIR}
  PATTERN "samples" EXCLUDE)

# --- CMake package ------------------------------------------------------------
# supportnlpTargets.cmake refers to files through the prefix it computes from
# its own location; the config file does the same (PACKAGE_INIT).
if(BUILD_SHARED_LIBS)
  set(SUPPORTNLP_PACKAGE_SHARED ON)
else()
  set(SUPPORTNLP_PACKAGE_SHARED OFF)
endif()
install(EXPORT supportnlpTargets NAMESPACE supportnlp::
  DESTINATION ${SUPPORTNLP_INSTALL_CMAKEDIR})
configure_package_config_file(cmake/supportnlpConfig.cmake.in
  ${PROJECT_BINARY_DIR}/supportnlpConfig.cmake
  INSTALL_DESTINATION ${SUPPORTNLP_INSTALL_CMAKEDIR}
  PATH_VARS SUPPORTNLP_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/supportnlpConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/supportnlpConfig.cmake
  ${PROJECT_BINARY_DIR}/supportnlpConfigVersion.cmake
  DESTINATION ${SUPPORTNLP_INSTALL_CMAKEDIR})

# --- pkg-config -------------------------------------------------------------------
# prefix is ${pcfiledir} walked up to the install prefix ("../.." for
# lib/pkgconfig, "../../.." for lib/x86_64-linux-gnu/pkgconfig). A directory
# given as an absolute path stays absolute (and the install is then not
# relocatable, by the caller's choice).
file(RELATIVE_PATH SUPPORTNLP_PC_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" SUPPORTNLP_PC_PREFIX "${SUPPORTNLP_PC_PREFIX}")
foreach(_d LIBDIR INCLUDEDIR DATADIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_d}}")
    set(SUPPORTNLP_PC_${_d} "${CMAKE_INSTALL_${_d}}")
  else()
    set(SUPPORTNLP_PC_${_d} "\${prefix}/${CMAKE_INSTALL_${_d}}")
  endif()
endforeach()
configure_file(cmake/supportnlp.pc.in ${PROJECT_BINARY_DIR}/supportnlp.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/supportnlp.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
