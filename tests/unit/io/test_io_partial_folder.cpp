#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>

#include "io/atomic_file.hpp"
#include "io/files.hpp"
#include "io/interrupt_cleanup.hpp"
#include "io/partial_folder.hpp"
#include "support/child_process.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr;
using mysqlpitr::testing::TempDir;

namespace {
void write_file(const std::string& path, const std::string& text) {
  io::AtomicFile file(path);
  file.write(text);
  file.commit();
}
}  // namespace

TEST_CASE("a partial folder has its final name only after commit, with everything in it") {
  TempDir dir;
  std::string final_path = dir.file("backup_2026-11-23_23-10");
  {
    io::PartialFolder folder(final_path);
    CHECK(dir.names() == std::vector<std::string>{".backup_2026-11-23_23-10.partial"});
    write_file(io::join_path(folder.add_folder("db1"), "c1.bson"), "documents");
    folder.commit();
  }
  CHECK(dir.names() == std::vector<std::string>{"backup_2026-11-23_23-10"});
  CHECK(io::read_file(io::join_path(final_path, "db1/c1.bson")) == "documents");
}

TEST_CASE("a partial folder abandoned before commit is removed with its content") {
  TempDir dir;
  {
    io::PartialFolder folder(dir.file("backup_x"));
    write_file(io::join_path(folder.add_folder("db1"), "c1.bson"), "documents");
  }
  CHECK(dir.names().empty());
}

TEST_CASE("a partial folder never replaces a folder of its final name") {
  TempDir dir;
  std::string final_path = dir.file("backup_x");
  io::PartialFolder folder(final_path);
  write_file(io::join_path(dir.path(), "backup_x"), "someone else's");
  CHECK(testing::message_of([&] { folder.commit(); }).find("cannot rename") != std::string::npos);
  CHECK(io::read_file(final_path) == "someone else's");
}

TEST_CASE("a second partial folder of the same name is refused") {
  TempDir dir;
  io::PartialFolder first(dir.file("backup_x"));
  CHECK(testing::message_of([&] { io::PartialFolder second(dir.file("backup_x")); }).find("already exists") !=
        std::string::npos);
}

TEST_CASE("an interrupt removes the partial folder with everything in it and exits 130") {
  TempDir dir;
  std::optional<int> code = testing::exit_code_in_child([&] {
    io::install_interrupt_cleanup();
    io::PartialFolder folder(dir.file("backup_x"));
    std::string db = folder.add_folder("db1");
    write_file(io::join_path(db, "c1.bson"), "whole");
    io::AtomicFile half(io::join_path(db, "c2.bson"));
    half.write("half");
    ::mkdir(io::join_path(db, "deeper").c_str(), 0700);
    ::symlink("/", io::join_path(db, "link").c_str());
    ::raise(SIGINT);
  });
  CHECK(code == 130);
  CHECK(dir.names().empty());
}
