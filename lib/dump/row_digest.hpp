#pragma once
// A fingerprint of a table's rows as a dump writes them, recorded per table in the manifest
// ("table_digests") so that `verify --drill` tells a restore that brought back other values from
// one that brought back the dump's: row counts alone miss a changed value. It is the sum modulo
// 2^64 of a 64-bit keyed hash (SipHash-2-4, libsodium's crypto_shorthash, a fixed key) of each
// row's SQL text "(v1,v2,...)" (table_rows.hpp); a sum does not depend on the order rows come in,
// which a restored table need not keep. A check against accidents, not against forgery.
#include <cstdint>
#include <string>
#include <string_view>

#include "mysql/connection.hpp"

namespace mysqlpitr::dump {

class RowDigest {
 public:
  void add(std::string_view row_text) noexcept;
  void add(const RowDigest& other) noexcept { sum_ += other.sum_; }
  std::string hex() const;  // 16 hex digits

 private:
  std::uint64_t sum_ = 0;
};

struct TableContent {
  unsigned long long rows = 0;
  RowDigest digest;
};

// Reads `database`.`table` as the dump does and fingerprints it. The connection's session must be
// a dump's (prepare_dump_session: UTC for TIMESTAMP text), or the same values give other text.
TableContent read_table_content(mysql::Connection& connection, const std::string& database, const std::string& table);

}  // namespace mysqlpitr::dump
