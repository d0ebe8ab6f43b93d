#include "archive/copy_plan.hpp"

#include <map>

#include <fmt/format.h>

#include "archive/partial_copy_name.hpp"
#include "archive/manifest.hpp"
#include "core/strings.hpp"

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

CopyStep step_for(const SourceBinlog& source, const io::DirEntry* archived, const CopyPlanInput& input) {
  CopyStep step{source.name, CopyAction::copy, "", source.size, archived ? archived->size : 0};
  const VerifiedCopy* record = input.manifest && archived ? input.manifest->find(source.name) : nullptr;
  bool recorded = record && record->size == archived->size && record->mtime == archived->mtime;
  if (!archived) {
    step.reason = "not archived yet";
  } else if (archived->type != io::EntryType::regular) {
    step.action = CopyAction::refuse;
    step.reason = "the archive holds something that is not a regular file under this name (a link or a folder); "
                  "move it away";
  } else if (recorded && archived->size != source.size) {
    // A closed binlog never changes: a verified copy that no longer matches its source in size
    // is of another binlog with the same name (RESET MASTER, a new server). Never overwritten.
    step.action = CopyAction::refuse;
    step.reason = fmt::format("the archived copy ({} bytes) was verified against an earlier binlog of this name; the "
                              "server's file ({} bytes) is another one (RESET MASTER?): move the old archive aside",
                              archived->size, source.size);
  } else if (archived->size != source.size) {
    // Not what this tool verified: a torn copy, or another history's file (an old script's copy
    // after RESET MASTER or a rebuild). Kept, under a name no reader takes for a binlog.
    step.set_aside = true;
    step.reason = fmt::format("{} in the archive ({} bytes, the server's has {}), not verified by rotate-binlogs: "
                              "set aside, then copied",
                              archived->size < source.size ? "torn or foreign copy" : "foreign copy", archived->size,
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

std::vector<CopyStep> plan_copies(const CopyPlanInput& input) {
  std::map<std::string, const io::DirEntry*> archived;
  std::vector<CopyStep> steps;
  for (const auto& entry : input.archive) {
    archived[entry.name] = &entry;
    // Only this tool writes such names, and only while it holds the archive's lock: a leftover
    // is from a run that was killed.
    if (partial_copy_target(entry.name) && entry.type == io::EntryType::regular)
      steps.push_back({entry.name, CopyAction::remove_partial, "temporary copy left by an interrupted run", 0, entry.size});
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
