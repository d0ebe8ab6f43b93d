#include "mongo/dump_folder.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "core/error.hpp"
#include "mongo/byte_file.hpp"
#include "mongo/names.hpp"

namespace mysqlpitr::mongo {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view bucket_prefix = "system.buckets.";

enum class FileKind { data, metadata, other };

struct Classified {
  FileKind kind = FileKind::other;
  std::string stem;
  bool encrypted = false;
};

bool cut_suffix(const std::string& name, std::string_view suffix, std::string& stem) {
  if (name.size() <= suffix.size() || !name.ends_with(suffix)) return false;
  stem = name.substr(0, name.size() - suffix.size());
  return true;
}

// An encrypted file ("c1.bson.gz.enc") is the file it encrypts: its opener decrypts it.
Classified classify(const std::string& whole_name) {
  const std::string file_name = without_encryption_suffix(whole_name);
  Classified result;
  result.encrypted = file_name != whole_name;
  for (auto suffix : {".metadata.json.gz", ".metadata.json"}) {
    if (cut_suffix(file_name, suffix, result.stem)) return result.kind = FileKind::metadata, result;
  }
  for (auto suffix : {".bson.gz", ".bson", ".bin"}) {
    if (cut_suffix(file_name, suffix, result.stem)) return result.kind = FileKind::data, result;
  }
  return result;
}

struct Pending {
  fs::path data_file;
  fs::path metadata_file;
  std::uint64_t data_bytes = 0;
  bool encrypted = false;  // its stems leave room for ".enc" (names.hpp)
};

void set_once(fs::path& slot, const fs::path& file, std::vector<DumpNote>& problems) {
  if (!slot.empty()) {
    problems.push_back({file, "both " + slot.filename().string() + " and " +
                                  file.filename().string() + " exist; remove one"});
    return;
  }
  slot = file;
}

// One entry of a folder as the scan sees it: from a local folder, or from a listing of files.
struct FolderEntry {
  fs::path path;
  bool directory = false;
  std::uint64_t size = 0;
};
using ListFolder = std::function<std::vector<FolderEntry>(const fs::path& folder)>;

// The entries of `folder` (under `root`) in a listing of files by path relative to `root`.
std::vector<FolderEntry> list_listed(const fs::path& root, const std::map<std::string, std::uint64_t>& files,
                                     const fs::path& folder) {
  std::string under = folder == root ? "" : folder.lexically_relative(root).generic_string() + "/";
  std::vector<FolderEntry> entries;
  std::set<std::string> folders;
  for (const auto& [relative, size] : files) {
    if (!relative.starts_with(under)) continue;
    std::string rest = relative.substr(under.size());
    auto slash = rest.find('/');
    if (slash == std::string::npos) entries.push_back({folder / rest, false, size});
    else if (folders.insert(rest.substr(0, slash)).second) entries.push_back({folder / rest.substr(0, slash), true, 0});
  }
  return entries;
}

// One database folder: pairs data and metadata files by stem, then resolves the names.
void scan_database(const fs::path& folder, const std::string& database, DumpFolder& dump, const ListFolder& list) {
  std::map<std::string, Pending> by_stem;
  for (const auto& entry : list(folder)) {
    const fs::path& path = entry.path;
    if (entry.directory) {
      dump.ignored.push_back({path, "sub-folder inside a database folder"});
      continue;
    }
    Classified file = classify(path.filename().string());
    if (file.kind == FileKind::other) {
      dump.ignored.push_back({path, "not a .bson or .metadata.json file"});
      continue;
    }
    Pending& pending = by_stem[file.stem];
    pending.encrypted = pending.encrypted || file.encrypted;
    if (file.kind == FileKind::data) {
      set_once(pending.data_file, path, dump.problems);
      pending.data_bytes = entry.size;
    } else {
      set_once(pending.metadata_file, path, dump.problems);
    }
  }

  // Time-series data lives in system.buckets.<name>; it joins <name>'s metadata.
  std::map<std::string, DumpCollection> by_name;
  for (auto& [stem, pending] : by_stem) {
    DumpCollection collection;
    collection.database = database;
    collection.data_file = pending.data_file;
    collection.metadata_file = pending.metadata_file;
    collection.data_bytes = pending.data_bytes;
    const fs::path& any_file = pending.metadata_file.empty() ? pending.data_file : pending.metadata_file;
    try {
      if (!pending.metadata_file.empty()) collection.metadata = read_metadata_file(pending.metadata_file, dump.open);
      if (is_truncated_stem(stem, pending.encrypted ? encrypted_name_reserve : 0)) {
        if (!collection.metadata || collection.metadata->collection_name.empty()) {
          throw failure("{}: the file name is truncated and no metadata names the collection",
                        any_file.string());
        }
        collection.name = collection.metadata->collection_name;
      } else {
        auto unescaped = query_unescape(stem);
        if (!unescaped) throw failure("{}: malformed %-escape in the file name", any_file.string());
        collection.name = *unescaped;
      }
    } catch (const Error& error) {
      // A missing key is the operator's to fix (exit 5), not a damaged file: it stops the scan.
      if (error.code() == ExitCode::precondition) throw;
      dump.problems.push_back({any_file, error.what()});
      continue;
    }
    // Profiling data is never restored (mongorestore skips it too).
    if (collection.name == "system.profile") {
      dump.ignored.push_back({any_file, "system.profile is never restored"});
      continue;
    }
    std::string key = collection.name;
    if (key.starts_with(bucket_prefix) && collection.metadata_file.empty()) {
      key = key.substr(bucket_prefix.size());
    }
    auto [slot, inserted] = by_name.try_emplace(key, std::move(collection));
    if (!inserted) {
      // The other half of a time-series pair: metadata under <name>, data under system.buckets.
      DumpCollection& existing = slot->second;
      DumpCollection& other = collection;
      DumpCollection& data_half = existing.data_file.empty() ? other : existing;
      DumpCollection& meta_half = existing.data_file.empty() ? existing : other;
      if (!meta_half.metadata || !meta_half.metadata->is_timeseries() || !meta_half.data_file.empty()) {
        dump.problems.push_back({data_half.data_file, "two files claim collection " + key});
        continue;
      }
      meta_half.data_file = data_half.data_file;
      meta_half.data_bytes = data_half.data_bytes;
      if (&meta_half != &existing) existing = std::move(meta_half);
    }
  }
  for (auto& [name, collection] : by_name) {
    // mongodump writes a .bson for every collection, an empty one included; only a view has none.
    // Restored as it is, the collection would be dropped and left empty.
    if (collection.metadata && !collection.is_view() && collection.data_file.empty()) {
      dump.problems.push_back({collection.metadata_file,
                               fmt::format("{}: collection {}.{} has no data file (no .bson beside its metadata): "
                                           "the dump is incomplete",
                                           collection.metadata_file.string(), database, name)});
      continue;
    }
    dump.collections.push_back(std::move(collection));
  }
}

bool is_prelude(const std::string& name) { return name == "prelude.json" || name == "prelude.json.gz"; }

bool named_encrypted(const fs::path& file) {
  const std::string name = file.filename().string();
  return without_encryption_suffix(name) != name;
}

// mysqlpitr encrypts every file of an encrypted dump: a plain one among them was put in place of
// an encrypted one (or the dump was altered), and would be read unauthenticated.
void refuse_mixed_encryption(DumpFolder& dump) {
  bool any_encrypted = std::any_of(dump.collections.begin(), dump.collections.end(), [](const DumpCollection& c) {
    return named_encrypted(c.data_file) || named_encrypted(c.metadata_file);
  });
  if (!any_encrypted) return;
  for (const auto& collection : dump.collections) {
    for (const fs::path& file : {collection.data_file, collection.metadata_file}) {
      if (!file.empty() && !named_encrypted(file))
        dump.problems.push_back({file, file.string() + ": not encrypted, but the dump's other files are: it was put in "
                                                        "place of an encrypted file or the dump was altered; not read"});
    }
  }
}
}  // namespace

std::string DumpCollection::data_collection() const {
  if (metadata && metadata->is_timeseries()) return std::string(bucket_prefix) + name;
  return name;
}

std::vector<const DumpCollection*> DumpFolder::in_database(const std::string& database) const {
  std::vector<const DumpCollection*> result;
  for (const auto& collection : collections) {
    if (collection.database == database) result.push_back(&collection);
  }
  return result;
}

namespace {

DumpFolder scan(DumpFolder dump, const ListFolder& list) {
  for (const auto& entry : list(dump.root)) {
    const fs::path& path = entry.path;
    std::string name = path.filename().string();
    if (entry.directory) {
      if (name.starts_with(".")) {
        dump.ignored.push_back({path, "hidden folder"});
        continue;
      }
      scan_database(path, name, dump, list);
      dump.databases.push_back(name);
    } else if (name == "oplog.bson" || name == "oplog.bson.gz") {
      dump.ignored.push_back({path, "oplog is not replayed (dump taken with --oplog)"});
    } else if (is_prelude(name)) {
      dump.ignored.push_back({path, "prelude (server and tool versions) is informational"});
    } else if (name.ends_with(".archive") || name.ends_with(".archive.gz")) {
      dump.ignored.push_back({path, "mongodump --archive files are not read; restore a --out folder"});
    } else {
      dump.ignored.push_back({path, "not part of a mongodump folder"});
    }
  }
  refuse_mixed_encryption(dump);
  std::sort(dump.databases.begin(), dump.databases.end());
  std::sort(dump.collections.begin(), dump.collections.end(), [](const auto& a, const auto& b) {
    return std::tie(a.database, a.name) < std::tie(b.database, b.name);
  });
  return dump;
}

}  // namespace

DumpFolder scan_dump_folder(const fs::path& root, crypto::KeyRing* keys) {
  std::error_code error;
  if (!fs::is_directory(root, error)) throw failure("{}: not a folder", root.string());
  std::shared_ptr<storage::Storage> folder = storage::open_posix(root.string());
  std::map<std::string, std::uint64_t> files;
  for (const auto& object : folder->list("")) files[object.key] = object.size;
  return scan_dump_listing(root, files, decrypting_opener(storage_opener(folder, root), keys));
}

DumpFolder scan_dump_listing(const fs::path& root, const std::map<std::string, std::uint64_t>& files, FileOpener open) {
  DumpFolder dump;
  dump.root = root;
  dump.open = std::move(open);
  return scan(std::move(dump), [&](const fs::path& folder) { return list_listed(root, files, folder); });
}

}  // namespace mysqlpitr::mongo
