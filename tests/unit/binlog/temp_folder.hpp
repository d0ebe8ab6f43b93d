#pragma once
// Byte-level file helpers for the binlog tests, and their temporary folder.
#include <fstream>
#include <string>

#include "support/temp_dir.hpp"

namespace binlog_test {

// The project-wide temporary folder of tests/support.
using TempFolder = mysqlpitr::testing::TempDir;

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace binlog_test
