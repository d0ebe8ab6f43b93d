#include <doctest/doctest.h>

#include "binlog/event_type.hpp"
#include "binlog/format.hpp"
#include "pitr/event_rewrite.hpp"
#include "pitr/session_sql.hpp"

using namespace mysqlpitr;
using namespace mysqlpitr::pitr;

TEST_CASE("binary decimals print as the server stores them") {
  // DECIMAL(10,2) 1234.56: 8 integer digits in 4 bytes (after 2 leading digits... ) built by hand:
  // integral 8 digits -> 4 bytes (0x000004D2 = 1234), fraction 2 digits -> 1 byte (56), sign bit set.
  std::uint8_t positive[] = {0x80, 0x00, 0x04, 0xD2, 0x38};
  CHECK(decimal_to_string(positive, sizeof positive, 10, 2) == "1234.56");
  std::uint8_t negative[sizeof positive];
  for (size_t i = 0; i < sizeof positive; ++i) negative[i] = static_cast<std::uint8_t>(~positive[i]);
  CHECK(decimal_to_string(negative, sizeof negative, 10, 2) == "-1234.56");
  std::uint8_t zero[] = {0x80, 0x00, 0x00, 0x00, 0x00};
  CHECK(decimal_to_string(zero, sizeof zero, 10, 2) == "0.00");
}

TEST_CASE("user variables become typed SET statements") {
  Collations collations = {{45, {"utf8mb4", "utf8mb4_general_ci"}}, {63, {"binary", "binary"}}};
  binlog::UserVarEvent text;
  text.name = "label";
  text.is_null = false;
  text.value_type = 0;
  text.charset = 45;
  text.value = "ab";
  CHECK(user_var_sql(text, collations) == "SET @`label`:=_utf8mb4 X'6162' COLLATE `utf8mb4_general_ci`");
  binlog::UserVarEvent integer = text;
  integer.value_type = 2;
  integer.value = std::string("\xfe\xff\xff\xff\xff\xff\xff\xff", 8);
  CHECK(user_var_sql(integer, collations) == "SET @`label`:=-2");
  integer.flags = 1;
  CHECK(user_var_sql(integer, collations) == "SET @`label`:=18446744073709551614");
  binlog::UserVarEvent null = text;
  null.is_null = true;
  CHECK(user_var_sql(null, collations) == "SET @`label`:=NULL");
}

TEST_CASE("the session context is sent only when it changes") {
  SessionContext session;
  binlog::QueryEvent query;
  query.thread_id = 7;
  query.status.sql_mode = 0;
  query.status.flags2 = 1u << 26;  // foreign key checks off
  std::vector<std::string> out;
  session.prepare(query, 1000, "shop", out);
  REQUIRE(out.size() == 2);
  CHECK(out[0] == "USE `shop`");
  CHECK(out[1].find("TIMESTAMP=1000") != std::string::npos);
  CHECK(out[1].find("@@session.pseudo_thread_id=7") != std::string::npos);
  CHECK(out[1].find("@@session.foreign_key_checks=0") != std::string::npos);
  out.clear();
  session.prepare(query, 1001, "shop", out);
  REQUIRE(out.size() == 1);
  CHECK(out[0] == "SET TIMESTAMP=1001");
  out.clear();
  session.reset();
  session.prepare(query, 1001, "shop", out);
  CHECK(out.size() == 2);
}

TEST_CASE("INSERT_ID, LAST_INSERT_ID and RAND seeds are replayed as the server logged them") {
  CHECK(intvar_sql({2, 17}) == "SET INSERT_ID=17");
  CHECK(intvar_sql({1, 5}) == "SET LAST_INSERT_ID=5");
  CHECK(rand_sql({11, 22}) == "SET @@RAND_SEED1=11, @@RAND_SEED2=22");
}

TEST_CASE("base64 of event bytes") {
  std::uint8_t bytes[] = {'f', 'o', 'o', 'b', 'a'};
  CHECK(base64(bytes, 5) == "Zm9vYmE=");
  CHECK(base64(bytes, 3) == "Zm9v");
  CHECK(base64(bytes, 4) == "Zm9vYg==");
}

TEST_CASE("a table map's database is rewritten with its length and CRC32 fixed") {
  binlog::FormatDescription format = binlog::default_format();
  format.checksum = binlog::ChecksumAlg::crc32;
  Bytes raw(19, 0);
  raw[4] = binlog::type::table_map;
  for (std::uint8_t b : {1, 0, 0, 0, 0, 0, 0, 0}) raw.push_back(b);  // table id, flags
  raw.push_back(4);
  for (char c : std::string("shop")) raw.push_back(static_cast<std::uint8_t>(c));
  raw.push_back(0);
  raw.push_back(1);
  raw.push_back('t');
  raw.push_back(0);
  raw.push_back(1);  // one column
  raw.push_back(3);  // LONG
  raw.push_back(0);  // metadata length
  raw.push_back(0);  // null bitmap
  raw.resize(raw.size() + 4);
  raw[9] = static_cast<std::uint8_t>(raw.size());
  fix_checksum(raw, format);
  Bytes out = rewrite_table_map_database(raw, format, "shop_copy");
  CHECK(out.size() == raw.size() + 5);
  CHECK(out[9] == out.size());
  CHECK(out[27] == 9);
  CHECK(std::string(out.begin() + 28, out.begin() + 37) == "shop_copy");
  std::uint32_t stored = out[out.size() - 4] | (out[out.size() - 3] << 8) | (out[out.size() - 2] << 16) |
                         (std::uint32_t(out[out.size() - 1]) << 24);
  CHECK(stored == binlog::crc32_of(out.data(), out.size() - 4));
}
