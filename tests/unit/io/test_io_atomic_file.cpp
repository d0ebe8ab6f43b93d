#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "io/atomic_file.hpp"
#include "io/files.hpp"
#include "io/input_stream.hpp"
#include "io/interrupt_cleanup.hpp"
#include "io/run_lock.hpp"
#include "support/child_process.hpp"
#include "support/expect_error.hpp"
#include "support/fixture.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr;
using mysqlpitr::testing::TempDir;

namespace {
std::vector<std::string> names_in(const std::string& folder) {
  std::vector<std::string> names;
  for (const auto& entry : io::list_directory(folder)) names.push_back(entry.name);
  return names;
}
}  // namespace

TEST_CASE("an atomic file has its final name only after commit") {
  TempDir dir;
  std::string final_path = dir.file("shop-back_2026-11-23_23-10.sql.gz");
  {
    io::AtomicFile file(final_path);
    file.write("partial");
    CHECK_FALSE(io::stat_entry(final_path));
    auto names = names_in(dir.path());
    REQUIRE(names.size() == 1);
    // The temporary name matches no legacy glob: hidden, and not ending in .sql.gz.
    CHECK(names[0].starts_with(".shop-back_"));
    CHECK_FALSE(names[0].ends_with(".sql.gz"));
    file.commit();
  }
  CHECK(io::read_file(final_path) == "partial");
  CHECK(names_in(dir.path()) == std::vector<std::string>{"shop-back_2026-11-23_23-10.sql.gz"});
}

TEST_CASE("an atomic file abandoned before commit leaves nothing behind") {
  TempDir dir;
  {
    io::AtomicFile file(dir.file("x.sql"));
    file.write("data");
  }
  CHECK(names_in(dir.path()).empty());
}

TEST_CASE("an interrupt removes the temporary file and exits 130") {
  TempDir dir;
  std::string final_path = dir.file("db-back.sql");
  std::optional<int> code = testing::exit_code_in_child([&] {
    io::install_interrupt_cleanup();
    io::AtomicFile file(final_path);
    file.write("half a dump");
    ::raise(SIGTERM);
  });
  CHECK(code == 130);
  CHECK(names_in(dir.path()).empty());
}

TEST_CASE("a second run lock of the same scope on the same folder is refused with exit 5") {
  TempDir dir;
  auto first = io::RunLock::acquire(dir.path(), "historical", "backup historical");
  CHECK(testing::code_of([&] { io::RunLock::acquire(dir.path(), "historical", "prune"); }) == ExitCode::precondition);
  CHECK(testing::message_of([&] { io::RunLock::acquire(dir.path(), "historical", "prune"); }).find("backup historical") !=
        std::string::npos);
}

TEST_CASE("run locks of different scopes on one folder do not exclude each other") {
  TempDir dir;
  auto historical = io::RunLock::acquire(dir.path(), "historical", "backup historical");
  auto schema = io::RunLock::acquire(dir.path(), "schema", "backup schema");
  CHECK(historical.path() != schema.path());
  CHECK(io::base_name(schema.path()) == ".mysqlpitr-schema.lock");
}

TEST_CASE("waiting for a run lock returns once its holder releases it") {
  TempDir dir;
  std::optional<io::RunLock> holder = io::RunLock::acquire(dir.path(), "manifest", "first");
  std::atomic<bool> taken{false};
  std::thread waiter([&] {
    auto lock = io::RunLock::wait_for(dir.path(), "manifest", "second");
    taken = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK_FALSE(taken.load());
  holder.reset();
  waiter.join();
  CHECK(taken.load());
}

TEST_CASE("gzip input: concatenated members read whole, a cut stream is an error naming the file") {
  TempDir dir;
  std::string plain = dir.write("a.txt", "hello ");
  std::string plain2 = dir.write("b.txt", "world");
  std::string joined = dir.file("joined.gz");
  REQUIRE(std::system(("gzip -c " + plain + " > " + joined + " && gzip -c " + plain2 + " >> " + joined).c_str()) == 0);
  auto stream = io::open_input(joined);
  std::string tail;
  CHECK(io::read_to_end(*stream, &tail, 100) == 11);
  CHECK(tail == "hello world");

  std::string big = dir.file("big.gz");
  REQUIRE(std::system(("seq 1 200000 | gzip -c > " + big).c_str()) == 0);
  std::filesystem::resize_file(big, std::filesystem::file_size(big) / 2);
  auto cut = io::open_input(big);
  CHECK(testing::message_of([&] { io::read_to_end(*cut); }).find(big) != std::string::npos);
  CHECK(testing::message_of([&] { auto again = io::open_input(big); io::read_to_end(*again); })
            .find("truncated") != std::string::npos);
}

TEST_CASE("gzip input: a cut trailer, a wrong CRC or length, and trailing garbage are errors") {
  TempDir dir;
  std::string good = dir.file("good.gz");
  REQUIRE(std::system(("seq 1 50000 | gzip -c > " + good).c_str()) == 0);
  auto whole = io::open_input(good);
  CHECK(io::read_to_end(*whole) == 288894);  // seq 1 50000 | wc -c
  const std::string bytes = testing::read_file(good);
  auto variant = [&](const std::string& name, const std::string& content) { return dir.write(name, content); };
  auto fails = [&](const std::string& path, const std::string& words) {
    std::string message = testing::message_of([&] { auto in = io::open_input(path); io::read_to_end(*in); });
    INFO(path << ": " << message);
    CHECK(message.find(path) != std::string::npos);
    CHECK(message.find(words) != std::string::npos);
  };
  fails(variant("no-size.gz", bytes.substr(0, bytes.size() - 4)), "truncated");
  fails(variant("no-trailer.gz", bytes.substr(0, bytes.size() - 8)), "truncated");
  fails(variant("one-short.gz", bytes.substr(0, bytes.size() - 1)), "truncated");
  std::string bad_crc = bytes;
  bad_crc[bad_crc.size() - 8] ^= 0x01;
  fails(variant("bad-crc.gz", bad_crc), "CRC-32 or length");
  std::string bad_size = bytes;
  bad_size[bad_size.size() - 4] ^= 0x01;
  fails(variant("bad-size.gz", bad_size), "CRC-32 or length");
  fails(variant("garbage.gz", bytes + "this is not gzip data at all"), "corrupt");
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x55;
  fails(variant("flipped.gz", flipped), "corrupt");
}

namespace {
testing::Fixture zstd_program() { return {{"zstd"}, "the zstd program (package zstd)"}; }
}  // namespace

TEST_CASE("zstd input: a cut stream is an error, a whole one reads back" * testing::skip_without(zstd_program())) {
  testing::require(zstd_program());
  TempDir dir;
  std::string file = dir.file("x.zst");
  REQUIRE(std::system(("seq 1 100000 | zstd -q -c > " + file).c_str()) == 0);
  auto whole = io::open_input(file);
  CHECK(io::read_to_end(*whole) > 500000);
  std::filesystem::resize_file(file, std::filesystem::file_size(file) - 10);
  CHECK(testing::code_of([&] { auto cut = io::open_input(file); io::read_to_end(*cut); }) == ExitCode::failed);
}

TEST_CASE("an atomic file of a name as long as the file system allows gets a temporary name that fits") {
  TempDir dir;
  std::string name(255, 'c');
  {
    io::AtomicFile file(dir.file(name));
    CHECK(io::base_name(file.temp_path()).size() <= 255);
    file.write("x");
    file.commit();
  }
  CHECK(names_in(dir.path()) == std::vector<std::string>{name});
}
