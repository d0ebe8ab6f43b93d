#include "archive/binlog_check.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <memory>

#include "archive/copy.hpp"
#include "archive/manifest.hpp"
#include "binlog/name.hpp"
#include "core/error.hpp"
#include "io/files.hpp"
#include "io/sha256.hpp"
#include "io/work_queue.hpp"

namespace mysqlpitr::archive {
namespace {

// A copy rotate-binlogs verified must still be the bytes it verified.
void compare_with_record(BinlogCheck& check, const VerifiedCopy& record) {
  if (record.size != check.size)
    throw failure("{}: {} bytes, but rotate-binlogs verified {} bytes under this name", check.path, check.size, record.size);
  io::FileDigest digest = io::digest_file(check.path);
  if (digest.sha256 != record.sha256)
    throw failure("{}: SHA-256 {} differs from the {} rotate-binlogs recorded when it verified the copy", check.path,
                  digest.sha256, record.sha256);
  check.checked_against_record = true;
}

BinlogCheck check_one(const std::string& path, const Manifest& manifest, crypto::KeyRing* keys) {
  BinlogCheck check;
  check.path = path;
  try {
    auto entry = io::stat_entry(path);
    if (!entry) {
      check.vanished = true;
      return check;
    }
    check.size = entry->size;
    ReadToEnd read = read_binlog_to_end(path, keys);
    check.events = read.events;
    check.checksums = read.checksums;
    if (const VerifiedCopy* record = manifest.find(io::base_name(path))) compare_with_record(check, *record);
    check.ok = true;
  } catch (const std::exception& error) {  // a damaged file must not stop the other checks
    check.problem = error.what();
  }
  try {
    check.summary = binlog::scan_file(path, keys);
  } catch (const std::exception& error) {
    check.summary.path = path;
    check.summary.error = error.what();
  }
  return check;
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
