#include <doctest/doctest.h>

#include "binlog/event_type.hpp"
#include "binlog/format.hpp"
#include "pitr/row_statement.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::pitr;

namespace {

// A fake event of `size` bytes: a 19-byte header with the type, then a table id and flags.
Bytes event(std::uint8_t type, std::size_t size, std::uint8_t fill, bool statement_end = false) {
  Bytes raw(size, fill);
  for (int i = 0; i < 19; ++i) raw[i] = 0;
  raw[4] = type;
  raw[19 + 6] = statement_end ? 1 : 0;  // flags after the 6-byte table id
  raw[19 + 7] = 0;
  return raw;
}

std::string encoded(const Bytes& raw) { return base64(raw.data(), raw.size()); }

}  // namespace

TEST_CASE("a statement larger than a chunk is cut into BINLOG statements that each carry its table maps") {
  binlog::FormatDescription format = binlog::default_format();
  RowStatements rows(format, 100);
  std::vector<RowChunk> out;
  Bytes map = event(binlog::type::table_map, 40, 'm');
  rows.add_map(map, out);
  rows.add_rows(event(binlog::type::write_rows, 60, 'a'), 1000, out);
  rows.add_rows(event(binlog::type::write_rows, 60, 'b'), 1060, out);
  rows.add_rows(event(binlog::type::write_rows, 60, 'c', true), 1120, out);
  REQUIRE(out.size() == 3);
  for (const auto& chunk : out) CHECK(chunk.sql.rfind("BINLOG '\n" + encoded(map) + "\n", 0) == 0);
  // Each part ends its statement, so the server closes the tables it opened.
  Bytes first = event(binlog::type::write_rows, 60, 'a', true);
  CHECK(out[0].sql == "BINLOG '\n" + encoded(map) + "\n" + encoded(first) + "\n'");
  CHECK(out[0].first == 1000);
  CHECK(out[1].first == 1060);
  CHECK(out[2].first == 1120);
  CHECK(out[2].last == 1120);
}

TEST_CASE("the row events of one statement go in one BINLOG statement, naming their first and last positions") {
  binlog::FormatDescription format = binlog::default_format();
  RowStatements rows(format, 1 << 20);
  std::vector<RowChunk> out;
  rows.add_map(event(binlog::type::table_map, 40, 'm'), out);
  rows.add_map(event(binlog::type::table_map, 40, 'n'), out);
  rows.add_rows(event(binlog::type::write_rows, 60, 'a'), 500, out);
  CHECK(out.empty());
  rows.add_rows(event(binlog::type::write_rows, 60, 'b', true), 560, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].first == 500);
  CHECK(out[0].last == 560);
}

TEST_CASE("a table map after row events starts a new statement even when the last one's end was left out") {
  binlog::FormatDescription format = binlog::default_format();
  RowStatements rows(format, 1 << 20);
  std::vector<RowChunk> out;
  Bytes second_map = event(binlog::type::table_map, 40, 'n');
  rows.add_map(event(binlog::type::table_map, 40, 'm'), out);
  rows.add_rows(event(binlog::type::write_rows, 60, 'a'), 500, out);  // its STMT_END_F was on another database's event
  rows.add_map(second_map, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].sql.find(encoded(event(binlog::type::write_rows, 60, 'a', true))) != std::string::npos);
  rows.add_rows(event(binlog::type::write_rows, 60, 'b'), 600, out);
  rows.finish(out);
  REQUIRE(out.size() == 2);
  CHECK(out[1].sql.rfind("BINLOG '\n" + encoded(second_map) + "\n", 0) == 0);
  CHECK(out[1].sql.find(encoded(event(binlog::type::table_map, 40, 'm'))) == std::string::npos);
}

TEST_CASE("table maps without row events send nothing") {
  binlog::FormatDescription format = binlog::default_format();
  RowStatements rows(format, 1 << 20);
  std::vector<RowChunk> out;
  rows.add_map(event(binlog::type::table_map, 40, 'm'), out);
  rows.finish(out);
  CHECK(out.empty());
}

TEST_CASE("a part is cut before a row event that would take it past the limit, not after") {
  binlog::FormatDescription format = binlog::default_format();
  RowStatements rows(format, 100);
  std::vector<RowChunk> out;
  Bytes map = event(binlog::type::table_map, 20, 'm');
  rows.add_map(map, out);
  rows.add_rows(event(binlog::type::update_rows, 30, 'a'), 100, out);
  rows.add_rows(event(binlog::type::update_rows, 30, 'b'), 130, out);
  CHECK(out.empty());
  rows.add_rows(event(binlog::type::update_rows, 70, 'c', true), 160, out);
  REQUIRE(out.size() == 2);
  // 20 + 30 + 30 bytes, then the map again with the 70-byte event: neither part above 100 bytes.
  CHECK(out[0].first == 100);
  CHECK(out[0].last == 130);
  CHECK(out[1].first == 160);
  CHECK(out[1].sql == "BINLOG '\n" + encoded(map) + "\n" + encoded(event(binlog::type::update_rows, 70, 'c', true)) + "\n'");
  for (const auto& chunk : out) CHECK(chunk.sql.size() <= std::string("BINLOG '\n\n\n'").size() + (100 + 2) / 3 * 4 + 4);
}
