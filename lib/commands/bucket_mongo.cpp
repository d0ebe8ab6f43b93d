#include "commands/bucket_mongo.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "catalog/bucket_record.hpp"
#include "catalog/naming.hpp"
#include "commands/repository.hpp"
#include "commands/verify.hpp"
#include "crypto/open_input.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "io/sha256.hpp"

namespace mysqlpitr::commands {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<storage::Storage> mongo_bucket(const config::Settings& settings) {
  return open_bucket(settings, bucket_folder(catalog::BackupKind::mongo));
}

// The first file a dump's record lists that is missing or of another size where `size_of` looks
// (by its path in the dump), named by `name_of`; empty when every one is there. `record_place`
// follows "the dump's record" in the message (" in s3://...", or nothing).
std::string missing_or_resized(const nlohmann::json& record, const std::string& record_place,
                               const std::function<std::optional<unsigned long long>(const std::string&)>& size_of,
                               const std::function<std::string(const std::string&)>& name_of) {
  for (const auto& file : record.value("files", nlohmann::json::array())) {
    const std::string relative = file.value("path", std::string());
    auto size = size_of(relative);
    if (!size) return fmt::format("{} is missing (the dump's record{} lists it)", name_of(relative), record_place);
    if (*size != file.value("size", 0ULL))
      return fmt::format("{} holds {} bytes, the dump's record{} says {}", name_of(relative), *size, record_place,
                         file.value("size", 0ULL));
  }
  return {};
}

// A local file of a finished dump uploaded: what the bucket received must be what the backup wrote.
void upload_file(storage::Storage& local, storage::Storage& bucket, const mongo::StoredFile& file,
                 const std::string& key) {
  auto writer = bucket.create(key);
  storage::copy_into(local, file.path, *writer);
  storage::Published published = writer->publish();
  if (published.sha256 != file.sha256 || published.size != file.size)
    throw failure("{}: the upload does not match {} as the backup wrote it (size or SHA-256 differ)",
                  bucket.describe(key), local.describe(file.path));
}

// The folder's record: every file with its size and SHA-256.
nlohmann::json dump_record(const std::string& name, const std::vector<mongo::StoredFile>& stored) {
  nlohmann::json files = nlohmann::json::array();
  unsigned long long size = 0;
  for (const auto& file : stored) {
    files.push_back({{"path", file.path}, {"size", file.size}, {"sha256", file.sha256}});
    size += file.size;
  }
  return {{"kind", "mongo"}, {"name", name}, {"size", size},
          {"time", static_cast<long long>(std::time(nullptr))}, {"files", files}};
}

// An object read as it streams in, hashed on the way; at its end, size and SHA-256 are compared
// with the record's: what is read is only trusted once the whole object matched.
class CheckedObject : public io::ByteSource {
 public:
  CheckedObject(std::unique_ptr<storage::Reader> reader, std::string url, unsigned long long size, std::string sha256)
      : reader_(std::move(reader)), url_(std::move(url)), size_(size), sha256_(std::move(sha256)) {}

  size_t read(char* buffer, size_t size) override {
    size_t got = reader_->read(buffer, size);
    if (got > 0) {
      digest_.update(std::string_view(buffer, got));
      read_ += got;
      if (read_ > size_) throw mismatch(fmt::format("more than {} bytes", size_));
      return got;
    }
    if (!checked_) {
      checked_ = true;
      std::string sha256 = digest_.hex_digest();
      if (read_ != size_ || sha256 != sha256_) throw mismatch(fmt::format("{} bytes with SHA-256 {}", read_, sha256));
    }
    return 0;
  }

 private:
  Error mismatch(const std::string& found) const {
    return failure("{} is not the file its backup recorded ({} read, the record says {} bytes and SHA-256 {}); it was "
                   "changed or replaced since, so it is not used",
                   url_, found, size_, sha256_);
  }

  std::unique_ptr<storage::Reader> reader_;
  std::string url_;
  unsigned long long size_;
  std::string sha256_;
  io::Sha256 digest_;
  unsigned long long read_ = 0;
  bool checked_ = false;
};

// Streams an object through SHA-256 (and, encrypted, authenticates every chunk with `keys`); the
// problem, or empty.
std::string check_object(storage::Storage& bucket, const std::string& key, const nlohmann::json& file,
                         crypto::KeyRing* keys) {
  if (!bucket.stat(key)) return bucket.describe(key) + ": missing from the bucket";
  if (mongo::has_encryption_suffix(key)) {
    try {
      auto plain = crypto::open_decrypted(
          std::make_unique<CheckedObject>(bucket.open(key), bucket.describe(key), file.value("size", 0ULL),
                                          file.value("sha256", std::string())),
          bucket.describe(key), keys);
      std::vector<char> buffer(1 << 20);
      while (plain->read(buffer.data(), buffer.size()) > 0) {
      }
      return {};
    } catch (const Error& error) {
      return error.what();
    }
  }
  auto reader = bucket.open(key);
  io::Sha256 sha;
  unsigned long long size = 0;
  std::vector<char> buffer(1 << 20);
  while (size_t n = reader->read(buffer.data(), buffer.size())) {
    sha.update(std::string_view(buffer.data(), n));
    size += n;
  }
  if (size != file.value("size", 0ULL) || sha.hex_digest() != file.value("sha256", std::string()))
    return fmt::format("{}: size or SHA-256 differ from its record ({} bytes read, {} recorded)", bucket.describe(key),
                       size, file.value("size", 0ULL));
  return {};
}

std::vector<std::string> check_dump(storage::Storage& bucket, const std::string& name, const nlohmann::json& record,
                                    crypto::KeyRing* keys) {
  std::vector<std::string> problems;
  for (const auto& file : record.value("files", nlohmann::json::array())) {
    std::string problem = check_object(bucket, name + "/" + file.value("path", std::string()), file, keys);
    if (!problem.empty()) problems.push_back(problem);
  }
  return problems;
}

catalog::BackupEntry entry_of(storage::Storage& bucket, const std::string& name, const nlohmann::json& record,
                              const std::string& date_format) {
  catalog::BackupEntry entry;
  entry.kind = catalog::BackupKind::mongo;
  entry.name = name;
  entry.folder = bucket.describe("");
  entry.path = bucket.describe(name);
  entry.size = record.value("size", 0ULL);
  entry.mtime = record.value("time", 0LL);
  entry.time = entry.mtime;
  if (auto parsed = catalog::parse_mongo_folder_name(name, date_format); parsed && parsed->time) {
    entry.date_text = parsed->date_text;
    entry.time = *parsed->time;
    entry.time_from_name = true;
  }
  return entry;
}

}  // namespace

nlohmann::json upload_mongo_dump(Context& context, const mongo::BackupResult& result) {
  auto bucket = mongo_bucket(context.settings());
  auto local = storage::open_posix(result.folder.string());
  const std::string name = result.folder.filename().string();
  for (const auto& file : result.stored) {
    context.console().progress("uploading " + bucket->describe(name + "/" + file.path));
    upload_file(*local, *bucket, file, name + "/" + file.path);
  }
  context.console().finish_progress();
  nlohmann::json record = dump_record(name, result.stored);
  catalog::write_record(*bucket, name, record);
  return {{"object", bucket->describe(name)}, {"files", result.stored.size()}, {"size", record["size"]}};
}

void store_mongo_dump_in_bucket(Context& context, const mongo::BackupResult& result, Report& report) {
  if (!uses_bucket(repository_mode(context.settings()))) return;
  try {
    report.data["bucket"] = upload_mongo_dump(context, result);
  } catch (const Error& error) {
    throw failure("{}; the local copy {} stays", error.what(), result.folder.string());
  }
  context.console().summary("backup mongo: uploaded to " + report.data["bucket"]["object"].get<std::string>());
}

std::shared_ptr<storage::Storage> mongo_bucket_for_streaming(const config::Settings& settings) {
  if (repository_mode(settings) != RepositoryMode::s3) return nullptr;
  return mongo_bucket(settings);
}

void record_streamed_mongo_dump(Context& context, const mongo::BackupOptions& request,
                                const mongo::BackupResult& result, Report& report) {
  storage::Storage& bucket = *request.destination;
  const std::string& name = request.folder_name;
  nlohmann::json record = dump_record(name, result.stored);
  catalog::write_record(bucket, name, record);
  const std::string url = bucket.describe(name);
  report.data["bucket"] = {
      {"object", url}, {"files", result.stored.size()}, {"size", record["size"]}, {"streamed", true}};
  report.data["folder"] = nullptr;
  for (auto& backup : report.data["backups"]) {
    backup["path"] = nullptr;
    backup["url"] = url;
    backup["size"] = record["size"];
  }
  context.console().summary("backup mongo: streamed into " + url);
}

bool is_bucket_entry(const catalog::BackupEntry& entry) {
  return entry.kind == catalog::BackupKind::mongo && entry.path.starts_with("s3://");
}

std::vector<catalog::BackupEntry> bucket_mongo_dumps(const config::Settings& settings, const std::string& only) {
  std::vector<catalog::BackupEntry> entries;
  if (!uses_bucket(repository_mode(settings))) return entries;
  auto bucket = mongo_bucket(settings);
  for (const auto& [name, record] : catalog::read_records(*bucket, only)) {
    if (!only.empty() && name != only) continue;
    if (name.find('/') != std::string::npos || record.value("kind", "") != "mongo") continue;
    entries.push_back(entry_of(*bucket, name, record, settings.backup.date_format.value));
  }
  catalog::sort_newest_first(entries);
  return entries;
}

std::vector<std::string> bucket_mongo_databases(const config::Settings& settings, const std::string& name) {
  std::vector<std::string> databases;
  auto bucket = mongo_bucket(settings);
  auto records = catalog::read_records(*bucket, name);
  auto record = records.find(name);
  if (record == records.end()) return databases;
  for (const auto& file : record->second.value("files", nlohmann::json::array())) {
    std::string path = file.value("path", std::string());
    auto slash = path.find('/');
    if (slash == std::string::npos || slash == 0) continue;  // oplog.bson and the like: no database
    std::string database = path.substr(0, slash);
    if (std::find(databases.begin(), databases.end(), database) == databases.end()) databases.push_back(database);
  }
  return databases;
}

std::string local_copy_problem(const config::Settings& settings, const fs::path& folder) {
  if (!uses_bucket(repository_mode(settings))) return {};
  // Only the repository's own copies: a folder elsewhere is no copy of the bucket's dump of its name.
  if (fs::absolute(folder).lexically_normal().parent_path() !=
      fs::absolute(settings.mongo.backup_dir.value).lexically_normal())
    return {};
  const std::string name = folder.filename().string();
  auto bucket = mongo_bucket(settings);
  auto record = catalog::read_record(*bucket, name);
  if (!record || record->value("kind", "") != "mongo") return {};
  auto local = storage::open_posix(folder.string());
  return missing_or_resized(
      *record, " in " + bucket->describe(name),
      [&](const std::string& relative) -> std::optional<unsigned long long> {
        auto found = local->stat(relative);
        if (!found) return std::nullopt;
        return found->size;
      },
      [&](const std::string& relative) { return (folder / relative).string(); });
}

void add_bucket_only(const config::Settings& settings, std::vector<catalog::BackupEntry>& entries) {
  for (auto& remote : bucket_mongo_dumps(settings)) {
    if (std::none_of(entries.begin(), entries.end(), [&](const auto& e) { return e.name == remote.name; }))
      entries.push_back(std::move(remote));
  }
  catalog::sort_newest_first(entries);
}

void add_bucket_mongo_listing(const config::Settings& settings, std::vector<catalog::BackupEntry>& entries,
                              nlohmann::json& items) {
  if (!uses_bucket(repository_mode(settings))) return;
  for (auto& item : items) item["where"] = "local";
  for (auto& remote : bucket_mongo_dumps(settings)) {
    auto same = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.name == remote.name; });
    if (same != entries.end()) {
      items[static_cast<size_t>(same - entries.begin())]["where"] = "both";
      continue;
    }
    items.push_back({{"kind", "mongo"}, {"database", ""}, {"path", remote.path}, {"size", remote.size},
                     {"time", core::format_datetime(remote.time)}, {"time_source", remote.time_from_name ? "name" : "record"},
                     {"where", "s3"}});
    entries.push_back(std::move(remote));
  }
  // Newest first across both places, as the local listing is.
  std::vector<size_t> order(entries.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return entries[a].time > entries[b].time; });
  std::vector<catalog::BackupEntry> sorted;
  nlohmann::json sorted_items = nlohmann::json::array();
  for (size_t i : order) {
    sorted.push_back(std::move(entries[i]));
    sorted_items.push_back(std::move(items[i]));
  }
  entries = std::move(sorted);
  items = std::move(sorted_items);
}

void verify_bucket_mongo(Context& context, VerifyResults& results) {
  const auto& settings = context.settings();
  if (!uses_bucket(repository_mode(settings))) return;
  auto bucket = mongo_bucket(settings);
  for (const auto& [name, record] : catalog::read_records(*bucket)) {
    if (name.find('/') != std::string::npos || record.value("kind", "") != "mongo") continue;
    context.console().progress("verifying " + bucket->describe(name));
    std::vector<std::string> problems = check_dump(*bucket, name, record, context.key_ring());
    context.console().finish_progress();
    VerifyOutcome outcome{bucket->describe(name), "mongo dump in the bucket", problems.empty(), "", nlohmann::json::object()};
    for (const auto& problem : problems) outcome.problem += (outcome.problem.empty() ? "" : "; ") + problem;
    outcome.details = {{"files", record.value("files", nlohmann::json::array()).size()}, {"size", record.value("size", 0ULL)}};
    results.add(outcome);
  }
}

mongo::DumpFolder bucket_mongo_dump_folder(Context& context, const std::string& name) {
  std::shared_ptr<storage::Storage> bucket = mongo_bucket(context.settings());
  auto record = catalog::read_record(*bucket, name);
  if (!record) throw precondition_error("{}: no recorded MongoDB dump of that name in the bucket", bucket->describe(name));
  std::map<std::string, std::uint64_t> sizes;
  auto files = std::make_shared<std::map<std::string, nlohmann::json>>();
  for (const auto& file : record->value("files", nlohmann::json::array())) {
    const std::string relative = file.value("path", std::string());
    fs::path normal = fs::path(relative).lexically_normal();
    if (relative.empty() || relative.starts_with("/") || normal.generic_string() != relative || relative.starts_with("../"))
      throw failure("{}: the record names a file outside the dump folder: {}", bucket->describe(name), relative);
    sizes[relative] = file.value("size", 0ULL);
    (*files)[relative] = file;
  }
  const fs::path root = bucket->describe(name);
  // Each file streams from its object when the plan or the restore reads it, checked at its end.
  auto open = [bucket, files, root, name](const fs::path& path) -> std::unique_ptr<io::ByteSource> {
    std::string relative = path.lexically_relative(root).generic_string();
    auto file = files->find(relative);
    if (file == files->end()) throw failure("{}: not a file of the recorded dump", path.string());
    std::string key = name + "/" + relative;
    return std::make_unique<CheckedObject>(bucket->open(key), bucket->describe(key), file->second.value("size", 0ULL),
                                           file->second.value("sha256", std::string()));
  };
  return mongo::scan_dump_listing(root, sizes, mongo::decrypting_opener(open, context.key_ring()));
}

std::vector<catalog::RetentionDecision> bucket_mongo_retention(const config::Settings& settings,
                                                               const catalog::RetentionRule& rule,
                                                               crypto::KeyRing* keys) {
  auto entries = bucket_mongo_dumps(settings);
  if (entries.empty()) return {};
  auto bucket = mongo_bucket(settings);
  // A dump counts only when every file its record lists is there with the recorded size (one
  // listing of its folder), and, as locally, an encrypted one only when a configured key reads it
  // (one file's header).
  return catalog::decide_retention(std::move(entries), rule, [&](const catalog::BackupEntry& entry) -> std::string {
    auto record = catalog::read_record(*bucket, entry.name);
    if (!record) return bucket->describe(entry.name) + ": its record is gone";
    std::map<std::string, unsigned long long> sizes;
    for (const auto& object : bucket->list(entry.name + "/")) sizes[object.key] = object.size;
    std::string problem = missing_or_resized(
        *record, "",
        [&](const std::string& relative) -> std::optional<unsigned long long> {
          auto found = sizes.find(entry.name + "/" + relative);
          if (found == sizes.end()) return std::nullopt;
          return found->second;
        },
        [&](const std::string& relative) { return bucket->describe(entry.name + "/" + relative); });
    if (!problem.empty()) return problem;
    for (const auto& file : record->value("files", nlohmann::json::array())) {
      const std::string relative = file.value("path", std::string());
      if (!mongo::has_encryption_suffix(relative)) continue;
      const std::string key = entry.name + "/" + relative;
      try {
        crypto::open_decrypted(bucket->open(key), bucket->describe(key), keys);
        return {};
      } catch (const Error& problem) {
        return problem.what();
      }
    }
    return {};
  });
}

void remove_bucket_mongo_dump(const config::Settings& settings, const catalog::BackupEntry& entry) {
  auto bucket = mongo_bucket(settings);
  catalog::remove_record(*bucket, entry.name);
  // Every object under the folder, recorded or not (a file of a killed upload too).
  bucket->remove_folder(entry.name);
}

}  // namespace mysqlpitr::commands
