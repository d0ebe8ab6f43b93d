#include "pitr/stop_point.hpp"

#include <cstdlib>

#include "core/error.hpp"
#include "core/time.hpp"
#include "pitr/chain.hpp"

namespace mysqlpitr::pitr {

std::string format_offset(int seconds) {
  char sign = seconds < 0 ? '-' : '+';
  int value = std::abs(seconds);
  return fmt::format("{}{:02}:{:02}", sign, value / 3600, (value % 3600) / 60);
}

std::string StopPoint::describe() const {
  switch (kind) {
    case StopKind::end_of_binlogs: return "end of the newest binlog";
    case StopKind::datetime:
      return fmt::format("{} server time ({}) = {} UTC{}", core::format_datetime_utc(time + server_offset_seconds),
                         format_offset(server_offset_seconds), core::format_datetime_utc(time),
                         offset_typed ? " (typed as " + text + ")" : "");
    case StopKind::position: return fmt::format("{}:{}", file, position);
    case StopKind::gtid: return "before GTID " + gtid;
    case StopKind::until_binlog: return "end of " + file;
  }
  return "?";
}

StopPoint stop_at_datetime(const std::string& text, int server_offset_seconds) {
  auto parsed = core::parse_datetime(text);
  if (!parsed)
    throw usage_error("--stop-datetime '{}': expected 'YYYY-MM-DD HH:MM:SS' (server time zone) or "
                      "'YYYY-MM-DDTHH:MM:SS' followed by Z or +HH:MM",
                      text);
  StopPoint stop;
  stop.kind = StopKind::datetime;
  stop.text = text;
  stop.offset_typed = parsed->utc_offset_seconds.has_value();
  stop.zone_offset_seconds = parsed->utc_offset_seconds.value_or(server_offset_seconds);
  stop.server_offset_seconds = server_offset_seconds;
  stop.time = core::to_epoch(*parsed, server_offset_seconds);
  return stop;
}

StopPoint stop_at_position(const std::string& text) {
  size_t colon = text.rfind(':');
  StopPoint stop;
  stop.kind = StopKind::position;
  stop.text = text;
  if (colon == std::string::npos || colon == 0 || colon + 1 >= text.size() || !parse_binlog_name(text.substr(0, colon)))
    throw usage_error("--stop-position '{}': expected FILE:POS, e.g. mysql-bin.000042:1234", text);
  stop.file = text.substr(0, colon);
  std::string digits = text.substr(colon + 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 18)
    throw usage_error("--stop-position '{}': the position must be a number of bytes", text);
  stop.position = std::stoull(digits);
  return stop;
}

StopPoint stop_at_gtid(const std::string& gtid) {
  if (gtid.empty() || gtid.find_first_of(" ,") != std::string::npos)
    throw usage_error("--stop-gtid '{}': expected one GTID (MariaDB 0-1-42, MySQL uuid:42)", gtid);
  StopPoint stop;
  stop.kind = StopKind::gtid;
  stop.text = gtid;
  stop.gtid = gtid;
  return stop;
}

StopPoint stop_until_binlog(const std::string& file) {
  if (!parse_binlog_name(file)) throw usage_error("--until-binlog '{}': not a binlog file name", file);
  StopPoint stop;
  stop.kind = StopKind::until_binlog;
  stop.text = file;
  stop.file = file;
  return stop;
}

}  // namespace mysqlpitr::pitr
