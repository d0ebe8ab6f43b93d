#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/input_stream.hpp"
#include "io/read_ahead.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr;
using mysqlpitr::testing::TempDir;

namespace {

// A source that produces `total` bytes (byte i is i % 251) in reads of at most `step` bytes, then
// fails if `fail` is set, as a cut gzip stream does after its last good bytes.
class Counting final : public io::InputStream {
 public:
  Counting(size_t total, size_t step, bool fail) : InputStream("counting.gz"), total_(total), step_(step), fail_(fail) {}
  size_t read(char* out, size_t size) override {
    if (produced_ == total_) {
      if (fail_) throw std::runtime_error("counting.gz: gzip stream is truncated");
      return 0;
    }
    size_t count = std::min({size, step_, total_ - produced_});
    for (size_t i = 0; i < count; ++i) out[i] = static_cast<char>((produced_ + i) % 251);
    produced_ += count;
    return count;
  }
  unsigned long long compressed_bytes_read() const override { return produced_ / 2; }
  io::Compression compression() const override { return io::Compression::gzip; }

 private:
  size_t total_, step_, produced_ = 0;
  bool fail_;
};

std::string drain(io::InputStream& stream, size_t read_size, std::string* error = nullptr) {
  std::string out;
  std::vector<char> buffer(read_size);
  try {
    for (size_t got; (got = stream.read(buffer.data(), buffer.size())) > 0;) out.append(buffer.data(), got);
  } catch (const std::runtime_error& e) {
    if (!error) throw;
    *error = e.what();
  }
  return out;
}

bool counts_up(const std::string& data) {
  for (size_t i = 0; i < data.size(); ++i)
    if (data[i] != static_cast<char>(i % 251)) return false;
  return true;
}

}  // namespace

TEST_CASE("read-ahead delivers every byte in order, whatever the chunk and read sizes") {
  for (size_t total : {0ul, 1ul, 999ul, 1000ul, 1001ul, 123457ul}) {
    for (size_t read_size : {1ul, 7ul, 1000ul, 65536ul}) {
      auto stream = io::read_ahead(std::make_unique<Counting>(total, 333, false), 1000, 2);
      std::string data = drain(*stream, read_size);
      INFO("total " << total << " read " << read_size);
      CHECK(data.size() == total);
      CHECK(counts_up(data));
      CHECK(stream->compression() == io::Compression::gzip);
      CHECK(stream->path() == "counting.gz");
    }
  }
}

TEST_CASE("read-ahead throws the source's error only after the bytes before it") {
  for (size_t total : {0ul, 500ul, 1000ul, 2500ul}) {
    auto stream = io::read_ahead(std::make_unique<Counting>(total, 300, true), 1000, 3);
    std::string error;
    std::string data = drain(*stream, 4096, &error);
    INFO("total " << total);
    CHECK(data.size() == total);
    CHECK(counts_up(data));
    CHECK(error == "counting.gz: gzip stream is truncated");
  }
}

TEST_CASE("read-ahead reports the source's progress and stops cleanly when dropped half-way") {
  auto stream = io::read_ahead(std::make_unique<Counting>(10 << 20, 4096, false), 1 << 16, 2);
  std::vector<char> buffer(100);
  REQUIRE(stream->read(buffer.data(), buffer.size()) == 100);
  CHECK(stream->compressed_bytes_read() > 0);
  stream.reset();  // the worker is waiting for room: it must stop, not hang or crash
  TempDir dir;
  std::string path = dir.write("plain.sql", std::string(300000, 'x'));
  auto file = io::read_ahead(io::open_input(path));
  CHECK(io::read_to_end(*file) == 300000);
  CHECK(file->compressed_bytes_read() == 300000);
}
