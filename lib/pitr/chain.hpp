#pragma once
// The binlog chain a PITR replays: from the file named in the base's coordinates to the stop
// point, taken from the archive folder and the server's datadir merged. A file present in both
// must be the same file (the datadir's may only be longer when it is the active one); closed
// files are read from the archive's copy. Any missing sequence number is a gap: refused.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/key.hpp"
#include "io/random_source.hpp"

namespace mysqlpitr::pitr {

// How a binlog that is not a local file (an object in the bucket) is read; empty: the file at its path.
using OpenSource = std::function<std::unique_ptr<io::RandomSource>()>;
std::unique_ptr<io::RandomSource> open_source(const std::string& path, const OpenSource& open);

// One binlog as found in a folder (or in the bucket: path is then its s3:// URL).
struct FoundBinlog {
  std::string name;  // "mysql-bin.000042"
  std::string path;
  std::uint64_t size = 0;
  // `binlogs stream`'s `<name>.streaming`: the binlog the server was writing, up to the last whole
  // event the stream received (`size`); never closed, so never judged as a cut file.
  bool streaming = false;
  OpenSource open = {};
  bool in_bucket = false;
};

struct ChainFile {
  std::string name;
  std::string path;
  std::uint64_t size = 0;
  std::uint64_t sequence = 0;
  std::string source;  // "archive", "bucket" (the repository's archive, read in place) or "datadir"
  bool in_both = false;
  bool streaming = false;  // read from the stream's `.streaming` file, up to `size`
  OpenSource open = {};
};

struct Chain {
  std::vector<ChainFile> files;  // consecutive sequence numbers, first = the base's file
  // The file numbered after the last one, when there is one (a stop point before the newest
  // binlog): whether the last file was whole is judged against it.
  std::optional<ChainFile> next;
  std::vector<std::string> notes;
};

// Binlogs named `prefix.NNNNNN` in `folder` (regular files, as binlog::parse_binlog_name reads the
// names; no symbolic links); a missing folder lists nothing, an unreadable one throws. A binlog
// encrypted by mysqlpitr is listed with the plain size it holds and read through `keys` (without
// them, opening it is a precondition error naming the key it needs).
std::vector<FoundBinlog> list_binlogs(const std::string& folder, const std::string& prefix,
                                      crypto::KeyRing* keys = nullptr);

// Decides whether two same-named copies are the same file. Compares lengths and contents of the
// common prefix; `active` allows the datadir copy to be longer (the server is still writing it).
using SameFile = bool (*)(const FoundBinlog& archive, const FoundBinlog& datadir);
bool same_content_prefix(const FoundBinlog& archive, const FoundBinlog& datadir);

// Builds the chain from `start_file` up to `last_file` (empty: the newest file found). Throws a
// precondition Error (exit 5) naming the missing file on a gap, a missing start file, or copies
// that differ.
Chain build_chain(const std::vector<FoundBinlog>& archive, const std::vector<FoundBinlog>& datadir,
                  const std::string& start_file, const std::string& last_file, SameFile same = same_content_prefix);

}  // namespace mysqlpitr::pitr
