#include "catalog/naming.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <string_view>

#include "core/time.hpp"

namespace mysqlpitr::catalog {
namespace {

constexpr const char* kHistoricalMarker = "-back_";
constexpr const char* kSchemaPrefix = "back-no-data_";
constexpr const char* kPitrSuffix = "-back.sql";
constexpr const char* kMongoPrefix = "backup_";

std::optional<std::string> dump_extension(const std::string& name) {
  for (const char* extension : {".sql.gz", ".sql.zst", ".sql"})
    if (name.size() > std::string(extension).size() && name.ends_with(extension)) return std::string(extension);
  return std::nullopt;
}

}  // namespace

const char* kind_name(BackupKind kind) {
  switch (kind) {
    case BackupKind::historical: return "historical";
    case BackupKind::schema: return "schema";
    case BackupKind::pitr_base: return "pitr-base";
    case BackupKind::mongo: return "mongo";
  }
  return "?";
}

bool is_internal_name(const std::string& name) { return !name.empty() && name[0] == '.'; }

std::optional<std::string> unfinished_target(const std::string& name) {
  constexpr std::string_view marker = ".partial";
  if (!is_internal_name(name)) return std::nullopt;
  auto at = name.rfind(marker);
  if (at == std::string::npos || at < 2) return std::nullopt;
  std::string_view rest = std::string_view(name).substr(at + marker.size());
  bool suffix_ok = rest.empty() || (rest.size() > 1 && rest[0] == '-' &&
                                    std::all_of(rest.begin() + 1, rest.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }));
  if (!suffix_ok) return std::nullopt;
  std::string target = name.substr(1, at - 1);
  // A spool's ".<n>-<m>" never ends a dump name (those end in .sql, .gz or .zst).
  static const std::regex spool_index(R"(^(.+\.sql(\.gz|\.zst)?)\.[0-9]+-[0-9]+$)");
  std::smatch match;
  if (std::regex_match(target, match, spool_index)) return match[1].str();
  return target;
}

std::optional<ParsedName> parse_historical_name(const std::string& name, const std::string& date_format) {
  if (is_internal_name(name) || name.starts_with(kSchemaPrefix)) return std::nullopt;
  auto extension = dump_extension(name);
  if (!extension) return std::nullopt;
  std::string stem = name.substr(0, name.size() - extension->size());
  // The old page took the database as everything before "-back_"; a database whose own name holds
  // "-back_" is still read right when the date after the last marker parses.
  auto marker = stem.rfind(kHistoricalMarker);
  if (marker == std::string::npos || marker == 0) return std::nullopt;
  ParsedName parsed{BackupKind::historical, stem.substr(0, marker), stem.substr(marker + 6), std::nullopt, *extension};
  if (parsed.date_text.empty()) return std::nullopt;
  parsed.time = core::parse_local(parsed.date_text, date_format);
  if (!parsed.time) {
    auto first = stem.find(kHistoricalMarker);
    if (first != marker) {
      ParsedName alternative = parsed;
      alternative.database = stem.substr(0, first);
      alternative.date_text = stem.substr(first + 6);
      alternative.time = core::parse_local(alternative.date_text, date_format);
      if (alternative.time) return alternative;
    }
  }
  return parsed;
}

std::optional<ParsedName> parse_schema_name(const std::string& name, const std::string& date_format) {
  if (!name.starts_with(kSchemaPrefix)) return std::nullopt;
  auto extension = dump_extension(name);
  if (!extension) return std::nullopt;
  std::string date_text = name.substr(std::string(kSchemaPrefix).size(),
                                      name.size() - std::string(kSchemaPrefix).size() - extension->size());
  if (date_text.empty()) return std::nullopt;
  return ParsedName{BackupKind::schema, "", date_text, core::parse_local(date_text, date_format), *extension};
}

std::optional<ParsedName> parse_pitr_base_name(const std::string& name) {
  if (is_internal_name(name) || !name.ends_with(kPitrSuffix) || name.size() == std::string(kPitrSuffix).size())
    return std::nullopt;
  return ParsedName{BackupKind::pitr_base, name.substr(0, name.size() - std::string(kPitrSuffix).size()), "",
                    std::nullopt, ".sql"};
}

std::optional<ParsedName> parse_mongo_folder_name(const std::string& name, const std::string& date_format) {
  if (!name.starts_with(kMongoPrefix) || name.size() == std::string(kMongoPrefix).size()) return std::nullopt;
  std::string date_text = name.substr(std::string(kMongoPrefix).size());
  return ParsedName{BackupKind::mongo, "", date_text, core::parse_local(date_text, date_format), ""};
}

std::string historical_name(const std::string& database, const std::string& date_text, const std::string& extension) {
  return database + kHistoricalMarker + date_text + extension;
}
std::string schema_name(const std::string& date_text, const std::string& extension) {
  return kSchemaPrefix + date_text + extension;
}
std::string pitr_base_name(const std::string& database) { return database + kPitrSuffix; }
std::string mongo_folder_name(const std::string& date_text) { return kMongoPrefix + date_text; }

}  // namespace mysqlpitr::catalog
