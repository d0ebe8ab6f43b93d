#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "io/input_stream.hpp"
#include "io/read_ahead.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr;
using mysqlpitr::testing::TempDir;

namespace {

std::uint32_t crc32_of(const std::string& bytes) {
  std::uint32_t crc = 0xffffffffu;
  for (unsigned char byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string le16(unsigned value) { return {static_cast<char>(value & 0xff), static_cast<char>(value >> 8)}; }

// A gzip member's deflate data and trailer, as `gzip -n` writes them (its header is 10 bytes).
std::string member_body(TempDir& dir, const std::string& name, const std::string& data) {
  std::string plain = dir.write(name, data);
  REQUIRE(std::system(("gzip -n -1 -c " + plain + " > " + plain + ".gz").c_str()) == 0);
  return testing::read_file(plain + ".gz").substr(10);
}

std::string header(unsigned char flags) { return std::string("\x1f\x8b\x08", 3) + char(flags) + std::string(6, '\0'); }

std::string read_all(std::unique_ptr<io::InputStream> stream) {
  std::string out;
  std::string buffer(1 << 16, '\0');
  for (size_t got; (got = stream->read(buffer.data(), buffer.size())) > 0;) out.append(buffer.data(), got);
  return out;
}

}  // namespace

TEST_CASE("gzip input: a member header split across two reads, with name, comment and header CRC, reads whole") {
  TempDir dir;
  std::string first_data, second_data;
  std::srand(7);
  for (int i = 0; i < 230000; ++i) first_data += static_cast<char>(std::rand() & 0xff);  // barely compressible
  for (int i = 0; i < 2000; ++i) second_data += "INSERT INTO t VALUES (" + std::to_string(i) + ");\n";
  std::string first_body = member_body(dir, "first", first_data);
  std::string second_body = member_body(dir, "second", second_data);
  // FNAME, FCOMMENT and FHCRC: the header CRC is the low 16 bits of the header's CRC-32.
  std::string second_head = header(8 | 16 | 2) + std::string("dump.sql\0", 9) + std::string("made by a test\0", 15);
  second_head += le16(crc32_of(second_head) & 0xffff);
  const size_t boundary = 1 << 18;  // the gzip reader's read size
  REQUIRE(first_body.size() + 12 < boundary);
  for (size_t before = 1; before <= second_head.size() + 1; ++before) {
    // The first member's FEXTRA field pads it so that the second header starts `before` bytes
    // ahead of the boundary.
    size_t pad = boundary - before - 12 - first_body.size();
    REQUIRE(pad < 65536);
    std::string file = header(4) + le16(static_cast<unsigned>(pad)) + std::string(pad, 'p') + first_body +
                       second_head + second_body;
    std::string path = dir.write("split.gz", file);
    INFO("second header starts " << before << " bytes before the read boundary");
    CHECK(read_all(io::open_input(path)) == first_data + second_data);
    CHECK(read_all(io::read_ahead(io::open_input(path))) == first_data + second_data);
  }
}

TEST_CASE("gzip input: a read of zero bytes returns at once") {
  TempDir dir;
  std::string path = dir.file("x.gz");
  REQUIRE(std::system(("seq 1 1000 | gzip -c > " + path).c_str()) == 0);
  auto stream = io::open_input(path);
  char byte = 0;
  CHECK(stream->read(&byte, 0) == 0);
  CHECK(read_all(std::move(stream)).size() == 3893);  // seq 1 1000 | wc -c
}
