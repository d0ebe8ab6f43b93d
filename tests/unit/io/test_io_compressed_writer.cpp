#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>

#include "io/compressed_writer.hpp"
#include "io/input_stream.hpp"

using namespace mysqlpitr::io;

namespace {

std::string sample_text(size_t size) {
  std::mt19937 random(42);
  std::string text;
  while (text.size() < size) text += "INSERT INTO t VALUES (" + std::to_string(random() % 100000) + ",'abc');\n";
  return text;
}

// Writes through a CompressedWriter into a file and reads it back with the ordinary reader.
std::string round_trip(Compression compression, const std::string& text, size_t block, size_t* members = nullptr) {
  char folder[] = "/tmp/mysqlpitr-cw-XXXXXX";
  REQUIRE(::mkdtemp(folder));
  std::string path = std::string(folder) + "/out";
  {
    std::ofstream file(path, std::ios::binary);
    CompressorPool pool(3);
    size_t count = 0;
    CompressedWriter writer([&](std::string_view bytes) {
      file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      ++count;
    }, compression, 3, pool, block);
    for (size_t i = 0; i < text.size(); i += 777) writer.write(std::string_view(text).substr(i, 777));
    writer.finish();
    CHECK(writer.bytes_in() == text.size());
    if (members) *members = count;
  }
  auto stream = open_input(path);
  std::string back;
  char buffer[65536];
  while (size_t got = stream->read(buffer, sizeof buffer)) back.append(buffer, got);
  std::remove(path.c_str());
  ::rmdir(folder);
  return back;
}

}  // namespace

TEST_CASE("gzip output made of many members in parallel reads back whole and in order") {
  std::string text = sample_text(3 << 20);
  size_t members = 0;
  CHECK(round_trip(Compression::gzip, text, 64 << 10, &members) == text);
  CHECK(members > 10);
}

TEST_CASE("gzip output is readable by gzip -d") {
  std::string text = sample_text(1 << 20);
  char folder[] = "/tmp/mysqlpitr-cw-XXXXXX";
  REQUIRE(::mkdtemp(folder));
  std::string path = std::string(folder) + "/out.gz";
  {
    std::ofstream file(path, std::ios::binary);
    CompressorPool pool(2);
    CompressedWriter writer([&](std::string_view b) { file.write(b.data(), static_cast<std::streamsize>(b.size())); },
                            Compression::gzip, 6, pool, 100 << 10);
    writer.write(text);
    writer.finish();
  }
  std::string plain = std::string(folder) + "/plain";
  std::ofstream(plain, std::ios::binary) << text;
  CHECK(std::system(("gzip -dc " + path + " | cmp -s - " + plain).c_str()) == 0);
  std::system(("rm -rf " + std::string(folder)).c_str());
}

TEST_CASE("zstd output made of many frames reads back whole") {
  std::string text = sample_text(2 << 20);
  CHECK(round_trip(Compression::zstd, text, 128 << 10) == text);
}

TEST_CASE("uncompressed output is the text itself") {
  std::string text = sample_text(300 << 10);
  CHECK(round_trip(Compression::none, text, 64 << 10) == text);
}

TEST_CASE("compression names and levels are checked") {
  CHECK(parse_compression("zstd") == Compression::zstd);
  CHECK_THROWS(parse_compression("bzip2"));
  CHECK_THROWS(check_level(Compression::gzip, 10));
  CHECK_NOTHROW(check_level(Compression::zstd, 19));
  CHECK(std::string(compression_suffix(Compression::gzip)) == ".gz");
}
