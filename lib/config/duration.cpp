#include "config/duration.hpp"

#include <charconv>
#include <limits>

#include "core/strings.hpp"

namespace mysqlpitr::config {
namespace {

struct Unit {
  char letter;
  std::int64_t seconds;
};
constexpr Unit units[] = {{'w', 7 * 86400}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};

std::optional<std::int64_t> unit_seconds(char letter) {
  char lower = static_cast<char>(letter >= 'A' && letter <= 'Z' ? letter - 'A' + 'a' : letter);
  for (const auto& unit : units)
    if (unit.letter == lower) return unit.seconds;
  return std::nullopt;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  std::string trimmed = core::trim(text);
  if (trimmed.empty()) return std::nullopt;
  const char* at = trimmed.data();
  const char* end = trimmed.data() + trimmed.size();
  std::int64_t total = 0;
  while (at != end) {
    std::int64_t number = 0;
    auto [after, error] = std::from_chars(at, end, number);
    if (error != std::errc() || after == at || number < 0) return std::nullopt;
    at = after;
    while (at != end && *at == ' ') ++at;
    std::int64_t scale = 1;
    if (at != end) {
      auto seconds = unit_seconds(*at);
      if (!seconds) return std::nullopt;
      scale = *seconds;
      ++at;
      while (at != end && *at == ' ') ++at;
    } else if (total != 0) {
      return std::nullopt;  // "1h30": a bare number only alone
    }
    if (number > (std::numeric_limits<std::int64_t>::max() - total) / scale) return std::nullopt;
    total += number * scale;
  }
  return Duration{total};
}

std::string format_duration(Duration duration) {
  if (duration.seconds == 0) return "0s";
  std::string out;
  std::int64_t rest = duration.seconds;
  for (const auto& unit : units) {
    if (rest < unit.seconds) continue;
    // Weeks only when exact: "8d" reads better than "1w1d".
    if (unit.letter == 'w' && rest % unit.seconds != 0) continue;
    out += std::to_string(rest / unit.seconds) + unit.letter;
    rest %= unit.seconds;
  }
  return out;
}

}  // namespace mysqlpitr::config
