# Overlay port that builds supportnlp from this source tree (the repository
# this port lives in), not from a download: use it with
#   vcpkg install supportnlp --overlay-ports=<repo>/packaging/vcpkg
# Tests, examples and benchmarks are off; the library, its headers, the CMake
# package (supportnlp::supportnlp), the pkg-config file and the default
# models in data/ are installed.

# packaging/vcpkg/supportnlp -> repository root
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT EXISTS "${SOURCE_PATH}/include/supportnlp/supportnlp.hpp")
  message(FATAL_ERROR "supportnlp sources not found at ${SOURCE_PATH}")
endif()

# The build finds SentencePiece through pkg-config.
vcpkg_find_acquire_program(PKGCONFIG)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    -DSUPPORTNLP_BUILD_TESTS=OFF
    -DSUPPORTNLP_BUILD_EXAMPLES=OFF
    -DSUPPORTNLP_BUILD_BENCHMARKS=OFF
    -DSUPPORTNLP_NATIVE=OFF
    "-DPKG_CONFIG_EXECUTABLE=${PKGCONFIG}"
)
vcpkg_cmake_install()

# The CMake package is installed to lib/cmake/supportnlp; vcpkg wants it in
# share/supportnlp.
vcpkg_cmake_config_fixup(PACKAGE_NAME supportnlp CONFIG_PATH lib/cmake/supportnlp)
vcpkg_fixup_pkgconfig()

# Headers and data once, from the release build.
file(REMOVE_RECURSE
  "${CURRENT_PACKAGES_DIR}/debug/include"
  "${CURRENT_PACKAGES_DIR}/debug/share")

vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
