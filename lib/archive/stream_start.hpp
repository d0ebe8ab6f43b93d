#pragma once
// Where `binlogs stream` starts: where the archive ends. A `.streaming` file newer than every
// closed binlog of the archive goes on from its last whole event; else the binlog after the newest
// archived one (that one checked whole first) from its start; an empty archive starts at the
// server's oldest binlog, as rotate-binlogs would copy them all. A binlog the stream needs that the
// server no longer has is a hole in the history: said, never skipped.
#include <cstdint>
#include <string>
#include <vector>

#include "crypto/key.hpp"

namespace mysqlpitr::archive {

struct ArchiveEnd {
  std::string newest_closed;           // newest archived binlog of the prefix ("": none)
  std::string streaming;               // the binlog of the `.streaming` file to go on with ("": none)
  std::uint64_t streaming_end = 0;     // end of its last whole event
  std::uint32_t last_event_time = 0;
  std::vector<std::string> stale;      // `.streaming` files of binlogs archived already (to remove)
};

// Reads the archive folder's binlogs of `prefix` ("" any); the newest closed one is read to the
// end, through `keys` when encrypted (a torn one throws a precondition error naming it).
ArchiveEnd find_archive_end(const std::string& folder, const std::string& prefix, crypto::KeyRing* keys = nullptr);

struct StreamStart {
  std::string file;
  std::uint64_t position = 4;
  std::string reason;
};

// From the archive's end and the server's binlogs (SHOW BINARY LOGS, oldest first). Throws a
// precondition error naming the binlogs the server purged before they were archived.
StreamStart plan_stream_start(const ArchiveEnd& end, const std::vector<std::string>& server_binlogs);

}  // namespace mysqlpitr::archive
