#pragma once
// Where Debian's mariadb-test-data package installs real binlogs, and how to find them there.
// Tests read them in place and declare the need (support/fixture.hpp: skipped outside CI when the
// package is absent, a failure under CI).
#include <dirent.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "support/fixture.hpp"

namespace binlog_test {

inline const std::string kTestData = mysqlpitr::testing::kMariadbTestData;

inline bool has_binlog_magic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::memcmp(magic, "\xfe" "bin", 4) == 0;
}

inline std::vector<std::string> files_in(const std::string& folder) {
  std::vector<std::string> names;
  if (DIR* dir = ::opendir(folder.c_str())) {
    while (dirent* entry = ::readdir(dir)) {
      if (entry->d_name[0] != '.') names.push_back(folder + "/" + entry->d_name);
    }
    ::closedir(dir);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Every file with the binlog magic in std_data, std_data/rpl and suite/*/std_data.
inline std::vector<std::string> debian_binlogs() {
  std::vector<std::string> folders = {kTestData + "/std_data", kTestData + "/std_data/rpl"};
  for (const auto& suite : files_in(kTestData + "/suite")) folders.push_back(suite + "/std_data");
  std::vector<std::string> found;
  for (const auto& folder : folders) {
    for (const auto& path : files_in(folder)) {
      if (has_binlog_magic(path)) found.push_back(path);
    }
  }
  return found;
}

inline std::string fixture(const std::string& relative) { return kTestData + "/" + relative; }

}  // namespace binlog_test
