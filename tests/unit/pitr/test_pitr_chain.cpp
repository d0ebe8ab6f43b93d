#include <doctest/doctest.h>

#include <functional>

#include "core/error.hpp"
#include "pitr/chain.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::pitr;

namespace {
FoundBinlog file(const char* name, const char* folder, std::uint64_t size = 1000) {
  return {name, std::string(folder) + "/" + name, size, {}};
}
bool same(const FoundBinlog& a, const FoundBinlog& b) { return a.size <= b.size; }
bool differ(const FoundBinlog&, const FoundBinlog&) { return false; }

ExitCode code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& error) {
    return error.code();
  }
  return ExitCode::ok;
}
}  // namespace

TEST_CASE("the chain merges archive and datadir, preferring the archive's copy of closed files") {
  std::vector<FoundBinlog> archive = {file("b.000001", "/a"), file("b.000002", "/a")};
  std::vector<FoundBinlog> datadir = {file("b.000002", "/d"), file("b.000003", "/d", 500)};
  auto chain = build_chain(archive, datadir, "b.000001", "", same);
  REQUIRE(chain.files.size() == 3);
  CHECK(chain.files[0].source == "archive");
  CHECK(chain.files[1].source == "archive");
  CHECK(chain.files[1].in_both);
  CHECK(chain.files[2].source == "datadir");
  CHECK(chain.files[2].size == 500);
}

TEST_CASE("the chain starts at the base's file and ends at the stop point's") {
  std::vector<FoundBinlog> datadir = {file("b.000001", "/d"), file("b.000002", "/d"), file("b.000003", "/d"),
                                      file("b.000004", "/d")};
  auto chain = build_chain({}, datadir, "b.000002", "b.000003", same);
  REQUIRE(chain.files.size() == 2);
  CHECK(chain.files.front().name == "b.000002");
  CHECK(chain.files.back().name == "b.000003");
  // The file after the stop point's is known (its start tells whether the last file was whole).
  REQUIRE(chain.next);
  CHECK(chain.next->name == "b.000004");
  CHECK_FALSE(build_chain({}, datadir, "b.000002", "", same).next);
}

TEST_CASE("a gap anywhere between the base and the stop point is refused with exit 5, naming the file") {
  std::vector<FoundBinlog> datadir = {file("b.000001", "/d"), file("b.000003", "/d")};
  try {
    build_chain({}, datadir, "b.000001", "", same);
    FAIL("no error for a gap");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::precondition);
    CHECK(std::string(error.what()).find("b.000002") != std::string::npos);
  }
}

TEST_CASE("a gap after the stop point does not matter") {
  std::vector<FoundBinlog> datadir = {file("b.000001", "/d"), file("b.000002", "/d"), file("b.000004", "/d")};
  CHECK(build_chain({}, datadir, "b.000001", "b.000002", same).files.size() == 2);
}

TEST_CASE("a missing start file, a stop before the base and differing copies are refused with exit 5") {
  std::vector<FoundBinlog> datadir = {file("b.000002", "/d"), file("b.000003", "/d")};
  CHECK(code_of([&] { build_chain({}, datadir, "b.000001", "", same); }) == ExitCode::precondition);
  CHECK(code_of([&] { build_chain({}, datadir, "b.000003", "b.000002", same); }) == ExitCode::precondition);
  std::vector<FoundBinlog> archive = {file("b.000002", "/a")};
  CHECK(code_of([&] { build_chain(archive, datadir, "b.000002", "", differ); }) == ExitCode::precondition);
  try {
    build_chain(archive, datadir, "b.000002", "", differ);
  } catch (const Error& error) {
    CHECK(std::string(error.what()).find("RESET MASTER") != std::string::npos);
  }
}

TEST_CASE("a longer datadir copy (the active file) is read instead of the archive's") {
  std::vector<FoundBinlog> archive = {file("b.000001", "/a", 100)};
  std::vector<FoundBinlog> datadir = {file("b.000001", "/d", 300)};
  auto chain = build_chain(archive, datadir, "b.000001", "", same);
  CHECK(chain.files[0].source == "datadir");
  CHECK_FALSE(chain.notes.empty());
}

TEST_CASE("a stop point in a binlog newer than any found is refused with exit 5 naming that binlog") {
  std::vector<FoundBinlog> datadir = {file("b.000001", "/d"), file("b.000002", "/d")};
  try {
    build_chain({}, datadir, "b.000001", "b.000099", same);
    FAIL("no error for a stop point past the newest binlog");
  } catch (const Error& error) {
    CHECK(error.code() == ExitCode::precondition);
    CHECK(std::string(error.what()).find("b.000099") != std::string::npos);
    CHECK(std::string(error.what()).find("newest there is b.000002") != std::string::npos);
  }
}
