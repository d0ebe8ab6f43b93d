#pragma once
// Durations in the configuration (status.max_dump_age): whole seconds, or numbers with units.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mysqlpitr::config {

struct Duration {
  std::int64_t seconds = 0;
  bool operator==(const Duration&) const = default;
};

// "90", "90s", "15m", "26h", "2d", "1w", "1h30m" (s, m, h, d, w; any case for s/h/d/w, "m" is
// minutes): the parts add up. Empty, negative, fractional, unknown units and overflow: nullopt.
std::optional<Duration> parse_duration(std::string_view text);

// The shortest exact form: "26h", "30m", "1d2h", "0s" (parse_duration reads it back).
std::string format_duration(Duration duration);

}  // namespace mysqlpitr::config
