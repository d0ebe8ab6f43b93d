#include "mongo/verify.hpp"

#include <map>
#include <optional>
#include <utility>

#include "core/error.hpp"
#include "mongo/bson_stream.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::mongo {

namespace fs = std::filesystem;

std::uint64_t VerifyReport::documents() const {
  std::uint64_t sum = 0;
  for (const auto& c : collections) sum += c.documents;
  return sum;
}

namespace {

// Every file under the folder (through lib/storage's posix driver: links are not followed), by
// path relative to it; empty when it is not a folder.
std::vector<storage::ObjectInfo> files_under(const fs::path& folder) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) return {};
  return storage::open_posix(folder.string())->list("");
}

// "db1/c1.bson" -> {"db1", "c1.bson"}; nothing for a file outside a database folder.
std::optional<std::pair<std::string, std::string>> database_and_file(const std::string& key) {
  auto slash = key.find('/');
  if (slash == std::string::npos || key.find('/', slash + 1) != std::string::npos) return std::nullopt;
  return std::pair(key.substr(0, slash), key.substr(slash + 1));
}

bool is_metadata_name(const std::string& name) {
  return name.ends_with(".metadata.json") || name.ends_with(".metadata.json.gz");
}

}  // namespace

// Only the folder's first two levels are looked at: any folder may be given to `verify`, and a
// large tree that is not a dump must not be walked.
bool looks_like_dump_folder(const fs::path& path) {
  try {
    auto folder = storage::open_posix(path.string());
    for (const auto& database : folder->list_level("").folders) {
      for (const auto& file : folder->list_level(database.key + "/").objects) {
        std::string name = without_encryption_suffix(file.key.substr(database.key.size() + 1));
        if (name.ends_with(".bson") || name.ends_with(".bson.gz") || is_metadata_name(name)) return true;
      }
    }
  } catch (const Error&) {
    // an unreadable folder is not recognised as a dump
  }
  return false;
}

VerifyReport verify_dump_folder(const fs::path& path, crypto::KeyRing* keys) {
  VerifyReport report;
  report.folder = path;
  DumpFolder dump;
  try {
    dump = scan_dump_folder(path, keys);
  } catch (const Error& error) {
    report.errors.push_back(error.what());  // an encrypted file without its key, say
    return report;
  }
  report.ignored = dump.ignored;
  for (const auto& problem : dump.problems) report.errors.push_back(problem.reason);
  for (const auto& collection : dump.collections) {
    VerifiedCollection verified{collection.database, collection.name, collection.data_file, 0,
                                collection.data_bytes, {}};
    if (!collection.data_file.empty()) {
      try {
        verified.documents = scan_bson_file(collection.data_file, true, dump.open).documents;
      } catch (const Error& error) {
        verified.error = error.what();
        report.errors.push_back(verified.error);
      }
    }
    report.collections.push_back(std::move(verified));
  }
  return report;
}

std::string key_problem(const fs::path& path, crypto::KeyRing* keys) {
  for (const auto& file : files_under(path)) {
    if (!has_encryption_suffix(file.key)) continue;
    try {
      decrypting_opener(storage_opener(storage::open_posix(path.string()), path), keys)(path / file.key);
      return {};
    } catch (const Error& problem) {
      return problem.what();
    }
  }
  return {};
}

std::vector<DatabaseSummary> summarize_dump_folder(const fs::path& path) {
  std::map<std::string, DatabaseSummary> by_name;
  for (const auto& file : files_under(path)) {
    auto in_database = database_and_file(file.key);
    if (!in_database || in_database->first.starts_with(".")) continue;
    DatabaseSummary& summary = by_name[in_database->first];
    summary.name = in_database->first;
    summary.bytes += file.size;
    if (is_metadata_name(without_encryption_suffix(in_database->second))) ++summary.collections;
  }
  std::vector<DatabaseSummary> result;
  for (auto& [name, summary] : by_name) result.push_back(std::move(summary));
  return result;
}

}  // namespace mysqlpitr::mongo
