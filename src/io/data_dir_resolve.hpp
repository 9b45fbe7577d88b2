#pragma once
// The decision behind supportnlp::data_dir(), apart from where its inputs come
// from (environment, the library's own file, build-time paths), so that unit
// tests can give it any layout.

#include <string>

namespace supportnlp::io::detail {

struct DataDirInputs {
  std::string env;         // $SUPPORTNLP_DATA ("" when unset)
  std::string module_file; // absolute path of the file holding the library code, "" if unknown
  std::string binary_dir;  // the build tree this library was built in
  std::string source_data; // the source tree's data/
  std::string from_libdir; // relative path from <libdir> to <datadir>/supportnlp
  std::string from_bindir; // relative path from <bindir> to <datadir>/supportnlp
  std::string configured;  // <CMAKE_INSTALL_FULL_DATADIR>/supportnlp
};

/// The order documented at supportnlp::data_dir().
std::string resolve_data_dir(const DataDirInputs& in);

} // namespace supportnlp::io::detail
