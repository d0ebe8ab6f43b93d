#include "commands/stored_dump.hpp"

#include <memory>

#include "core/error.hpp"
#include "dump/manifest.hpp"
#include "io/files.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::commands {

StoredDump local_dump(const std::string& path, crypto::KeyRing* keys) {
  const std::string file = io::named_file(path);
  const std::string folder_path = io::parent_path(file);
  const std::string name = io::base_name(file);
  if (!io::is_folder(folder_path)) throw usage_error("{}: no such dump file", path);
  auto identity = io::file_identity(file);
  std::shared_ptr<storage::Storage> folder = storage::open_posix(folder_path);
  auto info = folder->stat(name);
  if (!info) throw usage_error("{}: no such dump file", path);
  StoredDump stored;
  stored.url = file;
  stored.identity = identity;
  stored.size = info->size;
  stored.record = dump::manifest_entry(folder_path, name);
  stored.record_place = io::join_path(folder_path, dump::kManifestName);
  stored.source = {file, [folder, name, keys](io::Sha256* digest) {
                     return storage::open_input(*folder, name, digest, keys);
                   }};
  return stored;
}

bool unchanged(const StoredDump& stored) {
  return !stored.identity || io::file_identity(stored.url) == stored.identity;
}

sqlload::DumpSource opened_source(const StoredDump& stored, io::Sha256& digest) {
  auto opened = std::make_shared<std::unique_ptr<io::InputStream>>(stored.source.open(&digest));
  return {stored.url, [opened, url = stored.url](io::Sha256*) {
            if (!*opened) throw failure("{} was opened for one load and read twice", url);
            return std::move(*opened);
          }};
}

void require_record_match(const StoredDump& stored, const dump::FileFacts& found) {
  if (!stored.record) return;
  std::string problem = dump::manifest_mismatch(*stored.record, found);
  if (!problem.empty())
    throw precondition_error("{} is not the {} its backup recorded: {} ({}); it was changed, cut or replaced since, "
                             "so it is not used",
                             stored.url, stored.what, problem, stored.record_place);
}

}  // namespace mysqlpitr::commands
