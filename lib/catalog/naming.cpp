#include "catalog/naming.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <regex>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"
#include "io/files.hpp"

namespace mysqlpitr::catalog {
namespace {

constexpr const char* kHistoricalMarker = "-back_";
constexpr const char* kSchemaPrefix = "back-no-data_";
constexpr const char* kPitrSuffix = "-back.sql";
constexpr const char* kMongoPrefix = "backup_";

bool must_encode(std::string_view name, size_t at) {
  auto byte = static_cast<unsigned char>(name[at]);
  if (byte == '/' || byte == '%' || byte < 0x20 || byte == 0x7F) return true;
  if (at == 0 && (byte == '.' || name.starts_with(kSchemaPrefix))) return true;
  return at + 1 == name.size() && byte == ' ';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // lower case is never written, so never decoded
}

// The database of a historical name's stem: the text before the last "-back_" whose date parses,
// else before the last "-back_" (a date in another format still leaves the database whole).
std::optional<ParsedName> split_historical_stem(const std::string& stem, const std::string& date_format) {
  const size_t marker_size = std::string_view(kHistoricalMarker).size();
  std::optional<ParsedName> fallback;
  for (size_t marker = stem.rfind(kHistoricalMarker); marker != std::string::npos && marker > 0;
       marker = stem.rfind(kHistoricalMarker, marker - 1)) {
    ParsedName parsed{BackupKind::historical, decode_database_name(stem.substr(0, marker)),
                      stem.substr(marker + marker_size), std::nullopt, ""};
    if (parsed.date_text.empty()) return std::nullopt;
    parsed.time = core::parse_local(parsed.date_text, date_format);
    if (parsed.time) return parsed;
    if (!fallback) fallback = parsed;
  }
  return fallback;
}

std::optional<std::string> dump_extension(const std::string& name) {
  for (const char* extension : {".sql.gz", ".sql.zst", ".sql"})
    if (name.size() > std::string(extension).size() && name.ends_with(extension)) return std::string(extension);
  return std::nullopt;
}

// Parses `name` with `parse`, first without a trailing ".enc" (marking the result encrypted).
template <class Parse>
std::optional<ParsedName> parse_maybe_encrypted(const std::string& name, Parse parse) {
  auto [plain, encrypted] = without_encryption_suffix(name);
  if (plain.empty()) return std::nullopt;
  auto parsed = parse(plain);
  if (parsed) parsed->encrypted = encrypted;
  return parsed;
}

}  // namespace

std::string with_encryption_suffix(std::string name, bool encrypted) {
  if (encrypted) name += kEncryptedSuffix;
  return name;
}

std::pair<std::string, bool> without_encryption_suffix(const std::string& name) {
  if (name.ends_with(kEncryptedSuffix)) return {name.substr(0, name.size() - kEncryptedSuffix.size()), true};
  return {name, false};
}

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
  // A spool's ".<n>-<m>" never ends a dump name (those end in .sql, .gz, .zst or .enc).
  static const std::regex spool_index(R"(^(.+\.sql(\.gz|\.zst)?(\.enc)?)\.[0-9]+-[0-9]+$)");
  std::smatch match;
  if (std::regex_match(target, match, spool_index)) return match[1].str();
  return target;
}

std::optional<ParsedName> parse_historical_name(const std::string& whole, const std::string& date_format) {
  return parse_maybe_encrypted(whole, [&](const std::string& name) -> std::optional<ParsedName> {
    if (is_internal_name(name) || name.starts_with(kSchemaPrefix)) return std::nullopt;
    auto extension = dump_extension(name);
    if (!extension) return std::nullopt;
    auto parsed = split_historical_stem(name.substr(0, name.size() - extension->size()), date_format);
    if (parsed) parsed->extension = *extension;
    return parsed;
  });
}

std::optional<ParsedName> parse_schema_name(const std::string& whole, const std::string& date_format) {
  return parse_maybe_encrypted(whole, [&](const std::string& name) -> std::optional<ParsedName> {
    if (!name.starts_with(kSchemaPrefix)) return std::nullopt;
    auto extension = dump_extension(name);
    if (!extension) return std::nullopt;
    std::string date_text = name.substr(std::string(kSchemaPrefix).size(),
                                        name.size() - std::string(kSchemaPrefix).size() - extension->size());
    if (date_text.empty()) return std::nullopt;
    return ParsedName{BackupKind::schema, "", date_text, core::parse_local(date_text, date_format), *extension};
  });
}

std::optional<ParsedName> parse_pitr_base_name(const std::string& whole) {
  return parse_maybe_encrypted(whole, [](const std::string& name) -> std::optional<ParsedName> {
    if (is_internal_name(name) || !name.ends_with(kPitrSuffix) || name.size() == std::string(kPitrSuffix).size())
      return std::nullopt;
    return ParsedName{BackupKind::pitr_base,
                      decode_database_name(name.substr(0, name.size() - std::string(kPitrSuffix).size())), "",
                      std::nullopt, ".sql"};
  });
}

std::optional<ParsedName> parse_mongo_folder_name(const std::string& name, const std::string& date_format) {
  if (!name.starts_with(kMongoPrefix) || name.size() == std::string(kMongoPrefix).size()) return std::nullopt;
  std::string date_text = name.substr(std::string(kMongoPrefix).size());
  return ParsedName{BackupKind::mongo, "", date_text, core::parse_local(date_text, date_format), ""};
}

std::string encode_database_name(std::string_view database) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(database.size());
  for (size_t at = 0; at < database.size(); ++at) {
    if (!must_encode(database, at)) {
      encoded += database[at];
      continue;
    }
    auto byte = static_cast<unsigned char>(database[at]);
    encoded += '%';
    encoded += kHex[byte >> 4];
    encoded += kHex[byte & 0x0F];
  }
  return encoded;
}

std::string decode_database_name(std::string_view text) {
  if (text.find('%') == std::string_view::npos) return std::string(text);
  std::string decoded;
  for (size_t at = 0; at < text.size(); ++at) {
    if (text[at] != '%') {
      decoded += text[at];
      continue;
    }
    int high = at + 2 < text.size() ? hex_value(text[at + 1]) : -1;
    int low = high >= 0 ? hex_value(text[at + 2]) : -1;
    if (low < 0) return std::string(text);
    decoded += static_cast<char>(high * 16 + low);
    at += 2;
  }
  // Only what the encoder writes is decoded: "50%off" of an old script stays "50%off".
  return encode_database_name(decoded) == text ? decoded : std::string(text);
}

std::string path_in_folder(const std::string& folder, const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
      name.find('\0') != std::string::npos)
    throw failure("refusing to write '{}' in {}: not a plain file name of that folder", name, folder);
  if (name.size() + kTemporaryNameReserve > NAME_MAX)
    throw failure("file name {} is {} bytes: with its temporary names it exceeds the file system's limit of {} "
                  "(a shorter backup.date_format leaves more room)",
                  name, name.size(), NAME_MAX);
  return io::join_path(folder, name);
}

std::string historical_name(const std::string& database, const std::string& date_text, const std::string& extension) {
  return encode_database_name(database) + kHistoricalMarker + date_text + extension;
}
std::string schema_name(const std::string& date_text, const std::string& extension) {
  return kSchemaPrefix + date_text + extension;
}
std::string pitr_base_name(const std::string& database, bool encrypted) {
  return with_encryption_suffix(encode_database_name(database) + kPitrSuffix, encrypted);
}
std::string other_pitr_base_name(const std::string& name) {
  auto [plain, encrypted] = without_encryption_suffix(name);
  return encrypted ? plain : with_encryption_suffix(plain, true);
}
std::string mongo_folder_name(const std::string& date_text) { return kMongoPrefix + date_text; }

std::string dump_file_name(BackupKind kind, const std::string& database, const std::string& date_text,
                           io::Compression compression, bool encrypted) {
  std::string extension = std::string(".sql") + io::compression_suffix(compression);
  switch (kind) {
    case BackupKind::historical: return with_encryption_suffix(historical_name(database, date_text, extension), encrypted);
    case BackupKind::schema: return with_encryption_suffix(schema_name(date_text, extension), encrypted);
    case BackupKind::pitr_base: return pitr_base_name(database, encrypted);
    case BackupKind::mongo: break;
  }
  throw failure("no dump file name for {} backups", kind_name(kind));
}

std::string pitr_base_path(const std::string& folder, const std::string& database) {
  std::string own = io::join_path(folder, pitr_base_name(database));
  std::string encrypted = io::join_path(folder, pitr_base_name(database, true));
  std::string legacy = database + kPitrSuffix;
  struct stat plain_st {}, encrypted_st {};
  bool has_plain = ::lstat(own.c_str(), &plain_st) == 0;
  bool has_encrypted = ::lstat(encrypted.c_str(), &encrypted_st) == 0;
  // Both exist only when a run was killed between writing one and removing the other: the newer
  // one is the base.
  if (has_encrypted && (!has_plain || encrypted_st.st_mtim.tv_sec > plain_st.st_mtim.tv_sec ||
                        (encrypted_st.st_mtim.tv_sec == plain_st.st_mtim.tv_sec &&
                         encrypted_st.st_mtim.tv_nsec >= plain_st.st_mtim.tv_nsec)))
    return encrypted;
  if (!has_plain && legacy.find('/') == std::string::npos && ::lstat(io::join_path(folder, legacy).c_str(), &plain_st) == 0)
    return io::join_path(folder, legacy);
  return own;
}

}  // namespace mysqlpitr::catalog
