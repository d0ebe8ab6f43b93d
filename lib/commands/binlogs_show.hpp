#pragma once
// `binlogs show FILE`: the events of one binlog, decoded by lib/binlog, filtered like mysqlbinlog
// (--db, --start/--stop-position, --start/--stop-datetime), one line each or JSON.
#include <cstdint>
#include <optional>
#include <string>

#include "commands/context.hpp"

namespace mysqlpitr::commands {

struct BinlogsShowOptions {
  std::string file;
  std::string database;
  std::optional<std::uint64_t> start_position, stop_position;
  std::string start_datetime, stop_datetime;  // 'YYYY-MM-DD HH:MM:SS' (local) or with an offset
};

Report run_binlogs_show(Context& context, const BinlogsShowOptions& options);

}  // namespace mysqlpitr::commands
