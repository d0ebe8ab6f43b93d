#pragma once
// The old page's binlog menu: the binlogs a replay can end with (from the base's file on), each
// with its first and last event times; choosing one replays it and every earlier one.
#include <cstdint>
#include <string>
#include <vector>

#include "pitr/chain.hpp"

namespace mysqlpitr::pitr {

struct BinlogMenuItem {
  std::string name;
  std::string label;  // "mysql-bin.000042  2026-11-24 07:00:01 .. 2026-11-24 09:15:40  12 MiB"
  std::uint32_t first_time = 0, last_time = 0;
};

// Times are shown in the server's zone (`server_offset_seconds`). Files whose last event is
// before today's `day_start` (pitr.day_start) are left out, except the newest.
std::vector<BinlogMenuItem> binlog_menu(const std::vector<FoundBinlog>& binlogs, const std::string& start_file,
                                        const std::string& day_start, int server_offset_seconds);

}  // namespace mysqlpitr::pitr
