#pragma once
// Test cases that need something the repository does not hold: Debian's mariadb-test-data binlogs,
// the mongodump folders in ../shared, a program such as mysqlbinlog. Such a case is never counted
// as passed when what it needs is missing:
//
//   TEST_CASE("a verified copy is byte-identical" * testing::skip_without(testing::mariadb_test_data())) {
//     testing::require(testing::mariadb_test_data());
//     ...
//
// - Under CI (the environment variable CI set, as CI services do, to anything but "", "0" or
//   "false") every fixture is installed (scripts/install-deps, ../shared), so a missing one is a
//   failure: skip_without() does nothing there and require() fails the case, naming the path.
// - Elsewhere skip_without() marks the case skipped when it is registered: doctest decides skips
//   before the run and has no way to skip a case once it has started. Its summary counts the case
//   as skipped; the runners' main (unit/doctest_main.cpp) names each one with its reason and exits
//   77, which ctest shows as "Skipped" (SKIP_RETURN_CODE), unless something failed. (A run filtered
//   with -tc also lists the marked cases it left out.)
// Both lines are needed: the decorator alone would let a case run without its fixture under CI
// and perhaps pass on nothing; require() alone would fail on a developer's machine. Fixtures are
// returned by functions: decorators run during static initialisation, before any other global.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unistd.h>

namespace mysqlpitr::testing {

inline bool under_ci() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  std::string_view value = ci;
  return !value.empty() && value != "0" && value != "false";
}

// A program found on PATH ("" when there is none).
inline std::string program_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "";
  while (!rest.empty()) {
    std::size_t colon = rest.find(':');
    std::string folder(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    std::error_code ignored;
    std::filesystem::path candidate = std::filesystem::path(folder.empty() ? "." : folder) / name;
    if (std::filesystem::is_regular_file(candidate, ignored) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate.string();
  }
  return "";
}

struct Fixture {
  // Files or folders that must exist; a name without a '/' is a program that must be on PATH.
  std::vector<std::string> paths;
  // Where it comes from, shown with a skip (a string literal: doctest keeps the pointer).
  const char* source;

  // The first one missing, or "".
  std::string missing() const {
    for (const auto& path : paths) {
      bool present = path.find('/') == std::string::npos ? !program_on_path(path).empty()
                                                          : std::filesystem::exists(path);
      if (!present) return path;
    }
    return "";
  }
};

// Decorator: skips the case outside CI when the fixture is missing (see the top of this file).
struct skip_without {
  Fixture fixture;
  explicit skip_without(Fixture needed) : fixture(std::move(needed)) {}
  void fill(doctest::detail::TestCase& state) const {
    if (!under_ci() && !fixture.missing().empty()) {
      state.m_skip = true;
      state.m_description = fixture.source;
    }
  }
};

// Debian's mariadb-test-data: real binlogs of many server versions, read in place.
inline const char* const kMariadbTestData = "/usr/share/mysql/mysql-test";
inline Fixture mariadb_test_data() {
  return {{std::string(kMariadbTestData) + "/std_data"}, "Debian's mariadb-test-data in /usr/share/mysql/mysql-test"};
}

// The first line of a case decorated with skip_without(): fails it when the fixture is missing.
inline void require(const Fixture& fixture) {
  std::string missing = fixture.missing();
  std::string why = "missing fixture " + missing + " (" + fixture.source + ")" +
                    (under_ci() ? "; CI must install every fixture" : "");
  REQUIRE_MESSAGE(missing.empty(), why);
}

}  // namespace mysqlpitr::testing
