#include "archive/stream_start.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "archive/copy.hpp"
#include "archive/folder_storage.hpp"
#include "archive/stream_file.hpp"
#include "binlog/name.hpp"
#include "core/error.hpp"
#include "io/files.hpp"

namespace mysqlpitr::archive {
namespace {

bool of_prefix(const std::string& name, const std::string& prefix) {
  auto parsed = binlog::parse_binlog_name(name);
  return parsed && (prefix.empty() || parsed->prefix == prefix);
}

std::string binlog_with_number(const binlog::BinlogName& name, std::uint64_t number) {
  std::string digits = std::to_string(number);
  if (digits.size() < name.digits) digits.insert(0, name.digits - digits.size(), '0');
  return name.prefix + "." + digits;
}

// Names the binlogs between `after` and `next` that are missing (or says there may be some).
std::string missing_between(const std::string& after, const std::string& next) {
  auto a = binlog::parse_binlog_name(after), b = binlog::parse_binlog_name(next);
  if (!a || !b || a->prefix != b->prefix) return "the binlogs between " + after + " and " + next;
  std::string first = binlog_with_number(*a, a->sequence + 1), last = binlog_with_number(*a, b->sequence - 1);
  return first == last ? first : first + " to " + last;
}

}  // namespace

ArchiveEnd find_archive_end(const std::string& folder, const std::string& prefix, crypto::KeyRing* keys) {
  ArchiveEnd end;
  std::vector<std::string> streaming;
  auto archive = open_archive(folder);
  if (!archive) throw failure("the binlog archive folder {} does not exist", folder);
  for (const auto& object : archive->list_level("").objects) {
    const std::string& name = object.key;
    if (of_prefix(name, prefix) && (end.newest_closed.empty() || binlog::binlog_name_less(end.newest_closed, name)))
      end.newest_closed = name;
    if (auto binlog = streamed_binlog(name); binlog && of_prefix(*binlog, prefix)) streaming.push_back(*binlog);
  }
  std::sort(streaming.begin(), streaming.end(), binlog::binlog_name_less);
  for (const auto& binlog : streaming) {
    bool archived = archive->stat(binlog).has_value() ||
                    (!end.newest_closed.empty() && !binlog::binlog_name_less(end.newest_closed, binlog));
    if (archived || binlog != streaming.back()) end.stale.push_back(binlog);
    else end.streaming = binlog;
  }
  if (!end.streaming.empty()) {
    WholePart part = whole_part(io::join_path(folder, streaming_name(end.streaming)));
    end.streaming_end = part.end;
    end.last_event_time = part.last_event_time;
    return end;
  }
  if (!end.newest_closed.empty()) {
    std::string path = io::join_path(folder, end.newest_closed);
    try {
      read_binlog_to_end(path, keys);
    } catch (const Error& error) {
      if (error.code() == ExitCode::precondition) throw;  // no key reads it: said as it is
      throw precondition_error("the archive's newest binlog {} is not whole ({}): run rotate-binlogs, which sets a torn "
                               "copy aside and copies it again, then start the stream",
                               path, error.what());
    }
  }
  return end;
}

StreamStart plan_stream_start(const ArchiveEnd& end, const std::vector<std::string>& server_binlogs) {
  auto on_server = [&](const std::string& name) {
    return std::find(server_binlogs.begin(), server_binlogs.end(), name) != server_binlogs.end();
  };
  if (!end.streaming.empty()) {
    if (!on_server(end.streaming))
      throw precondition_error("the server no longer has {} (purged), which the stream was writing up to byte {}: the "
                               "rest of it is lost to the archive; archive what follows with rotate-binlogs and take "
                               "a new PITR base",
                               end.streaming, end.streaming_end);
    return {end.streaming, std::max<std::uint64_t>(end.streaming_end, 4),
            fmt::format("goes on with {} from byte {}", streaming_name(end.streaming), end.streaming_end)};
  }
  if (server_binlogs.empty()) throw precondition_error("the server lists no binlogs (SHOW BINARY LOGS is empty)");
  if (end.newest_closed.empty())
    return {server_binlogs.front(), 4, "the archive holds no binlog: from the server's oldest"};
  auto next = std::find_if(server_binlogs.begin(), server_binlogs.end(),
                           [&](const std::string& name) { return binlog::binlog_name_less(end.newest_closed, name); });
  if (next == server_binlogs.end())
    throw precondition_error("the server has no binlog after the archive's newest {} (its newest is {}): was RESET "
                             "MASTER run, or is this another server? move the archive aside",
                             end.newest_closed, server_binlogs.back());
  auto newest = binlog::parse_binlog_name(end.newest_closed), first = binlog::parse_binlog_name(*next);
  if (newest && first && newest->prefix == first->prefix && first->sequence > newest->sequence + 1)
    throw precondition_error("the server purged {} before it was archived: the archive has a hole after {}; archive "
                             "what follows and take a new PITR base",
                             missing_between(end.newest_closed, *next), end.newest_closed);
  return {*next, 4, "after the archive's newest " + end.newest_closed};
}

}  // namespace mysqlpitr::archive
