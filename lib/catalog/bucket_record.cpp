#include "catalog/bucket_record.hpp"

#include "core/error.hpp"

namespace mysqlpitr::catalog {
namespace {

constexpr std::string_view kRecordSuffix = ".json";
constexpr const char* kPending = "pending";

bool describes(const nlohmann::json& entry, unsigned long long size) {
  return entry.is_object() && entry.contains("size") && entry.value("size", 0ULL) == size;
}

// A record with a pending entry: the entry of the object the key holds (the old one when the
// object matches neither: its readers then refuse it by its size). No old entry (the object it
// replaced had no record, or the key held nothing): unrecorded, as before, unless the object is
// the pending one.
std::optional<nlohmann::json> resolve_pending(storage::Storage& storage, const std::string& key,
                                              nlohmann::json record) {
  nlohmann::json pending = std::move(record[kPending]);
  record.erase(kPending);
  std::optional<nlohmann::json> old;
  if (!record.empty()) old = std::move(record);
  auto object = storage.stat(key);
  if (!object) return old;
  const bool is_pending = describes(pending, object->size);
  const bool is_old = old && describes(*old, object->size);
  if (is_pending && is_old)
    return storage::digest_object(storage, key).sha256 == pending.value("sha256", "") ? pending : old;
  return is_pending ? std::optional(pending) : old;
}

std::string removal_note(storage::Storage& storage, const std::string& key) {
  try {
    storage.remove(key);
    remove_record(storage, key);
    return fmt::format("nothing was left under {}", storage.describe(key));
  } catch (const Error& error) {
    return fmt::format("{} may have been left under its key: its removal failed ({})", storage.describe(key),
                       error.what());
  }
}

}  // namespace

std::string record_key(const std::string& key) { return kRecordFolder + key + std::string(kRecordSuffix); }

bool is_record_key(const std::string& key) { return key.starts_with(kRecordFolder); }

void write_record(storage::Storage& storage, const std::string& key, const nlohmann::json& entry) {
  storage::write_whole(storage, record_key(key), entry.dump(2) + "\n");
}

storage::Published publish_recorded(storage::Storage& storage, const std::string& key, const nlohmann::json& entry,
                                    const std::function<storage::Published()>& publish) {
  const bool replaces = storage.stat(key).has_value();
  nlohmann::json pending = nlohmann::json::object();
  bool old_recorded = false;
  if (replaces) {
    if (auto old = read_record(storage, key)) {
      pending = std::move(*old);
      old_recorded = true;
    }
  }
  pending[kPending] = entry;
  write_record(storage, key, pending);  // fails: nothing published yet
  try {
    storage::Published published = publish();
    if (published.size != entry.value("size", 0ULL) || published.sha256 != entry.value("sha256", ""))
      throw failure("{} bytes with SHA-256 {} were stored, {} bytes and {} written", published.size, published.sha256,
                    entry.value("size", 0ULL), entry.value("sha256", ""));
    write_record(storage, key, entry);
  } catch (const Error& error) {
    std::string left = !replaces      ? removal_note(storage, key)
                       : old_recorded ? fmt::format("{} holds the object it held before or the new one, and its "
                                                    "record describes both, so readers check whichever is there",
                                                    storage.describe(key))
                                      : fmt::format("{} holds the unrecorded object it held before (still ignored "
                                                    "by readers) or the new one, which its record describes",
                                                    storage.describe(key));
    throw Error(error.code(), fmt::format("{}: {}; {}", storage.describe(key), error.what(), left));
  }
  // Two runs writing one key from hosts that share no lock (two servers on one prefix): the
  // other's object may have taken the key between this publish and this record. Nothing is
  // removed then: the object there is the other run's.
  auto now = storage.stat(key);
  if (!now || now->size != entry.value("size", 0ULL))
    throw failure("{}: another run replaced it while its record was being written ({} there, {} bytes written): the "
                  "record no longer describes it; run the backup again, and give each server its own s3.prefix",
                  storage.describe(key), now ? fmt::format("{} bytes", now->size) : std::string("nothing"),
                  entry.value("size", 0ULL));
  return {entry.value("size", 0ULL), entry.value("sha256", "")};
}

namespace {

// A record's text as JSON; nullopt (and `why`) when it is not a JSON object.
std::optional<nlohmann::json> parse_record(const std::string& text, std::string& why) {
  try {
    nlohmann::json parsed = nlohmann::json::parse(text);
    if (parsed.is_object()) return parsed;
    why = "not a JSON object";
  } catch (const nlohmann::json::exception& error) {
    why = error.what();
  }
  return std::nullopt;
}

std::optional<nlohmann::json> entry_of(storage::Storage& storage, const std::string& key, nlohmann::json parsed) {
  if (parsed.contains(kPending)) return resolve_pending(storage, key, std::move(parsed));
  return parsed;
}

}  // namespace

std::optional<nlohmann::json> read_record(storage::Storage& storage, const std::string& key) {
  const std::string record = record_key(key);
  if (!storage.stat(record)) return std::nullopt;
  std::string why;
  auto parsed = parse_record(storage::read_whole(storage, record), why);
  if (!parsed) throw failure("{}: not a mysqlpitr record: {}", storage.describe(record), why);
  return entry_of(storage, key, std::move(*parsed));
}

std::map<std::string, nlohmann::json> read_records(storage::Storage& storage, const std::string& prefix,
                                                   std::map<std::string, std::string>* unreadable) {
  std::map<std::string, nlohmann::json> records;
  const std::string folder = kRecordFolder;
  for (const auto& object : storage.list(folder + prefix)) {
    if (!object.key.ends_with(kRecordSuffix)) continue;
    std::string key = object.key.substr(folder.size(), object.key.size() - folder.size() - kRecordSuffix.size());
    if (!storage.stat(object.key)) continue;  // removed since the listing (a prune)
    std::string why;
    // One damaged record is that object's problem, not every other backup's: it is left out.
    auto parsed = parse_record(storage::read_whole(storage, object.key), why);
    if (!parsed) {
      if (unreadable)
        (*unreadable)[key] = fmt::format("{}: not a mysqlpitr record: {}", storage.describe(object.key), why);
      continue;
    }
    if (auto entry = entry_of(storage, key, std::move(*parsed))) records.emplace(key, std::move(*entry));
  }
  return records;
}

void remove_record(storage::Storage& storage, const std::string& key) { storage.remove(record_key(key)); }

}  // namespace mysqlpitr::catalog
