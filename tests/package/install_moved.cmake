# Installs a build tree into a staging prefix, then moves the whole prefix to
# another place (at another depth) and checks that no installed text file
# names the staging prefix, the build tree or the source tree: a consumer of
# the moved prefix must find everything relative to where the files now are.
#
#   cmake -DBUILD_DIR=... -DCONFIG=... -DSTAGING=... -DPREFIX=... -DSOURCE_DIR=... -P install_moved.cmake
foreach(_v BUILD_DIR STAGING PREFIX SOURCE_DIR)
  if(NOT ${_v})
    message(FATAL_ERROR "install_moved.cmake: ${_v} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${STAGING}" "${PREFIX}")
set(_config "")
if(CONFIG)
  set(_config --config "${CONFIG}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${STAGING}" ${_config}
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${_rc})")
endif()

get_filename_component(_parent "${PREFIX}" DIRECTORY)
file(MAKE_DIRECTORY "${_parent}")
file(RENAME "${STAGING}" "${PREFIX}")
if(EXISTS "${STAGING}")
  message(FATAL_ERROR "the staging prefix ${STAGING} still exists after the move")
endif()
message(STATUS "installed into ${STAGING}, moved to ${PREFIX}")

# Text files a consumer reads: the CMake package and the pkg-config file.
file(GLOB_RECURSE _files "${PREFIX}/*.cmake" "${PREFIX}/*.pc")
if(NOT _files)
  message(FATAL_ERROR "no CMake package or .pc file under ${PREFIX}")
endif()
set(_bad "")
foreach(_f IN LISTS _files)
  file(READ "${_f}" _text)
  foreach(_p "${STAGING}" "${BUILD_DIR}" "${SOURCE_DIR}")
    string(FIND "${_text}" "${_p}" _at)
    if(NOT _at EQUAL -1)
      list(APPEND _bad "${_f} names ${_p}")
    endif()
  endforeach()
endforeach()
if(_bad)
  list(JOIN _bad "\n  " _msg)
  message(FATAL_ERROR "absolute paths baked into the installed package:\n  ${_msg}")
endif()
list(LENGTH _files _n)
message(STATUS "${_n} package files checked: no absolute path of the staging prefix, build or source tree")
