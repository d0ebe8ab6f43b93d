#include "catalog/bucket_record.hpp"

#include "core/error.hpp"

namespace mysqlpitr::catalog {
namespace {

constexpr std::string_view kRecordSuffix = ".json";

}  // namespace

std::string record_key(const std::string& key) { return kRecordFolder + key + std::string(kRecordSuffix); }

bool is_record_key(const std::string& key) { return key.starts_with(kRecordFolder); }

void write_record(storage::Storage& storage, const std::string& key, const nlohmann::json& entry) {
  storage::write_whole(storage, record_key(key), entry.dump(2) + "\n");
}

std::optional<nlohmann::json> read_record(storage::Storage& storage, const std::string& key) {
  const std::string record = record_key(key);
  if (!storage.stat(record)) return std::nullopt;
  std::string text = storage::read_whole(storage, record);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    throw failure("{}: not a mysqlpitr record: {}", storage.describe(record), error.what());
  }
}

std::map<std::string, nlohmann::json> read_records(storage::Storage& storage, const std::string& prefix) {
  std::map<std::string, nlohmann::json> records;
  const std::string folder = kRecordFolder;
  for (const auto& object : storage.list(folder + prefix)) {
    if (!object.key.ends_with(kRecordSuffix)) continue;
    std::string key = object.key.substr(folder.size(), object.key.size() - folder.size() - kRecordSuffix.size());
    if (auto entry = read_record(storage, key)) records.emplace(key, std::move(*entry));
  }
  return records;
}

void remove_record(storage::Storage& storage, const std::string& key) { storage.remove(record_key(key)); }

}  // namespace mysqlpitr::catalog
