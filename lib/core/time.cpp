#include "core/time.hpp"

#include <cstdio>
#include <cstring>

namespace mysqlpitr::core {

std::optional<std::time_t> parse_local(std::string_view text, const std::string& format) {
  std::string copy(text);
  std::tm fields{};
  fields.tm_isdst = -1;
  const char* end = strptime(copy.c_str(), format.c_str(), &fields);
  if (end == nullptr || *end != '\0') return std::nullopt;
  fields.tm_isdst = -1;
  std::time_t result = mktime(&fields);
  if (result == static_cast<std::time_t>(-1)) return std::nullopt;
  return result;
}

std::string format_local(std::time_t time, const std::string& format) {
  std::tm fields{};
  localtime_r(&time, &fields);
  char buffer[256];
  size_t length = strftime(buffer, sizeof buffer, format.c_str(), &fields);
  return std::string(buffer, length);
}

std::string format_datetime(std::time_t time) { return format_local(time, "%Y-%m-%d %H:%M:%S"); }

std::string format_datetime_utc(std::time_t time) {
  std::tm fields{};
  gmtime_r(&time, &fields);
  char buffer[64];
  size_t length = strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &fields);
  return std::string(buffer, length);
}

std::optional<DateTime> parse_datetime(std::string_view text) {
  DateTime result;
  int year, month, day, hour, minute, second, consumed = 0;
  char separator;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &year, &month, &day, &separator, &hour,
                  &minute, &second, &consumed) != 7)
    return std::nullopt;
  if (separator != ' ' && separator != 'T') return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  std::string_view rest = std::string_view(copy).substr(static_cast<size_t>(consumed));
  if (rest == "Z") {
    result.utc_offset_seconds = 0;
  } else if (!rest.empty()) {
    int offset_hour, offset_minute, offset_consumed = 0;
    char sign = rest[0];
    std::string tail(rest.substr(1));
    if ((sign != '+' && sign != '-') ||
        std::sscanf(tail.c_str(), "%2d:%2d%n", &offset_hour, &offset_minute, &offset_consumed) != 2 ||
        static_cast<size_t>(offset_consumed) != tail.size() || offset_hour > 14 || offset_minute > 59)
      return std::nullopt;
    int offset = offset_hour * 3600 + offset_minute * 60;
    result.utc_offset_seconds = sign == '-' ? -offset : offset;
  }
  result.fields.tm_year = year - 1900;
  result.fields.tm_mon = month - 1;
  result.fields.tm_mday = day;
  result.fields.tm_hour = hour;
  result.fields.tm_min = minute;
  result.fields.tm_sec = second;
  return result;
}

std::time_t to_epoch(const DateTime& datetime, int zone_offset_seconds) {
  std::tm fields = datetime.fields;
  std::time_t as_utc = timegm(&fields);
  return as_utc - datetime.utc_offset_seconds.value_or(zone_offset_seconds);
}

std::time_t to_epoch_local(const DateTime& datetime) {
  if (datetime.utc_offset_seconds) return to_epoch(datetime, 0);
  std::tm fields = datetime.fields;
  fields.tm_isdst = -1;
  return mktime(&fields);
}

std::optional<int> parse_time_of_day(std::string_view text) {
  std::string copy(text);
  int hour, minute, second = 0, consumed = 0;
  if (std::sscanf(copy.c_str(), "%2d:%2d:%2d%n", &hour, &minute, &second, &consumed) == 3 &&
      static_cast<size_t>(consumed) == copy.size()) {
  } else if (consumed = 0, std::sscanf(copy.c_str(), "%2d:%2d%n", &hour, &minute, &consumed) == 2 &&
                               static_cast<size_t>(consumed) == copy.size()) {
    second = 0;
  } else {
    return std::nullopt;
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return std::nullopt;
  return hour * 3600 + minute * 60 + second;
}

int local_utc_offset(std::time_t time) {
  std::tm fields{};
  localtime_r(&time, &fields);
  return static_cast<int>(fields.tm_gmtoff);
}

}  // namespace mysqlpitr::core
