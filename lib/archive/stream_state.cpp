#include "archive/stream_state.hpp"

#include <unistd.h>

#include "io/atomic_file.hpp"
#include "io/files.hpp"

namespace mysqlpitr::archive {

nlohmann::json stream_state_json(const StreamState& state, std::time_t now) {
  return {{"version", 1},           {"state", state.state},
          {"server_id", state.server_id},  {"file", state.file},
          {"position", state.position},    {"last_event_time", state.last_event_time},
          {"updated_at", now},             {"pid", ::getpid()},
          {"error", state.error}};
}

void write_stream_state(const std::string& archive_folder, const StreamState& state) {
  io::AtomicFile file(io::join_path(archive_folder, kStreamStateName), 0640);
  file.write(stream_state_json(state, std::time(nullptr)).dump(1) + "\n");
  file.commit();
}

}  // namespace mysqlpitr::archive
