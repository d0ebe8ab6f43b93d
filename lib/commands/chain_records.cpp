#include "commands/chain_records.hpp"

#include <optional>

#include "archive/manifest.hpp"
#include "core/error.hpp"
#include "io/sha256.hpp"

namespace mysqlpitr::commands {

void verify_chain_binlogs(Context& context, const std::vector<pitr::ChainFile>& files, const BucketBinlogs& bucket,
                          const std::string& archive_folder) {
  std::optional<archive::Manifest> archived;
  for (const auto& file : files) {
    // What the file is known to hold: the bucket's record of its upload, or rotate-binlogs' record
    // of the copy it verified in the local archive (a file no run verified cannot be checked).
    unsigned long long expected_size = 0;
    std::string expected_sha256, whose;
    if (file.source == "bucket") {
      auto record = bucket.records.find(file.name);
      if (record == bucket.records.end()) continue;
      const nlohmann::json& recorded = record->second;
      expected_size = recorded.value("plain_size", recorded.value("size", 0ULL));
      expected_sha256 = recorded.value("plain_sha256", recorded.value("sha256", ""));
      whose = "its upload";
    } else if (file.source == "archive" && !file.streaming) {
      if (!archived) archived = archive::Manifest::load(archive_folder);
      const archive::VerifiedCopy* copy = archived->find(file.name);
      if (!copy || copy->binlog_sha256().empty()) continue;
      // A copy cut short (shorter than it was verified) is the continuity checks' to judge: they
      // refuse replaying across the cut, and a stop point before it replays what is left.
      if (file.size < copy->binlog_size()) continue;
      expected_size = copy->binlog_size();
      expected_sha256 = copy->binlog_sha256();
      whose = "rotate-binlogs, when it verified the copy,";
    } else {
      continue;
    }
    context.console().progress("checking " + file.path + " against its record");
    auto source = pitr::open_source(file.path, file.open);
    io::Sha256 digest;
    std::string buffer(1 << 20, '\0');
    unsigned long long size = 0;
    while (size_t got = source->read_at(size, buffer.data(), buffer.size())) {
      digest.update(std::string_view(buffer.data(), got));
      size += got;
    }
    context.console().finish_progress();
    std::string sha256 = digest.hex_digest();
    // The bytes read are the binlog's (decrypted when the copy is encrypted): checked against what
    // the record says the binlog is.
    if (size != expected_size || sha256 != expected_sha256)
      throw precondition_error("{} is not the binlog {} recorded: {} bytes with SHA-256 {}, the record says {} "
                               "bytes and {}; it was changed or replaced since, so nothing was changed",
                               file.path, whose, size, sha256, expected_size, expected_sha256);
  }
}

}  // namespace mysqlpitr::commands
