#include "mongo/backup.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "io/work_queue.hpp"
#include "mongo/byte_file.hpp"
#include "mongo/metadata.hpp"
#include "mongo/names.hpp"
#include "mongo/object_writer.hpp"

namespace mysqlpitr::mongo {

namespace fs = std::filesystem;

std::uint64_t BackupResult::documents() const {
  std::uint64_t sum = 0;
  for (const auto& c : collections) sum += c.documents;
  return sum;
}

std::uint64_t BackupResult::bytes() const {
  std::uint64_t sum = 0;
  for (const auto& c : collections) sum += c.bytes;
  return sum;
}

bool dumps_collection(const std::string& database, const std::string& collection) {
  if (database == "admin") {
    if (collection == "system.keys") return false;
  } else if (database == "config") {
    return true;  // config is only ever dumped when named
  } else if (collection.starts_with("system.") && collection != "system.js") {
    return false;
  }
  return collection.find('$') == std::string::npos || collection.find(".oplog.$") != std::string::npos;
}

namespace {
struct Task {
  std::string database;
  CollectionInfo info;
};

// mongodump writes each database into a folder of its own name, unescaped: MongoDB refuses '/',
// '\\', '.', ' ', '"' and '$' in database names. A name that is not one plain folder name anyway
// (a doctored server, a future rule) must never make the dump write outside its folder.
void require_plain_folder_name(const std::string& database) {
  if (database.empty() || database == "." || database == ".." || database.find('/') != std::string::npos ||
      database.find('\0') != std::string::npos)
    throw precondition_error("MongoDB database name '{}' is not a plain folder name: refusing to dump it", database);
}

std::vector<std::string> choose_databases(Client& client, const std::vector<std::string>& named) {
  std::vector<std::string> present = client.database_names();
  if (named.empty()) {
    std::vector<std::string> chosen;
    for (const auto& name : present) {
      if (!is_system_database(name)) chosen.push_back(name);
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
  }
  for (const auto& name : named) {
    if (std::find(present.begin(), present.end(), name) == present.end()) {
      throw precondition_error("database {} does not exist on the MongoDB server (it has: {})", name,
                               core::join(present, ", "));
    }
  }
  std::vector<std::string> chosen = named;
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  return chosen;
}

// A file's name as mongodump writes it (".gz" when gzipped), plus ".enc" when encrypted.
std::string file_name(std::string name, const BackupOptions& options) {
  if (options.gzip) name += ".gz";
  if (options.encryption_key) name += kEncryptedSuffix;
  return name;
}

// The files of one dump: objects of the dump's folder writer (a folder on this host built under a
// hidden name, or a bucket's objects), and the list the bucket's record is made of.
class FileTarget {
 public:
  FileTarget(const BackupOptions& options, storage::Storage& target, storage::FolderWriter& folder)
      : options_(options), target_(target), folder_(folder) {}

  std::unique_ptr<DumpFileWriter> create(const std::string& database, const std::string& file) {
    const std::string relative = database + "/" + file;
    return std::make_unique<ObjectWriter>(folder_.create(relative), describe(relative), options_.gzip,
                                          options_.gzip_level, options_.encryption_key);
  }

  // Called once `writer` is committed: an object is kept in the list the record is made of.
  void committed(const std::string& database, const std::string& file, const DumpFileWriter& writer) {
    auto* object = dynamic_cast<const ObjectWriter*>(&writer);
    if (!object) return;
    std::lock_guard lock(mutex_);
    stored_.push_back({database + "/" + file, object->published().size, object->published().sha256});
  }

  std::vector<StoredFile> take_stored() {
    std::lock_guard lock(mutex_);
    std::sort(stored_.begin(), stored_.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return std::move(stored_);
  }

 private:
  std::string describe(const std::string& relative) const {
    return target_.describe(options_.folder_name + "/" + relative);
  }

  const BackupOptions& options_;
  storage::Storage& target_;
  storage::FolderWriter& folder_;
  std::mutex mutex_;
  std::vector<StoredFile> stored_;
};

BackedUpCollection dump_collection(Client& client, const Task& task, FileTarget& target,
                                   const BackupOptions& options) {
  const CollectionInfo& info = task.info;
  BackedUpCollection result{task.database, info.name, info.type, 0, 0, {}};
  const std::size_t reserve = options.encryption_key ? encrypted_name_reserve : 0;
  const std::string stem = collection_file_stem(info.name, reserve);

  CollectionMetadata metadata;
  metadata.options = Bson::copy_of(info.options.get());
  metadata.uuid = info.uuid;
  metadata.collection_name = info.name;
  metadata.type = info.type;
  const bool is_view = info.type == "view";
  if (!is_view) metadata.indexes = client.indexes(task.database, info.name);
  const std::string metadata_name = file_name(stem + ".metadata.json", options);
  auto metadata_file = target.create(task.database, metadata_name);
  metadata_file->write(metadata_json(metadata));
  metadata_file->commit();
  target.committed(task.database, metadata_name, *metadata_file);
  if (is_view) return result;

  // Time-series data is dumped from its buckets collection, under that collection's file name.
  const std::string source = info.type == "timeseries" ? "system.buckets." + info.name : info.name;
  const std::string data_name = file_name(collection_file_stem(source, reserve) + ".bson", options);
  result.data_file = fs::path(task.database) / data_name;
  auto data = target.create(task.database, data_name);
  Cursor cursor = client.find_all(task.database, source, options.batch_size);
  while (const bson_t* document = cursor.next()) {
    data->write(std::span(bson_get_data(document), document->len));
    ++result.documents;
  }
  data->commit();
  target.committed(task.database, data_name, *data);
  result.bytes = data->bytes_in();
  result.size = data->size();
  return result;
}
}  // namespace

BackupResult run_backup(const ConnectionSettings& settings, const BackupOptions& options,
                        const BackupProgress& progress) {
  std::shared_ptr<storage::Storage> destination = options.destination;
  if (!destination) {
    try {
      destination = storage::open_posix(options.backup_dir.string());
    } catch (const Error& error) {
      throw precondition_error("mongo.backup_dir: {}", error.what());
    }
  }
  storage::Storage& target = *destination;
  // Made before the server is asked anything: a folder of the name is refused at once. A killed run
  // leaves nothing under the final name: a hidden partial folder, or a bucket's unrecorded objects,
  // which every reader ignores and prune removes once they are a day old (commands/bucket_prune.hpp).
  std::unique_ptr<storage::FolderWriter> folder;
  try {
    folder = target.create_folder(options.folder_name);
  } catch (const Error& error) {
    if (error.code() != ExitCode::precondition) throw;
    throw precondition_error("{}; wait a minute or use another date_format", error.what());
  }
  ClientPool pool(settings, options.jobs);
  BackupResult result;
  std::vector<Task> tasks;
  {
    Client client(pool);
    result.databases = choose_databases(client, options.databases);
    for (const auto& database : result.databases) require_plain_folder_name(database);
    for (const auto& database : result.databases) {
      for (auto& info : client.collections(database)) {
        if (dumps_collection(database, info.name)) tasks.push_back({database, std::move(info)});
      }
    }
  }
  FileTarget files(options, target, *folder);
  const std::string described = target.describe(options.folder_name);

  std::mutex result_mutex;
  io::run_parallel(
      tasks.size(), options.jobs, [&] { return std::make_unique<Client>(pool); },
      [&](Client& client, std::size_t i) {
        const Task& task = tasks[i];
        BackedUpCollection done = with_context(fmt::format("dumping {}.{}", task.database, task.info.name),
                                               [&] { return dump_collection(client, task, files, options); });
        if (!done.data_file.empty() && !options.destination) done.data_file = fs::path(described) / done.data_file;
        std::lock_guard lock(result_mutex);
        if (progress) progress(done);
        result.collections.push_back(std::move(done));
      });
  folder->publish();
  result.stored = files.take_stored();
  result.folder = described;
  std::sort(result.collections.begin(), result.collections.end(), [](const auto& a, const auto& b) {
    return std::tie(a.database, a.name) < std::tie(b.database, b.name);
  });
  return result;
}

}  // namespace mysqlpitr::mongo
