#pragma once
// What `binlogs show` prints: which events pass the filters, and each event as one human line or
// one JSON object (shape fixed in CLI.md: position, end_position, type, timestamp, server_id, ...).
#include <ctime>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "binlog/event.hpp"

namespace mysqlpitr::binlog {

struct ShowFilter {
  std::string database;  // events that name another database are left out
  std::optional<std::uint64_t> start_position, stop_position;
  std::optional<std::time_t> start_time, stop_time;
};

enum class Verdict { show, skip, stop };

// mysqlbinlog's rules: reading stops at the first top-level event at or past the stop position
// or the stop time; before the start time events are skipped. The format description is always
// shown. A database filter applies to events that name one (Query's default database, table maps,
// row events, Annotate/Rows_query of the following rows).
Verdict judge(const Event& event, const ShowFilter& filter);

// The database an event belongs to, or empty when it names none.
std::string event_database(const Event& event);

nlohmann::json event_json(const Event& event);
std::string event_line(const Event& event);

}  // namespace mysqlpitr::binlog
