#include "config/byte_size.hpp"

#include <charconv>
#include <limits>

#include "core/strings.hpp"

namespace mysqlpitr::config {
namespace {
constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};

int unit_power(std::string_view unit) {
  std::string lower = core::to_lower(unit);
  if (lower.empty() || lower == "b") return 0;
  static constexpr std::string_view letters = "kmgt";
  if (lower.size() > 3 || letters.find(lower[0]) == std::string_view::npos) return -1;
  std::string_view rest = std::string_view(lower).substr(1);
  if (rest != "" && rest != "b" && rest != "ib") return -1;
  return static_cast<int>(letters.find(lower[0])) + 1;
}
}  // namespace

std::optional<ByteSize> parse_byte_size(std::string_view text) {
  std::string trimmed = core::trim(text);
  std::int64_t number = 0;
  auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), number);
  if (error != std::errc() || end == trimmed.data() || number < 0) return std::nullopt;
  int power = unit_power(core::trim(std::string_view(end, trimmed.data() + trimmed.size() - end)));
  if (power < 0) return std::nullopt;
  for (int i = 0; i < power; ++i) {
    if (number > std::numeric_limits<std::int64_t>::max() / 1024) return std::nullopt;
    number *= 1024;
  }
  return ByteSize{number};
}

std::string format_byte_size(ByteSize size) {
  std::int64_t number = size.bytes;
  int power = 0;
  while (power < 4 && number != 0 && number % 1024 == 0) {
    number /= 1024;
    ++power;
  }
  return std::to_string(number) + units[power];
}

}  // namespace mysqlpitr::config
