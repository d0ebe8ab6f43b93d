#include "archive/copy_plan.hpp"

#include <map>

#include <fmt/format.h>

#include "archive/manifest.hpp"
#include "archive/partial_copy_name.hpp"
#include "archive/stream_file.hpp"
#include "binlog/name.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "crypto/decrypting_random_source.hpp"

namespace mysqlpitr::archive {

const char* action_name(CopyAction action) {
  switch (action) {
    case CopyAction::copy: return "copy";
    case CopyAction::compare: return "compare";
    case CopyAction::keep: return "keep";
    case CopyAction::skip_active: return "skip-active";
    case CopyAction::remove_partial: return "remove-partial";
    case CopyAction::refuse: return "refuse";
  }
  return "?";
}

namespace {

CopyStep step_for(const SourceBinlog& source, const storage::LevelEntry* archived, const CopyPlanInput& input) {
  const VerifiedCopy* record = input.manifest && archived ? input.manifest->find(source.name) : nullptr;
  bool recorded = record && record->size == archived->size && record->mtime == archived->mtime;
  unsigned long long archived_size = 0;  // of the binlog the archive holds (decrypted)
  if (archived) {
    auto plain = input.plain_sizes.find(source.name);
    archived_size = plain != input.plain_sizes.end() ? plain->second : recorded ? record->binlog_size() : archived->size;
  }
  CopyStep step{source.name, CopyAction::copy, "", source.size, archived_size};
  if (!archived) {
    step.reason = "not archived yet";
  } else if (archived->kind != storage::LevelEntry::Kind::object) {
    step.action = CopyAction::refuse;
    step.reason = "the archive holds something that is not a regular file under this name (a link, a folder or "
                  "another special file); move it away";
  } else if (recorded && archived_size != source.size) {
    // A closed binlog never changes: a verified copy that no longer matches its source in size
    // is of another binlog with the same name (RESET MASTER, a new server). Never overwritten.
    step.action = CopyAction::refuse;
    step.reason = fmt::format("the archived copy ({} bytes) was verified against an earlier binlog of this name; the "
                              "server's file ({} bytes) is another one (RESET MASTER?): move the old archive aside",
                              archived_size, source.size);
  } else if (archived_size != source.size) {
    // Not what this tool verified: a torn copy, or another history's file (an old script's copy
    // after RESET MASTER or a rebuild). Kept, under a name no reader takes for a binlog.
    step.set_aside = true;
    step.reason = fmt::format("{} in the archive ({} bytes, the server's has {}), not verified by rotate-binlogs: "
                              "set aside, then copied",
                              archived_size < source.size ? "torn or foreign copy" : "foreign copy", archived_size,
                              source.size);
  } else {
    if (recorded && !input.recheck) {
      step.action = CopyAction::keep;
      step.reason = "archived and verified earlier";
    } else {
      step.action = CopyAction::compare;
      step.reason = recorded ? "recheck requested" : "same size, never verified by this tool: contents compared";
    }
  }
  return step;
}

}  // namespace

std::map<std::string, unsigned long long> encrypted_plain_sizes(const std::shared_ptr<storage::Storage>& archive,
                                                                const std::vector<storage::LevelEntry>& entries) {
  std::map<std::string, unsigned long long> sizes;
  for (const auto& entry : entries) {
    if (entry.kind != storage::LevelEntry::Kind::object || !binlog::parse_binlog_name(entry.key)) continue;
    std::string path = archive->describe(entry.key);
    try {
      auto bytes = storage::open_random(archive, entry.key, entry.size);
      if (auto header = crypto::read_header_of(*bytes, path))
        sizes[entry.key] = crypto::plain_size_of(*header, entry.size, path);
    } catch (const Error&) {
      // damaged header or vanished file: judged by its stored size
    }
  }
  return sizes;
}

std::vector<CopyStep> plan_copies(const CopyPlanInput& input) {
  std::map<std::string, const storage::LevelEntry*> archived;
  std::vector<CopyStep> steps;
  for (const auto& entry : input.archive) archived[entry.key] = &entry;
  for (const auto& entry : input.archive) {
    // Only this tool writes such names: rotate-binlogs while it holds the archive's lock, so a
    // leftover is from a run that was killed; and `binlogs stream` encrypting the binlog it closes
    // (its `<name>.streaming` still there), which may be running now: that one stays.
    auto target = partial_copy_target(entry.key);
    if (target && entry.kind == storage::LevelEntry::Kind::object && !archived.count(*target + kStreamingSuffix))
      steps.push_back({entry.key, CopyAction::remove_partial, "temporary copy left by an interrupted run", 0, entry.size});
  }
  for (const auto& source : input.closed) {
    if (source.name == input.active) continue;  // a listing that raced a flush: never copy the active one
    auto found = archived.find(source.name);
    steps.push_back(step_for(source, found == archived.end() ? nullptr : found->second, input));
  }
  if (!input.active.empty())
    steps.push_back({input.active, CopyAction::skip_active,
                     "active: the server is writing it; archived after the next FLUSH BINARY LOGS", 0, 0});
  return steps;
}

}  // namespace mysqlpitr::archive
