#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "crypto/key.hpp"
#include "crypto/open_input.hpp"
#include "dump/output.hpp"
#include "io/compressed_writer.hpp"
#include "io/input_stream.hpp"
#include "storage/storage.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr;
using mysqlpitr::testing::TempDir;

namespace {

std::string read_raw(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string read_all(io::InputStream& stream) {
  std::string out;
  char buffer[4096];
  while (size_t got = stream.read(buffer, sizeof buffer)) out.append(buffer, got);
  return out;
}

crypto::KeyRing ring_of(const std::string& contents) {
  std::vector<crypto::KeyFile> files;
  files.push_back(crypto::KeyFile::from_contents("site.key", contents));
  return crypto::KeyRing(std::move(files));
}

std::string table_rows() {
  std::string rows;
  for (int i = 0; i < 20000; ++i) rows += "INSERT INTO t VALUES (" + std::to_string(i) + ",'secret row');\n";
  return rows;
}

}  // namespace

TEST_CASE("an encrypted dump's spool holds no row in the clear, and the final file decrypts to the SQL") {
  TempDir dir;
  io::CompressorPool pool(2);
  const std::string rows = table_rows();
  crypto::KeyRing keys = ring_of(std::string(64, 'a'));
  const std::string final_path = dir.path() + "/shop-back_2026-12-04.sql.gz.enc";
  {
    dump::Segment segment(final_path + ".0-0", io::Compression::gzip, 6, pool, /*encrypted=*/true);
    segment.write(rows);
    segment.finish();
    std::string spool = read_raw(segment.spool_path());
    CHECK(spool.size() == segment.compressed_bytes());
    CHECK(spool.find("secret row") == std::string::npos);
    CHECK(io::open_input(segment.spool_path())->compression() == io::Compression::none);  // no gzip in the clear
    CHECK(io::open_input(segment.open_spool(), "spool")->compression() == io::Compression::gzip);

    auto folder = storage::open_posix(dir.path());
    const std::string name = "shop-back_2026-12-04.sql.gz.enc";
    dump::OutputAssembler out(folder->create(name), folder->describe(name), io::Compression::gzip, 6,
                              &keys.key_for_writing());
    out.add_text("-- head\n");
    out.add_segment(segment);
    out.add_text("-- Dump completed\n");
    dump::FinishedFile finished = out.finish();
    storage::Published published = out.publish_object();
    CHECK(published.sha256 == finished.sha256);
    std::string stored = read_raw(final_path);
    CHECK(finished.size == stored.size());
    CHECK(stored.starts_with("MPITRENC"));
    CHECK(stored.find("secret row") == std::string::npos);
  }
  auto stream = crypto::open_input(final_path, &keys);
  CHECK(stream->compression() == io::Compression::gzip);
  CHECK(read_all(*stream) == "-- head\n" + rows + "-- Dump completed\n");
  crypto::KeyRing other = ring_of(std::string(64, 'b'));
  CHECK_THROWS_WITH_AS(crypto::open_input(final_path, &other), doctest::Contains("which no configured key file gives"),
                       Error);
}

TEST_CASE("an unencrypted segment's spool is the compressed SQL itself") {
  TempDir dir;
  io::CompressorPool pool(1);
  dump::Segment segment(dir.path() + "/x.sql.gz.0-0", io::Compression::gzip, 6, pool);
  segment.write("INSERT INTO t VALUES (1);\n");
  segment.finish();
  CHECK(segment.compressed_bytes() == read_raw(segment.spool_path()).size());
  auto stream = io::open_input(segment.spool_path());
  CHECK(read_all(*stream) == "INSERT INTO t VALUES (1);\n");
}
