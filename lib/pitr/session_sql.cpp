#include "pitr/session_sql.hpp"

#include <cstring>

#include "core/error.hpp"
#include "mysql/connection.hpp"

namespace mysqlpitr::pitr {
namespace {

// Bits of the Query event's flags2 status variable (the server's OPTION_* flags).
constexpr std::uint32_t kAutoIsNull = 1u << 14;
constexpr std::uint32_t kNoForeignKeyChecks = 1u << 26;
constexpr std::uint32_t kRelaxedUniqueChecks = 1u << 27;

}  // namespace

void SessionContext::prepare(const binlog::QueryEvent& query, std::uint32_t timestamp, const std::string& database,
                             std::vector<std::string>& out) {
  if (!database.empty() && database_ != database) {
    out.push_back("USE " + mysql::quote_identifier(database));
    database_ = database;
    // USE resets collation_database to the new database's.
    state_.erase("@@session.collation_database");
  }
  std::vector<std::pair<std::string, std::string>> wanted;
  std::string time = std::to_string(timestamp);
  if (query.status.microseconds) time += fmt::format(".{:06}", *query.status.microseconds);
  wanted.emplace_back("TIMESTAMP", time);
  wanted.emplace_back("@@session.pseudo_thread_id", std::to_string(query.thread_id));
  if (query.status.flags2) {
    std::uint32_t flags = *query.status.flags2;
    wanted.emplace_back("@@session.foreign_key_checks", (flags & kNoForeignKeyChecks) ? "0" : "1");
    wanted.emplace_back("@@session.sql_auto_is_null", (flags & kAutoIsNull) ? "1" : "0");
    wanted.emplace_back("@@session.unique_checks", (flags & kRelaxedUniqueChecks) ? "0" : "1");
  }
  if (query.status.sql_mode) wanted.emplace_back("@@session.sql_mode", std::to_string(*query.status.sql_mode));
  // Absent auto-increment settings mean the defaults (the server writes them only when not 1).
  wanted.emplace_back("@@session.auto_increment_increment",
                      std::to_string(query.status.auto_increment_increment.value_or(1)));
  wanted.emplace_back("@@session.auto_increment_offset", std::to_string(query.status.auto_increment_offset.value_or(1)));
  if (query.status.charset_client) {
    wanted.emplace_back("@@session.character_set_client", std::to_string(*query.status.charset_client));
    wanted.emplace_back("@@session.collation_connection", std::to_string(*query.status.collation_connection));
    wanted.emplace_back("@@session.collation_server", std::to_string(*query.status.collation_server));
  }
  if (query.status.time_zone) wanted.emplace_back("@@session.time_zone", mysql::quote_string(*query.status.time_zone));
  wanted.emplace_back("@@session.lc_time_names", std::to_string(query.status.lc_time_names.value_or(0)));
  if (query.status.collation_database)
    wanted.emplace_back("@@session.collation_database", std::to_string(*query.status.collation_database));
  if (query.status.explicit_defaults_ts)
    wanted.emplace_back("@@session.explicit_defaults_for_timestamp", *query.status.explicit_defaults_ts ? "1" : "0");
  if (query.status.default_collation_utf8mb4)
    wanted.emplace_back("@@session.default_collation_for_utf8mb4", std::to_string(*query.status.default_collation_utf8mb4));
  if (query.status.sql_require_primary_key)
    wanted.emplace_back("@@session.sql_require_primary_key", std::to_string(*query.status.sql_require_primary_key));

  std::string set;
  for (const auto& [name, value] : wanted) {
    auto known = state_.find(name);
    if (known != state_.end() && known->second == value) continue;
    state_[name] = value;
    set += set.empty() ? "SET " : ",";
    set += name + "=" + value;
  }
  if (!set.empty()) out.push_back(std::move(set));
}

std::string intvar_sql(const binlog::IntvarEvent& event) {
  // Type 1 is LAST_INSERT_ID_EVENT, 2 INSERT_ID_EVENT.
  return fmt::format("SET {}={}", event.kind == 1 ? "LAST_INSERT_ID" : "INSERT_ID", event.value);
}

std::string rand_sql(const binlog::RandEvent& event) {
  return fmt::format("SET @@RAND_SEED1={}, @@RAND_SEED2={}", event.seed1, event.seed2);
}

std::string hex_literal(const std::string& bytes) {
  static const char* digits = "0123456789ABCDEF";
  std::string out = "X'";
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out + "'";
}

std::string decimal_to_string(const std::uint8_t* data, std::size_t size, int precision, int scale) {
  static const int kDigitBytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  const int integral = precision - scale;
  const int int_full = integral / 9, int_rest = integral % 9, frac_full = scale / 9, frac_rest = scale % 9;
  const std::size_t length =
      static_cast<std::size_t>(int_full * 4 + kDigitBytes[int_rest] + frac_full * 4 + kDigitBytes[frac_rest]);
  if (precision < 1 || scale < 0 || scale > precision || size < length)
    throw failure("decimal value of precision {} scale {} does not fit its {} bytes", precision, scale, size);
  std::vector<std::uint8_t> bytes(data, data + length);
  const bool negative = (bytes[0] & 0x80) == 0;
  bytes[0] ^= 0x80;
  if (negative)
    for (auto& b : bytes) b = static_cast<std::uint8_t>(~b);
  std::size_t at = 0;
  auto read = [&](int count) {
    std::uint32_t value = 0;
    for (int i = 0; i < count; ++i) value = (value << 8) | bytes[at++];
    return value;
  };
  std::string integer_part;
  if (int_rest) integer_part += std::to_string(read(kDigitBytes[int_rest]));
  for (int i = 0; i < int_full; ++i) integer_part += fmt::format("{:09}", read(4));
  size_t first = integer_part.find_first_not_of('0');
  integer_part = first == std::string::npos ? "0" : integer_part.substr(first);
  std::string fraction;
  for (int i = 0; i < frac_full; ++i) fraction += fmt::format("{:09}", read(4));
  if (frac_rest) fraction += fmt::format("{:0{}}", read(kDigitBytes[frac_rest]), frac_rest);
  std::string text = (negative ? "-" : "") + integer_part;
  if (!fraction.empty()) text += "." + fraction;
  return text;
}

std::string user_var_sql(const binlog::UserVarEvent& event, const Collations& collations) {
  std::string target = "SET @" + mysql::quote_identifier(event.name) + ":=";
  if (event.is_null) return target + "NULL";
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(event.value.data());
  switch (event.value_type) {
    case 0: {  // STRING_RESULT
      auto found = collations.find(event.charset);
      if (found == collations.end())
        throw failure("user variable @{}: collation id {} is unknown to this server", event.name, event.charset);
      if (found->second.charset == "binary") return target + "_binary " + hex_literal(event.value);
      return target + "_" + found->second.charset + " " + hex_literal(event.value) + " COLLATE " +
             mysql::quote_identifier(found->second.collation);
    }
    case 1: {  // REAL_RESULT
      if (event.value.size() < 8) throw failure("user variable @{}: real value shorter than 8 bytes", event.name);
      double value;
      std::memcpy(&value, bytes, 8);
      return target + fmt::format("{:.17g}", value);
    }
    case 2: {  // INT_RESULT
      if (event.value.size() < 8) throw failure("user variable @{}: integer value shorter than 8 bytes", event.name);
      std::uint64_t value = 0;
      for (int i = 7; i >= 0; --i) value = (value << 8) | bytes[i];
      if (event.flags & 1) return target + std::to_string(value);
      return target + std::to_string(static_cast<std::int64_t>(value));
    }
    case 4: {  // DECIMAL_RESULT: precision, scale, then the binary decimal
      if (event.value.size() < 2) throw failure("user variable @{}: decimal value too short", event.name);
      return target + decimal_to_string(bytes + 2, event.value.size() - 2, bytes[0], bytes[1]);
    }
    default:
      throw failure("user variable @{}: value type {} is not replayable", event.name, event.value_type);
  }
}

}  // namespace mysqlpitr::pitr
