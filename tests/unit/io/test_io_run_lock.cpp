#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/file.h>

#include <optional>

#include "io/fd.hpp"
#include "io/files.hpp"
#include "io/run_lock.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr;
using mysqlpitr::testing::TempDir;

TEST_CASE("restores share a folder's read lock; prune, taking it exclusively, is refused naming each reader") {
  TempDir dir;
  auto first = io::RunLock::share(dir.path(), "read-historical", "restore-historical");
  auto second = io::RunLock::share(dir.path(), "read-historical", "restore-historical of another database");
  auto prune = [&] { io::RunLock::acquire(dir.path(), "read-historical", "prune"); };
  CHECK(testing::code_of(prune) == ExitCode::precondition);
  std::string message = testing::message_of(prune);
  CHECK(message.find("restore-historical pid") != std::string::npos);
  CHECK(message.find("restore-historical of another database pid") != std::string::npos);
}

TEST_CASE("a reader is refused while prune holds the read lock, and let in once it ends") {
  TempDir dir;
  std::optional<io::RunLock> prune = io::RunLock::acquire(dir.path(), "read-historical", "prune");
  auto restore = [&] { io::RunLock::share(dir.path(), "read-historical", "restore-historical"); };
  CHECK(testing::code_of(restore) == ExitCode::precondition);
  CHECK(testing::message_of(restore).find("prune pid") != std::string::npos);
  prune.reset();
  auto reader = io::RunLock::share(dir.path(), "read-historical", "restore-historical");
  CHECK(io::base_name(reader.path()) == ".mysqlpitr-read-historical.lock");
}

TEST_CASE("a restore's read lock does not hold up a backup of the same folder") {
  TempDir dir;
  auto reader = io::RunLock::share(dir.path(), "read-historical", "restore-historical");
  auto backup = io::RunLock::acquire(dir.path(), "historical", "backup historical");
  CHECK(backup.path() != reader.path());
}

TEST_CASE("a holder that has not written its name yet is described as such, not as \"unknown\"") {
  TempDir dir;
  // The lock taken, its line not yet written (the moment between flock and write), or written by
  // a process this host cannot see: only a dead pid's line is left in the file.
  std::string path = dir.write(".mysqlpitr-historical.lock", "backup pid 2147483646\n");
  io::UniqueFd holder(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  REQUIRE(holder.valid());
  REQUIRE(::flock(holder.get(), LOCK_EX | LOCK_NB) == 0);
  auto backup = [&] { io::RunLock::acquire(dir.path(), "historical", "backup"); };
  CHECK(testing::code_of(backup) == ExitCode::precondition);
  std::string message = testing::message_of(backup);
  CHECK(message.find("has not named itself yet, or runs on another host") != std::string::npos);
  CHECK(message.find("2147483646") == std::string::npos);
}
