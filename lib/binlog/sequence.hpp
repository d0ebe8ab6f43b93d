#pragma once
// A folder of binlogs as a sequence: `<basename>.<NNNNNN>` files in number order, each summarised
// by scan_file (cached per file by size and mtime in `.mysqlpitr-binlog-cache.json`, a name no
// legacy glob matches), and the gaps where the chain is broken.
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "binlog/scan.hpp"

namespace mysqlpitr::binlog {

inline constexpr const char* kCacheFileName = ".mysqlpitr-binlog-cache.json";

struct BinlogFile {
  std::string name, path;
  std::uint64_t number = 0;
  std::time_t mtime = 0;
  FileSummary summary;
};

struct Gap {
  std::string after, before;  // file names around the gap ("" when at an end)
  std::string reason;
};

struct Inventory {
  std::string source;  // the folder
  std::string basename;
  std::vector<BinlogFile> files;  // ascending number
  std::vector<Gap> gaps;
  std::vector<std::string> warnings;
};

struct ListOptions {
  std::string basename;    // empty: the most common basename among `*.NNNNNN` files
  bool use_cache = true;   // read and update the cache file (skipped silently if read-only)
  crypto::KeyRing* keys = nullptr;  // reads archived binlogs encrypted by mysqlpitr
};

Inventory list_binlogs(const std::string& folder, const ListOptions& options = {});

// The gap rules alone, over files already summarised (ascending number): a missing number, a
// Rotate naming another file, a file other than the last without its closing Rotate or Stop
// event (a file cut short; one the server died writing only when the next file's GTID state
// proves nothing was lost), and a MariaDB GTID state that does not continue from one file to the
// next. `list binlogs`, rotate-binlogs and restore-pitr's plan all judge a sequence by these.
std::vector<Gap> find_gaps(const std::vector<BinlogFile>& files);

}  // namespace mysqlpitr::binlog
