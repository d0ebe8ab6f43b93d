#include "pitr/binlog_menu.hpp"

#include <ctime>
#include <map>

#include "binlog/name.hpp"
#include "binlog/reader.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"

namespace mysqlpitr::pitr {

std::vector<BinlogMenuItem> binlog_menu(const std::vector<FoundBinlog>& binlogs, const std::string& start_file,
                                        const std::string& day_start, int server_offset_seconds) {
  auto start = binlog::parse_binlog_name(start_file);
  std::map<std::string, const FoundBinlog*> by_name;  // archive first: a later duplicate is the same file
  for (const auto& file : binlogs) by_name.emplace(file.name, &file);
  std::vector<BinlogMenuItem> items;
  for (const auto& [name, file] : by_name) {
    auto parsed = binlog::parse_binlog_name(name);
    if (!parsed || !start || parsed->prefix != start->prefix || parsed->sequence < start->sequence) continue;
    BinlogMenuItem item;
    item.name = name;
    try {
      binlog::FileReader reader(file->path, open_source(file->path, file->open), {false, false});
      while (const binlog::Event* event = reader.next()) {
        if (event->header.type_code == binlog::type::format_description || event->header.timestamp == 0) continue;
        if (item.first_time == 0) item.first_time = event->header.timestamp;
        item.last_time = event->header.timestamp;
      }
    } catch (const Error&) {
      // An unreadable file still appears: the plan reports what is wrong with it.
    }
    auto when = [&](std::uint32_t t) {
      return t ? core::format_datetime_utc(static_cast<std::time_t>(t) + server_offset_seconds) : std::string("-");
    };
    item.label = fmt::format("{}  {} .. {}  {}", name, when(item.first_time), when(item.last_time),
                             core::human_size(file->size));
    items.push_back(std::move(item));
  }
  auto seconds = core::parse_time_of_day(day_start);
  if (seconds && *seconds > 0 && items.size() > 1) {
    std::time_t now = std::time(nullptr) + server_offset_seconds;
    std::time_t cutoff = now - now % 86400 + *seconds - server_offset_seconds;
    std::vector<BinlogMenuItem> kept;
    for (size_t i = 0; i < items.size(); ++i)
      if (i + 1 == items.size() || static_cast<std::time_t>(items[i].last_time) >= cutoff) kept.push_back(items[i]);
    items = std::move(kept);
  }
  return items;
}

}  // namespace mysqlpitr::pitr
