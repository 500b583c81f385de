#include "read_file.h"

#include <fstream>
#include <iterator>

namespace weir::models::detail {

DecodeResult<std::string> read_whole_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return DecodeError{file.string() + ": cannot open file"};
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return DecodeError{file.string() + ": cannot read file"};
  return bytes;
}

}  // namespace weir::models::detail
