#include "dump/row_digest.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include "dump/table_rows.hpp"

namespace mysqlpitr::dump {
namespace {

// Fixed, so that a digest taken by one run compares with another's.
constexpr unsigned char kKey[crypto_shorthash_KEYBYTES] = {'m', 'y', 's', 'q', 'l', 'p', 'i', 't',
                                                           'r', '-', 'r', 'o', 'w', 's', '-', '1'};

}  // namespace

void RowDigest::add(std::string_view row_text) noexcept {
  unsigned char hash[crypto_shorthash_BYTES];
  crypto_shorthash(hash, reinterpret_cast<const unsigned char*>(row_text.data()), row_text.size(), kKey);
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= std::uint64_t(hash[i]) << (8 * i);
  sum_ += value;
}

std::string RowDigest::hex() const { return fmt::format("{:016x}", sum_); }

TableContent read_table_content(mysql::Connection& connection, const std::string& database, const std::string& table) {
  TableContent content;
  auto query = select_table_rows(connection, database, table);
  if (!query) return content;
  std::string text;
  while (auto row = query->result.next()) {
    text.clear();
    append_row(text, query->kinds, *row);
    content.digest.add(text);
    ++content.rows;
  }
  return content;
}

}  // namespace mysqlpitr::dump
