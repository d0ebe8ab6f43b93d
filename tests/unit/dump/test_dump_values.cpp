#include <doctest/doctest.h>
#include <mysql.h>

#include "dump/values.hpp"

using namespace mysqlpitr::dump;

namespace {
std::string literal(ValueKind kind, std::string_view value, bool is_null = false) {
  std::string out;
  append_value(out, kind, value, is_null);
  return out;
}
constexpr unsigned kBinary = 63;
constexpr unsigned kUtf8mb4 = 45;
}  // namespace

TEST_CASE("NULL and the empty string are different literals") {
  CHECK(literal(ValueKind::text, "", true) == "NULL");
  CHECK(literal(ValueKind::text, "") == "''");
  CHECK(literal(ValueKind::binary, "", true) == "NULL");
  CHECK(literal(ValueKind::binary, "") == "''");
  CHECK(literal(ValueKind::number, "", true) == "NULL");
}

TEST_CASE("text escapes every byte the mysql client would misread") {
  CHECK(literal(ValueKind::text, std::string_view("a'b\"c\\d\ne\rf\0g\032h", 15)) ==
        "'a\\'b\\\"c\\\\d\\ne\\rf\\0g\\Zh'");
}

TEST_CASE("unicode text is written byte for byte") {
  CHECK(literal(ValueKind::text, "ñandú 🦤 日本") == "'ñandú 🦤 日本'");
}

TEST_CASE("binary data is written as hex, so no character set can change it") {
  CHECK(literal(ValueKind::binary, std::string_view("\x00\xff\x10'", 4)) == "0x00FF1027");
}

TEST_CASE("BIT values are written as b'' from their big-endian bytes") {
  CHECK(literal(ValueKind::bit, std::string_view("\x05", 1)) == "b'101'");
  CHECK(literal(ValueKind::bit, std::string_view("\x01\x00", 2)) == "b'100000000'");
  CHECK(literal(ValueKind::bit, std::string_view("\x00", 1)) == "b'0'");
}

TEST_CASE("numbers are written as the server printed them") {
  CHECK(literal(ValueKind::number, "-12345678901234567890.123456789") == "-12345678901234567890.123456789");
  CHECK(literal(ValueKind::number, "1.7976931348623157e308") == "1.7976931348623157e308");
}

TEST_CASE("columns are classified by type and character set") {
  CHECK(classify_column(MYSQL_TYPE_LONGLONG, kBinary, 0) == ValueKind::number);
  CHECK(classify_column(MYSQL_TYPE_NEWDECIMAL, kBinary, 0) == ValueKind::number);
  CHECK(classify_column(MYSQL_TYPE_DOUBLE, kBinary, 0) == ValueKind::number);
  CHECK(classify_column(MYSQL_TYPE_BIT, kBinary, 0) == ValueKind::bit);
  CHECK(classify_column(MYSQL_TYPE_BLOB, kBinary, 0) == ValueKind::binary);
  CHECK(classify_column(MYSQL_TYPE_BLOB, kUtf8mb4, 0) == ValueKind::text);
  CHECK(classify_column(MYSQL_TYPE_VAR_STRING, kBinary, 0) == ValueKind::binary);
  CHECK(classify_column(MYSQL_TYPE_STRING, kBinary, ENUM_FLAG) == ValueKind::text);
  CHECK(classify_column(MYSQL_TYPE_GEOMETRY, kBinary, 0) == ValueKind::binary);
  CHECK(classify_column(MYSQL_TYPE_JSON, kBinary, 0) == ValueKind::text);
  CHECK(classify_column(MYSQL_TYPE_DATETIME, kBinary, 0) == ValueKind::text);
  CHECK(classify_column(MYSQL_TYPE_TIMESTAMP, kBinary, 0) == ValueKind::text);
}

TEST_CASE("zero dates are kept as text") {
  CHECK(literal(ValueKind::text, "0000-00-00 00:00:00") == "'0000-00-00 00:00:00'");
}
