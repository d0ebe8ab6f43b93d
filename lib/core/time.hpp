#pragma once
// Dates in file names (strftime formats), operator-typed date-times, and their printing.
// Times are Unix seconds; "local" means the time zone of this process (TZ).
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace mysqlpitr::core {

// Parses `text` with a strftime/strptime format in local time; the whole text must match and
// name a time that exists (no 2026-02-30, no time skipped by a daylight-saving change).
std::optional<std::time_t> parse_local(std::string_view text, const std::string& format);

// Formats a time in local time with a strftime format.
std::string format_local(std::time_t time, const std::string& format);

// "YYYY-MM-DD HH:MM:SS" in local time: the form used everywhere in output and JSON.
std::string format_datetime(std::time_t time);

// "YYYY-MM-DD HH:MM:SS" in UTC.
std::string format_datetime_utc(std::time_t time);

// A date-time typed by an operator: 'YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DDTHH:MM:SS', optionally
// followed by 'Z' or '+HH:MM'/'-HH:MM'. Without an offset the zone is decided by the caller.
struct DateTime {
  std::tm fields{};                      // broken-down wall time as typed
  std::optional<int> utc_offset_seconds;  // set when the text carried Z or an offset
};
// A date that does not exist (2026-02-30, 24:00:00, month 13) is refused, never normalised.
std::optional<DateTime> parse_datetime(std::string_view text);

// Whether YEAR-MONTH-DAY exists in the Gregorian calendar.
bool valid_date(int year, int month, int day);

// Whether `text`, the beginning of a date in the order year, month, day, hour, minute, second
// (any separators: "2026-11-23", "2026-11-23_23-10"), can still be a real date. Text of another
// form (not starting with a 4-digit year) is not judged and passes.
bool possible_date_prefix(std::string_view text);

// The instant a DateTime denotes: its own offset when it has one, else `zone_offset_seconds`.
std::time_t to_epoch(const DateTime& datetime, int zone_offset_seconds);
// The instant when read in this process's local zone (DST-aware), unless it carries an offset.
std::time_t to_epoch_local(const DateTime& datetime);

// "HH:MM" or "HH:MM:SS" to seconds after midnight.
std::optional<int> parse_time_of_day(std::string_view text);

// Seconds east of UTC of the local zone at `time`.
int local_utc_offset(std::time_t time);

}  // namespace mysqlpitr::core
