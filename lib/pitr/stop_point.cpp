#include "pitr/stop_point.hpp"

#include <cctype>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "binlog/name.hpp"
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
    throw usage_error("--stop-datetime '{}' is not a real date and time: expected 'YYYY-MM-DD HH:MM:SS' (server "
                      "time zone) or 'YYYY-MM-DDTHH:MM:SS' followed by Z or +HH:MM",
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
  if (colon == std::string::npos || colon == 0 || colon + 1 >= text.size() || !binlog::parse_binlog_name(text.substr(0, colon)))
    throw usage_error("--stop-position '{}': expected FILE:POS, e.g. mysql-bin.000042:1234", text);
  stop.file = text.substr(0, colon);
  std::string digits = text.substr(colon + 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 18)
    throw usage_error("--stop-position '{}': the position must be a number of bytes", text);
  stop.position = std::stoull(digits);
  return stop;
}

namespace {

bool all_digits(std::string_view text) {
  return !text.empty() && text.size() <= 19 && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// A MariaDB GTID "domain-server-sequence" in the form the reader prints it (no leading zeros),
// or nullopt.
std::optional<std::string> mariadb_gtid(const std::string& text) {
  size_t first = text.find('-');
  size_t second = first == std::string::npos ? first : text.find('-', first + 1);
  if (second == std::string::npos) return std::nullopt;
  std::string_view view(text);
  auto domain = view.substr(0, first), server = view.substr(first + 1, second - first - 1),
       sequence = view.substr(second + 1);
  if (!all_digits(domain) || !all_digits(server) || !all_digits(sequence)) return std::nullopt;
  auto number = [](std::string_view digits) { return std::stoull(std::string(digits)); };
  if (number(domain) > 0xffffffffULL || number(server) > 0xffffffffULL) return std::nullopt;
  return fmt::format("{}-{}-{}", number(domain), number(server), number(sequence));
}

// A MySQL GTID "uuid:number" (lower case, as the reader prints it), or nullopt.
std::optional<std::string> mysql_gtid(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon != 36 || !all_digits(std::string_view(text).substr(colon + 1))) return std::nullopt;
  std::string uuid = text.substr(0, colon);
  for (size_t i = 0; i < uuid.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? uuid[i] != '-' : !std::isxdigit(static_cast<unsigned char>(uuid[i]))) return std::nullopt;
    uuid[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(uuid[i])));
  }
  return fmt::format("{}:{}", uuid, std::stoull(text.substr(colon + 1)));
}

}  // namespace

StopPoint stop_at_gtid(const std::string& gtid) {
  auto normal = mariadb_gtid(gtid);
  if (!normal) normal = mysql_gtid(gtid);
  if (!normal)
    throw usage_error("--stop-gtid '{}': expected one GTID, MariaDB domain-server-sequence (0-1-42) or MySQL "
                      "uuid:number",
                      gtid);
  StopPoint stop;
  stop.kind = StopKind::gtid;
  stop.text = gtid;
  stop.gtid = *normal;
  return stop;
}

StopPoint stop_until_binlog(const std::string& file) {
  if (!binlog::parse_binlog_name(file)) throw usage_error("--until-binlog '{}': not a binlog file name", file);
  StopPoint stop;
  stop.kind = StopKind::until_binlog;
  stop.text = file;
  stop.file = file;
  return stop;
}

}  // namespace mysqlpitr::pitr
