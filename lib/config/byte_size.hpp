#pragma once
// Sizes in the configuration (s3.part_size): a whole number of bytes or a number with a unit.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mysqlpitr::config {

struct ByteSize {
  std::int64_t bytes = 0;
  bool operator==(const ByteSize&) const = default;
};

// "16777216", "16MiB", "16M", "16 MB", "1GiB", "512k": K, M, G, T (with or without "iB"/"B",
// any case) are powers of 1024, as part sizes are counted by S3 and its tools. Empty, negative,
// fractional, unknown units and overflow: nullopt.
std::optional<ByteSize> parse_byte_size(std::string_view text);

// The largest exact unit: "16MiB", "5GiB", "1000B"... (parse_byte_size reads it back).
std::string format_byte_size(ByteSize size);

}  // namespace mysqlpitr::config
