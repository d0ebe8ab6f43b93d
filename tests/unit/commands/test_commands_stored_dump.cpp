#include <doctest/doctest.h>

#include <filesystem>

#include "commands/stored_dump.hpp"
#include "core/error.hpp"
#include "dump/manifest.hpp"
#include "io/sha256.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::commands;

namespace {

std::string read_all(const StoredDump& stored) {
  auto stream = stored.source.open(nullptr);
  std::string out;
  char buffer[4096];
  while (size_t got = stream->read(buffer, sizeof buffer)) out.append(buffer, got);
  return out;
}

}  // namespace

TEST_CASE("a local dump carries its manifest entry; a file that no longer matches it is refused, named") {
  testing::TempDir dir;
  std::string path = dir.write("shop-back_2026-01-01_00-00.sql", "-- a dump\n");
  CHECK_FALSE(local_dump(path, nullptr).record.has_value());
  io::FileDigest digest = io::digest_file(path);
  dump::record_in_manifest(dir.path(), "shop-back_2026-01-01_00-00.sql", {{"size", digest.size}, {"sha256", digest.sha256}});
  StoredDump recorded = local_dump(path, nullptr);
  REQUIRE(recorded.record.has_value());
  CHECK(recorded.size == 10);
  CHECK(read_all(recorded) == "-- a dump\n");
  require_record_match(recorded, {digest.size, digest.sha256, std::nullopt});

  dir.write("shop-back_2026-01-01_00-00.sql", "-- another dump\n");
  io::FileDigest changed = io::digest_file(path);
  StoredDump now = local_dump(path, nullptr);
  auto refuse = [&] { require_record_match(now, {changed.size, changed.sha256, std::nullopt}); };
  std::string message = testing::message_of(refuse);
  CHECK(message.find(path + " is not the file its backup recorded") != std::string::npos);
  CHECK(message.find("size 16 differs from the manifest's 10") != std::string::npos);
  CHECK(message.find(dir.file(dump::kManifestName)) != std::string::npos);
  CHECK(testing::code_of(refuse) == ExitCode::precondition);
}

TEST_CASE("a link the operator names is read as the file it points to; no regular file there is a usage error") {
  testing::TempDir dir;
  std::string path = dir.write("real/shop-back.sql", "-- the base\n");
  std::filesystem::create_directories(dir.file("links"));
  std::filesystem::create_symlink(path, dir.file("links/latest.sql"));
  StoredDump linked = local_dump(dir.file("links/latest.sql"), nullptr);
  CHECK(linked.url == std::filesystem::canonical(path).string());
  CHECK(read_all(linked) == "-- the base\n");

  CHECK(testing::code_of([&] { local_dump(dir.file("missing.sql"), nullptr); }) == ExitCode::usage);
  CHECK(testing::code_of([&] { local_dump(dir.file("real"), nullptr); }) == ExitCode::usage);
  CHECK(testing::message_of([&] { local_dump(dir.file("nowhere/x.sql"), nullptr); }).find("no such dump file") !=
        std::string::npos);
}
