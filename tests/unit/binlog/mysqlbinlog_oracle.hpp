#pragma once
// Runs the installed mysqlbinlog on a file and collects what it prints per event ("# at N", the
// header line, "# Number of rows"), so tests can hold the reader against it.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <unistd.h>

namespace binlog_test {

struct OracleEvent {
  std::uint64_t at = 0;
  std::uint64_t end_log_pos = 0;
  std::uint32_t server_id = 0;
  std::string description;  // text after "end_log_pos N [CRC32 0x...]"
  std::optional<std::uint64_t> rows;
};

struct OracleRun {
  std::vector<OracleEvent> events;
  bool error = false;
  std::optional<std::uint64_t> error_offset;  // "Could not read entry at offset N"
};

inline std::string mysqlbinlog_path() {
  for (const char* candidate : {"/usr/bin/mysqlbinlog", "/usr/bin/mariadb-binlog"}) {
    if (::access(candidate, X_OK) == 0) return candidate;
  }
  return {};
}

inline OracleRun run_mysqlbinlog(const std::string& file) {
  OracleRun run;
  std::string command = mysqlbinlog_path() + " --no-defaults '" + file + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  static const std::regex at_line(R"(^# at (\d+)$)");
  static const std::regex header_line(
      R"(^#\d{6} [ \d]\d:\d\d:\d\d server id (\d+)\s+end_log_pos (\d+)\s+(?:CRC32 0x[0-9a-f]+\s+)?(.*)$)");
  static const std::regex rows_line(R"(^# Number of rows: (\d+)$)");
  char buffer[65536];
  std::smatch match;
  std::size_t describe = 0;  // mysqlbinlog prints several "# at" before their header lines
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    std::string line(buffer);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (std::regex_match(line, match, at_line)) {
      run.events.push_back({std::stoull(match[1]), 0, 0, {}, {}});
    } else if (line.rfind("# Encryption scheme", 0) == 0 && describe < run.events.size()) {
      run.events[describe++].description = "Start_encryption";
    } else if (describe < run.events.size() && std::regex_match(line, match, header_line)) {
      OracleEvent& event = run.events[describe++];
      event.server_id = static_cast<std::uint32_t>(std::stoul(match[1]));
      event.end_log_pos = std::stoull(match[2]);
      event.description = match[3];
    } else if (describe > 0 && std::regex_match(line, match, rows_line)) {
      run.events[describe - 1].rows = std::stoull(match[1]);
    } else if (line.rfind("ERROR:", 0) == 0) {
      run.error = true;
      static const std::regex offset_text(R"(Could not read entry at offset (\d+))");
      if (std::regex_search(line, match, offset_text)) run.error_offset = std::stoull(match[1]);
    }
  }
  ::pclose(pipe);
  return run;
}

}  // namespace binlog_test
