#pragma once
// The real mongodump folders shared beside the project (never copied into it), and a scratch
// folder per test.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "support/fixture.hpp"

namespace mongo_test {

inline std::filesystem::path mongodump_fixtures() {
  return std::filesystem::path(MYSQLPITR_SHARED_DIR) / "fixtures" / "mongodump";
}

inline mysqlpitr::testing::Fixture mongodump() {
  static const std::string folder = mongodump_fixtures().string();
  return {{folder}, "the mongodump fixtures in ../shared/fixtures/mongodump"};
}

class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mysqlpitr-mongo-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace mongo_test
