#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "io/compressed_writer.hpp"
#include "io/input_stream.hpp"
#include "io/sha256.hpp"
#include "support/expect_error.hpp"
#include "support/trickle_source.hpp"

using namespace mysqlpitr;
using testing::TrickleSource;

namespace {

std::string read_all(io::InputStream& stream) {
  std::string out;
  char buffer[4096];
  while (size_t got = stream.read(buffer, sizeof buffer)) out.append(buffer, got);
  return out;
}

std::string sha256_of(std::string_view data) {
  io::Sha256 digest;
  digest.update(data);
  return digest.hex_digest();
}
}  // namespace

TEST_CASE("a byte source delivering one byte at a time is recognised, inflated and hashed like a file") {
  std::string text(200000, 'x');
  for (size_t i = 0; i < text.size(); i += 7) text[i] = static_cast<char>('a' + i % 26);
  for (auto compression : {io::Compression::gzip, io::Compression::zstd, io::Compression::none}) {
    CAPTURE(io::compression_name(compression));
    std::string raw = io::compress_block(text, compression, 3);
    io::Sha256 digest;
    auto stream = io::open_input(std::make_unique<TrickleSource>(raw, 1), "s3://bkt/key", &digest);
    CHECK(stream->compression() == compression);
    CHECK(stream->path() == "s3://bkt/key");
    CHECK(read_all(*stream) == text);
    CHECK(stream->compressed_bytes_read() == raw.size());
    CHECK(digest.hex_digest() == sha256_of(raw));
  }
}

TEST_CASE("a cut gzip object from a byte source is an error naming the object") {
  std::string raw = io::compress_block(std::string(100000, 'y'), io::Compression::gzip, 6);
  raw.resize(raw.size() / 2);
  auto stream = io::open_input(std::make_unique<TrickleSource>(raw, 4096), "s3://bkt/cut.sql.gz");
  std::string message = testing::message_of([&] { read_all(*stream); });
  CHECK(message.find("s3://bkt/cut.sql.gz") != std::string::npos);
  CHECK(message.find("truncated") != std::string::npos);
}

TEST_CASE("an empty or tiny byte source is plain data") {
  auto empty = io::open_input(std::make_unique<TrickleSource>("", 1), "empty");
  CHECK(empty->compression() == io::Compression::none);
  CHECK(read_all(*empty).empty());
  auto tiny = io::open_input(std::make_unique<TrickleSource>("\x1f", 1), "tiny");
  CHECK(read_all(*tiny) == "\x1f");
}
