#include "archive/binlog_check.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <memory>

#include "archive/binlog_stream_check.hpp"
#include "archive/manifest.hpp"
#include "binlog/name.hpp"
#include "core/error.hpp"
#include "io/files.hpp"
#include "io/work_queue.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::archive {
namespace {

// The file read through the storage layer's posix driver (never through a link), in the one
// streamed pass a bucket's object gets; a copy rotate-binlogs verified must still be the bytes it
// recorded, a copy it never verified (an old script's) is checked by its events alone.
BinlogCheck check_one(const std::string& path, const Manifest& manifest, crypto::KeyRing* keys) {
  const std::string name = io::base_name(path);
  std::optional<storage::ObjectInfo> object;
  std::unique_ptr<io::ByteSource> source;
  try {
    auto folder = storage::open_posix(io::parent_path(path));
    object = folder->stat(name);
    if (object) source = folder->open(name);
    else if (io::stat_entry(path)) throw failure("{} is not a regular file (a link?): not read", path);
  } catch (const std::exception& error) {  // a file that cannot be opened must not stop the other checks
    BinlogCheck check;
    check.path = check.summary.path = path;
    check.problem = check.summary.error = error.what();
    return check;
  }
  if (!object) {
    BinlogCheck check;
    check.path = check.summary.path = path;
    check.vanished = true;
    return check;
  }
  std::optional<RecordedCopy> recorded;
  if (const VerifiedCopy* record = manifest.find(name)) recorded = RecordedCopy{record->size, record->sha256};
  return check_binlog_stream(path, std::move(source), object->size, recorded, keys, WithoutRecord::checked_by_events);
}

}  // namespace

std::vector<BinlogCheck> check_binlog_files(const std::vector<std::string>& paths, int jobs, crypto::KeyRing* keys) {
  std::map<std::string, std::unique_ptr<Manifest>> manifests;  // per folder, loaded before the workers start
  std::vector<const Manifest*> manifest_of;
  for (const std::string& path : paths) {
    auto& manifest = manifests[io::parent_path(path)];
    if (!manifest) manifest = std::make_unique<Manifest>(Manifest::load(io::parent_path(path)));
    manifest_of.push_back(manifest.get());
  }
  std::vector<BinlogCheck> checks(paths.size());
  io::run_parallel(
      paths.size(), jobs, [] { return std::make_unique<int>(0); },
      [&](int&, std::size_t i) { checks[i] = check_one(paths[i], *manifest_of[i], keys); });
  return checks;
}

std::vector<SequenceBreak> sequence_breaks(const std::vector<BinlogCheck>& checks) {
  std::map<std::pair<std::string, std::string>, std::vector<binlog::BinlogFile>> groups;
  for (const BinlogCheck& check : checks) {
    std::string name = io::base_name(check.path);
    auto parsed = binlog::parse_binlog_name(name);
    if (!parsed || check.vanished) continue;
    groups[{io::parent_path(check.path), parsed->prefix}].push_back({name, check.path, parsed->sequence, 0, check.summary});
  }
  std::vector<SequenceBreak> breaks;
  for (auto& [key, files] : groups) {
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
    for (binlog::Gap& gap : binlog::find_gaps(files)) breaks.push_back({key.first, std::move(gap)});
  }
  return breaks;
}

}  // namespace mysqlpitr::archive
