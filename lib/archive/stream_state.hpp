#pragma once
// The stream's state for operators and `status`: `.mysqlpitr-stream.json` in the archive folder,
// rewritten atomically at every sync: {"version":1, "state":"streaming"|"reconnecting"|"stopped"|
// "failed", "server_id", "file" (the binlog being streamed), "position" (end of the last whole
// event written and synced), "last_event_time" (its header timestamp, unix s), "updated_at",
// "pid", "error" (the last error, or empty)}.
#include <cstdint>
#include <ctime>
#include <string>

#include <nlohmann/json.hpp>

namespace mysqlpitr::archive {

inline constexpr const char* kStreamStateName = ".mysqlpitr-stream.json";

struct StreamState {
  std::string state = "streaming";
  std::uint32_t server_id = 0;
  std::string file;
  std::uint64_t position = 0;
  std::uint32_t last_event_time = 0;
  std::string error;
};

nlohmann::json stream_state_json(const StreamState& state, std::time_t now);
void write_stream_state(const std::string& archive_folder, const StreamState& state);
// The state the stream left in the archive folder: null when there is none; throws naming the file
// when it is not JSON.
nlohmann::json read_stream_state(const std::string& archive_folder);

}  // namespace mysqlpitr::archive
