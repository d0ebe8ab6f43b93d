#include "core/time.hpp"

#include <cstdio>
#include <cstring>

namespace mysqlpitr::core {
namespace {

bool same_wall_time(const std::tm& a, const std::tm& b) {
  return a.tm_year == b.tm_year && a.tm_mon == b.tm_mon && a.tm_mday == b.tm_mday && a.tm_hour == b.tm_hour &&
         a.tm_min == b.tm_min && a.tm_sec == b.tm_sec;
}

}  // namespace

std::optional<std::time_t> parse_local(std::string_view text, const std::string& format) {
  std::string copy(text);
  std::tm fields{};
  fields.tm_isdst = -1;
  const char* end = strptime(copy.c_str(), format.c_str(), &fields);
  if (end == nullptr || *end != '\0') return std::nullopt;
  fields.tm_isdst = -1;
  std::tm typed = fields;
  std::time_t result = mktime(&fields);
  if (result == static_cast<std::time_t>(-1)) return std::nullopt;
  // mktime() quietly normalises 2026-02-30 to March 2nd (and a time in a daylight-saving gap an
  // hour on): a date that does not exist is refused, not read as another one.
  if (!same_wall_time(typed, fields)) return std::nullopt;
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
  // Digits only where numbers go (sscanf's %d would take signs and spaces), and every field in
  // its calendar range: no 2026-02-30, no 24:00:00, no leap second (the server refuses them too).
  size_t at = 0;
  auto number = [&](size_t min_digits, size_t max_digits) -> std::optional<int> {
    size_t begin = at;
    int value = 0;
    while (at < text.size() && at - begin < max_digits && text[at] >= '0' && text[at] <= '9')
      value = value * 10 + (text[at++] - '0');
    if (at - begin < min_digits) return std::nullopt;
    return value;
  };
  auto literal = [&](std::string_view allowed) {
    if (at >= text.size() || allowed.find(text[at]) == std::string_view::npos) return false;
    ++at;
    return true;
  };
  auto year = number(4, 4);
  if (!year || !literal("-")) return std::nullopt;
  auto month = number(1, 2);
  if (!month || !literal("-")) return std::nullopt;
  auto day = number(1, 2);
  if (!day || !literal(" T")) return std::nullopt;
  auto hour = number(1, 2);
  if (!hour || !literal(":")) return std::nullopt;
  auto minute = number(1, 2);
  if (!minute || !literal(":")) return std::nullopt;
  auto second = number(1, 2);
  if (!second || !valid_date(*year, *month, *day) || *hour > 23 || *minute > 59 || *second > 59)
    return std::nullopt;
  DateTime result;
  std::string_view rest = text.substr(at);
  if (rest == "Z") {
    result.utc_offset_seconds = 0;
  } else if (!rest.empty()) {
    char sign = rest[0];
    ++at;
    auto offset_hour = number(2, 2);
    if ((sign != '+' && sign != '-') || !offset_hour || !literal(":")) return std::nullopt;
    auto offset_minute = number(2, 2);
    if (!offset_minute || at != text.size() || *offset_hour > 14 || *offset_minute > 59) return std::nullopt;
    int offset = *offset_hour * 3600 + *offset_minute * 60;
    result.utc_offset_seconds = sign == '-' ? -offset : offset;
  }
  result.fields.tm_year = *year - 1900;
  result.fields.tm_mon = *month - 1;
  result.fields.tm_mday = *day;
  result.fields.tm_hour = *hour;
  result.fields.tm_min = *minute;
  result.fields.tm_sec = *second;
  return result;
}

bool valid_date(int year, int month, int day) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool possible_date_prefix(std::string_view text) {
  // Groups of digits in order: year, month, day, hour, minute, second. A last group shorter than
  // its full width may still be growing ("2026-1" begins October to December), so it is not judged.
  static constexpr int kMin[] = {0, 1, 1, 0, 0, 0};
  static constexpr int kMax[] = {9999, 12, 31, 23, 59, 59};
  static constexpr size_t kWidth[] = {4, 2, 2, 2, 2, 2};
  int values[6] = {};
  bool complete[6] = {};
  size_t count = 0, at = 0;
  while (at < text.size() && count < 6) {
    size_t begin = at;
    int value = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9' && at - begin < 9)
      value = value * 10 + (text[at++] - '0');
    size_t digits = at - begin;
    if (digits == 0 || (count == 0 && digits != 4)) return true;  // not a date of the form judged here
    complete[count] = digits >= kWidth[count] || at < text.size();
    if (complete[count] && (digits > kWidth[count] || value < kMin[count] || value > kMax[count])) return false;
    values[count++] = value;
    if (at < text.size()) ++at;  // the separator, whatever it is: '-', '_', ' ', 'T', ':'
  }
  return count < 3 || !complete[2] || valid_date(values[0], values[1], values[2]);
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
