#pragma once
// Fast summary of one binlog for listings: hops from event header to event header (reading only
// the 19-byte headers plus the few small events that matter: format description, Rotate,
// Gtid_list, Previous_gtids, MariaDB Gtid), never decoding or checksumming whole files.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "binlog/event.hpp"
#include "crypto/key.hpp"
#include "io/random_source.hpp"

namespace mysqlpitr::binlog {

struct FileSummary {
  std::string path;
  std::uint64_t size = 0;
  std::optional<std::uint32_t> first_event_time, last_event_time;  // Unix seconds
  std::uint32_t server_id = 0;  // of the format description event
  std::string server_version;
  std::uint64_t event_count = 0;
  bool in_use = false;  // the server had it open (active binlog, or a crash)
  bool encrypted = false;          // by the server (Start_encryption): the rest cannot be read
  bool encrypted_at_rest = false;  // mysqlpitr's encrypted copy: the facts are of the binlog it holds
  std::optional<std::string> rotate_to;  // name in the closing Rotate event
  bool ends_with_stop = false;
  std::vector<MariaGtid> gtid_list;                  // MariaDB: binlog state when the file began
  std::map<std::uint32_t, MariaGtid> last_gtids;     // MariaDB: last GTID per domain in the file
  std::optional<std::string> previous_gtids;         // MySQL: executed set when the file began
  std::string error;  // when the file cannot be read to its end: message naming file and offset
};

// `keys` reads a file encrypted by mysqlpitr; without them such a file's summary holds the error
// naming the key it needs.
FileSummary scan_file(const std::string& path, crypto::KeyRing* keys = nullptr);
// The same over any source (an object in a bucket); `name` is what the summary and messages show.
FileSummary scan_file(const std::string& name, io::RandomSource& source);

}  // namespace mysqlpitr::binlog
