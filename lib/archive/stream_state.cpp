#include "archive/stream_state.hpp"

#include <unistd.h>

#include "archive/folder_storage.hpp"
#include "core/error.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::archive {

nlohmann::json stream_state_json(const StreamState& state, std::time_t now) {
  return {{"version", 1},           {"state", state.state},
          {"server_id", state.server_id},  {"file", state.file},
          {"position", state.position},    {"last_event_time", state.last_event_time},
          {"updated_at", now},             {"pid", ::getpid()},
          {"error", state.error}};
}

void write_stream_state(const std::string& archive_folder, const StreamState& state) {
  storage::write_whole(*storage::open_posix(archive_folder), kStreamStateName,
                       stream_state_json(state, std::time(nullptr)).dump(1) + "\n");
}

nlohmann::json read_stream_state(const std::string& archive_folder) {
  auto archive = open_archive(archive_folder);
  if (!archive || !archive->stat(kStreamStateName)) return nullptr;
  std::string text = storage::read_whole(*archive, kStreamStateName);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    throw failure("{} is not JSON: {}", archive->describe(kStreamStateName), error.what());
  }
}

}  // namespace mysqlpitr::archive
