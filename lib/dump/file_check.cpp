#include "dump/file_check.hpp"

#include "core/error.hpp"
#include "dump/manifest.hpp"
#include "io/files.hpp"

namespace mysqlpitr::dump {
namespace {

// A whole number of bytes or a position: unsigned when read from a file, signed when built in code.
bool is_count(const nlohmann::json& value) {
  return value.is_number_unsigned() || (value.is_number_integer() && value.get<long long>() >= 0);
}

std::string differences(const nlohmann::json& entry, const FileFacts& found) {
  if (!entry.is_object()) return "the manifest's entry is not an object";
  // A hand-edited entry of the wrong type is a mismatch named as such, not an internal error.
  if (!entry.contains("size") || !is_count(entry["size"]))
    return "the manifest's entry has no valid \"size\"";
  if (!entry.contains("sha256") || !entry["sha256"].is_string()) return "the manifest's entry has no valid \"sha256\"";
  if (found.coordinates && entry.contains("binlog_file") &&
      (!entry["binlog_file"].is_string() || !entry.contains("binlog_position") ||
       !is_count(entry["binlog_position"])))
    return "the manifest's entry has no valid binlog coordinates";
  unsigned long long size = entry.value("size", 0ULL);
  if (size != found.size) return fmt::format("size {} differs from the manifest's {}", found.size, size);
  std::string sha256 = entry.value("sha256", "");
  if (sha256 != found.sha256) return fmt::format("SHA-256 {} differs from the manifest's {}", found.sha256, sha256);
  // The GTID position is not compared: file and position name the point exactly, and the GTID's
  // spelling differs between the header and the server's variable (MySQL's sets span lines).
  if (found.coordinates && entry.contains("binlog_file")) {
    std::string file = entry.value("binlog_file", "");
    unsigned long long position = entry.value("binlog_position", 0ULL);
    if (file != found.coordinates->file || position != found.coordinates->position)
      return fmt::format("binlog coordinates {}:{} differ from the manifest's {}:{}", found.coordinates->file,
                         found.coordinates->position, file, position);
  }
  return {};
}

}  // namespace

std::optional<nlohmann::json> recorded_entry(const std::string& path) {
  return manifest_entry(io::parent_path(path), io::base_name(path));
}

std::string manifest_mismatch(const nlohmann::json& entry, const FileFacts& found) {
  std::string problem = differences(entry, found);
  if (!problem.empty() && entry.is_object() && entry.contains("replaces") &&
      differences(entry["replaces"], found).empty())
    return {};
  return problem;
}

std::string content_problem(unsigned long long file_size, unsigned long long sql_bytes) {
  if (file_size == 0) return "the file is empty (0 bytes)";
  if (sql_bytes == 0)
    return fmt::format("the file ({} bytes) holds no SQL statements (an empty stream, as a failed "
                       "`mysqldump | gzip` leaves)",
                       file_size);
  return {};
}

void require_content(const std::string& path, unsigned long long file_size, unsigned long long sql_bytes) {
  std::string problem = content_problem(file_size, sql_bytes);
  if (!problem.empty()) throw precondition_error("{}: {}: it is no backup of anything, so it is not used", path, problem);
}

}  // namespace mysqlpitr::dump
