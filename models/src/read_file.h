// Private: reads a whole file; a failure is a DecodeError naming the file.
#pragma once

#include <filesystem>
#include <string>

#include "weir/models/decode_result.h"

namespace weir::models::detail {

DecodeResult<std::string> read_whole_file(const std::filesystem::path& file);

}  // namespace weir::models::detail
