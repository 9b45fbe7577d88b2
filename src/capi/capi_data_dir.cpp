// C API: where the bundled models and data are (supportnlp::data_dir()).
#include "capi_common.hpp"

#include "supportnlp/data_dir.hpp"

#include <cstdlib>
#include <cstring>

extern "C" {

snlp_status snlp_data_dir(char** path_out) {
  return supportnlp::capi::guarded([&]() -> snlp_status {
    if (!path_out) return supportnlp::capi::fail(SNLP_INVALID_ARGUMENT, "path_out is NULL");
    *path_out = nullptr;
    const std::string dir = supportnlp::data_dir();
    char* copy = static_cast<char*>(std::malloc(dir.size() + 1));
    if (!copy) return supportnlp::capi::fail(SNLP_OUT_OF_MEMORY, "out of memory");
    std::memcpy(copy, dir.c_str(), dir.size() + 1);
    *path_out = copy;
    return SNLP_OK;
  });
}

} // extern "C"
