#include "archive/aside.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace mysqlpitr::archive {
namespace {

std::string utc_stamp(std::time_t now) {
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

}  // namespace

std::string aside_name(const std::string& name, std::time_t now, int attempt) {
  std::string stem = name + ".aside-" + utc_stamp(now);
  return attempt == 1 ? stem : fmt::format("{}-{}", stem, attempt);
}

std::string set_aside(storage::Storage& archive, const std::string& name, std::time_t now) {
  for (int attempt = 1; attempt <= 1000; ++attempt) {
    std::string key = std::string(kAsideFolder) + "/" + aside_name(name, now, attempt);
    if (archive.move_if_absent(name, key)) return key;
  }
  throw failure("cannot find a free name for {} in {}", name, archive.describe(kAsideFolder));
}

}  // namespace mysqlpitr::archive
