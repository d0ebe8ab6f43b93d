#include "mongo/verify.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "mongo/bson_stream.hpp"

namespace mysqlpitr::mongo {

namespace fs = std::filesystem;

std::uint64_t VerifyReport::documents() const {
  std::uint64_t sum = 0;
  for (const auto& c : collections) sum += c.documents;
  return sum;
}

bool looks_like_dump_folder(const fs::path& path) {
  std::error_code error;
  if (!fs::is_directory(path, error)) return false;
  for (const auto& database : fs::directory_iterator(path, error)) {
    if (!database.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(database.path(), error)) {
      std::string name = without_encryption_suffix(file.path().filename().string());
      for (auto suffix : {".bson", ".bson.gz", ".metadata.json", ".metadata.json.gz"}) {
        if (name.ends_with(suffix)) return true;
      }
    }
  }
  return false;
}

VerifyReport verify_dump_folder(const fs::path& path, crypto::KeyRing* keys) {
  VerifyReport report;
  report.folder = path;
  DumpFolder dump;
  try {
    dump = scan_dump_folder(path, decrypting_opener({}, keys));
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
  std::error_code error;
  for (fs::recursive_directory_iterator it(path, error), end; !error && it != end; it.increment(error)) {
    if (!it->is_regular_file() || !has_encryption_suffix(it->path())) continue;
    try {
      decrypting_opener({}, keys)(it->path());
      return {};
    } catch (const Error& problem) {
      return problem.what();
    }
  }
  return {};
}

std::vector<DatabaseSummary> summarize_dump_folder(const fs::path& path) {
  std::vector<DatabaseSummary> result;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(path, error)) {
    if (!entry.is_directory() || entry.path().filename().string().starts_with(".")) continue;
    DatabaseSummary summary;
    summary.name = entry.path().filename().string();
    for (const auto& file : fs::directory_iterator(entry.path(), error)) {
      if (!file.is_regular_file()) continue;
      std::string name = without_encryption_suffix(file.path().filename().string());
      summary.bytes += file.file_size(error);
      if (name.ends_with(".metadata.json") || name.ends_with(".metadata.json.gz")) ++summary.collections;
    }
    result.push_back(std::move(summary));
  }
  std::sort(result.begin(), result.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return result;
}

}  // namespace mysqlpitr::mongo
