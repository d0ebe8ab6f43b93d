#include "archive/aside.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/files.hpp"

namespace mysqlpitr::archive {
namespace {

std::string aside_folder_of(const std::string& archive_folder) {
  std::string folder = io::join_path(archive_folder, kAsideFolder);
  if (::mkdir(folder.c_str(), 0750) != 0 && errno != EEXIST)
    throw failure("cannot create {}: {}", folder, errno_text(errno));
  auto entry = io::stat_entry(folder);
  if (!entry || entry->type != io::EntryType::directory)
    throw failure("{} is not a folder (a link or a file holds its name): move it away", folder);
  return folder;
}

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

std::string set_aside(const std::string& archive_folder, const std::string& name, std::time_t now) {
  std::string folder = aside_folder_of(archive_folder);
  std::string source = io::join_path(archive_folder, name);
  for (int attempt = 1;; ++attempt) {
    std::string target = io::join_path(folder, aside_name(name, now, attempt));
    if (io::rename_no_replace(AT_FDCWD, source, target, source)) {
      io::fsync_directory(folder);
      io::fsync_directory(archive_folder);
      return target;
    }
    if (attempt >= 1000) throw failure("cannot find a free name for {} in {}", name, folder);
  }
}

}  // namespace mysqlpitr::archive
