#include "commands/verify.hpp"

#include <algorithm>

#include "core/strings.hpp"
#include "dump/verify.hpp"
#include "commands/verify_mongo.hpp"

namespace mysqlpitr::commands {
namespace {

bool accepts_dump(const io::DirEntry& entry) {
  return entry.type == io::EntryType::regular && dump::looks_like_dump(entry.name);
}

VerifyOutcome verify_dump_file(Context&, const io::DirEntry& entry) {
  dump::DumpVerification result = dump::verify_dump(entry.path);
  VerifyOutcome outcome{entry.path, "dump", result.ok, result.problem, nlohmann::json::object()};
  outcome.details = {{"size", result.size},
                     {"compression", result.compression},
                     {"sql_bytes", result.sql_bytes},
                     {"checksum_checked", result.in_manifest}};
  return outcome;
}

}  // namespace

const std::vector<Verifier>& verifiers() {
  static const std::vector<Verifier> table = {
      {"dump", accepts_dump, verify_dump_file},
      {"mongo dump", accepts_mongo_dump, verify_mongo_dump},
  };
  return table;
}

std::vector<std::string> default_verify_folders(Context& context) {
  const auto& paths = context.settings().paths;
  std::vector<std::string> folders;
  for (const std::string& folder : {paths.historical.value, paths.schema.value, paths.pitr_base.value})
    if (!folder.empty() && std::find(folders.begin(), folders.end(), folder) == folders.end())
      folders.push_back(folder);
  return folders;
}

namespace {

const Verifier* verifier_for(const io::DirEntry& entry) {
  for (const Verifier& verifier : verifiers())
    if (verifier.accepts(entry)) return &verifier;
  return nullptr;
}

}  // namespace

Report run_verify(Context& context, const VerifyOptions& options) {
  std::vector<std::string> paths = options.paths.empty() ? default_verify_folders(context) : options.paths;
  std::vector<io::DirEntry> targets;
  std::vector<std::string> problems;
  for (const std::string& path : paths) {
    auto entry = io::stat_entry(path);
    if (!entry) {
      problems.push_back(path + ": no such file or folder");
      continue;
    }
    entry->path = path;
    if (verifier_for(*entry)) {
      targets.push_back(*entry);
    } else if (entry->type == io::EntryType::directory) {
      for (const io::DirEntry& child : io::list_directory(path))
        if (verifier_for(child)) targets.push_back(child);
    } else {
      problems.push_back(path + ": not a backup file that verify knows (.sql, .sql.gz, .sql.zst)");
    }
  }

  Report report;
  report.data["checked"] = nlohmann::json::array();
  ui::Console& console = context.console();
  size_t good = 0;
  for (const io::DirEntry& target : targets) {
    const Verifier* verifier = verifier_for(target);
    console.progress("verifying " + target.path);
    VerifyOutcome outcome = verifier->verify(context, target);
    console.finish_progress();
    nlohmann::json item = {{"path", outcome.path}, {"what", outcome.what}, {"ok", outcome.ok}};
    item.update(outcome.details);
    if (!outcome.ok) item["problem"] = outcome.problem;
    report.data["checked"].push_back(item);
    if (outcome.ok) {
      ++good;
      console.info("ok     " + outcome.path);
    } else {
      problems.push_back(outcome.problem);
    }
  }
  for (const std::string& problem : problems) {
    console.error("FAILED " + problem);
    report.errors.push_back(problem);
  }
  if (!problems.empty()) report.code = good > 0 ? ExitCode::partial : ExitCode::failed;
  console.summary(fmt::format("verify: {} ok, {} failed", good, problems.size()));
  return report;
}

}  // namespace mysqlpitr::commands
