#include "commands/verify.hpp"

#include <algorithm>
#include <set>

#include "commands/repository.hpp"
#include "commands/verify_bucket.hpp"
#include "commands/verify_binlogs.hpp"
#include "commands/verify_mongo.hpp"
#include "core/strings.hpp"
#include "dump/verify.hpp"

namespace mysqlpitr::commands {
namespace {

constexpr const char* kKnown = "dumps (.sql, .sql.gz, .sql.zst), binlogs (<basename>.NNNNNN), MongoDB dump folders";

bool accepts_dump(const io::DirEntry& entry) {
  return entry.type == io::EntryType::regular && dump::looks_like_dump(entry.name);
}

VerifyOutcome verify_dump_file(Context& context, const io::DirEntry& entry) {
  dump::DumpVerification result = dump::verify_dump(entry.path, context.key_ring());
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

std::vector<VerifyFolder> default_verify_folders(Context& context) {
  const auto& settings = context.settings();
  const auto& paths = settings.paths;
  std::vector<VerifyFolder> folders;
  auto add = [&](const config::Setting<std::string>& setting, const char* name, bool required) {
    if (setting.value.empty()) return;
    auto same = std::find_if(folders.begin(), folders.end(), [&](const auto& f) { return f.path == setting.value; });
    if (same != folders.end()) {
      same->required = same->required || required;
      return;
    }
    folders.push_back({setting.value, name, required});
  };
  add(paths.historical, "paths.historical", !paths.historical.from_default());
  add(paths.schema, "paths.schema", !paths.schema.from_default());
  add(paths.pitr_base, "paths.pitr_base", !paths.pitr_base.from_default());
  add(paths.binlog_archive, "paths.binlog_archive", true);
  // MongoDB backups are optional: their folder is verified when it is configured.
  if (!settings.mongo.backup_dir.from_default()) add(settings.mongo.backup_dir, "mongo.backup_dir", true);
  return folders;
}

void VerifyResults::add(const VerifyOutcome& outcome) {
  nlohmann::json item = {{"path", outcome.path}, {"what", outcome.what}, {"ok", outcome.ok}};
  item.update(outcome.details);
  if (!outcome.ok) item["problem"] = outcome.problem;
  plan_.data["checked"].push_back(item);
  if (outcome.ok) {
    ++plan_.good;
    context_.console().info(fmt::format("ok     {} ({})", outcome.path, outcome.what));
  } else {
    problem(outcome.problem);
  }
}

void VerifyResults::problem(const std::string& text) {
  ++plan_.failed;
  context_.console().error("FAILED " + text);
  plan_.errors.push_back(text);
}

void VerifyResults::nothing_to_verify(const std::string& text) {
  ++plan_.empty;
  plan_.data["nothing_to_verify"].push_back(text);
  context_.console().error("NOTHING TO VERIFY " + text);
  plan_.errors.push_back(text);
}

VerifyPlan VerifyResults::finish() {
  if (plan_.failed == 0 && plan_.empty == 0 && plan_.good == 0)
    nothing_to_verify("nothing was verified: none of the folders verify checks exists");
  return std::move(plan_);
}

std::string VerifyPlan::text() const {
  return fmt::format("verify: {} ok, {} failed{}", good, failed,
                     empty == 0 ? "" : fmt::format(", {} with nothing to verify", empty));
}

namespace {

const Verifier* verifier_for(const io::DirEntry& entry) {
  for (const Verifier& verifier : verifiers())
    if (verifier.accepts(entry)) return &verifier;
  return nullptr;
}

struct Targets {
  std::vector<io::DirEntry> others;   // through verifiers()
  std::vector<io::DirEntry> binlogs;  // checked together: in parallel, and as sequences
  std::set<std::string> seen;

  bool take(const io::DirEntry& entry) {
    if (!verifier_for(entry) && !accepts_binlog(entry)) return false;
    if (!seen.insert(entry.path).second) return true;
    (accepts_binlog(entry) ? binlogs : others).push_back(entry);
    return true;
  }
};

// Adds what `path` holds to the targets; says so when it holds nothing verify knows. A spool
// (a local folder of repository.mode s3) may be missing or empty: the bucket holds the backups.
void collect(const std::string& path, const std::string& origin, bool required, bool spool, Targets& targets,
             VerifyResults& results) {
  auto entry = io::stat_named(path);
  if (!entry) {
    if (required && !spool)
      results.nothing_to_verify(fmt::format("{}{}: no such file or folder (is the backup disk mounted?)", path, origin));
    else
      results.data()["skipped"].push_back(path + origin + (spool ? ": not there (a spool in repository.mode s3)"
                                                                 : ": not there, and not configured"));
    return;
  }
  // A link the operator named to a file is read as the file it points to: in the folder, and beside
  // the manifest, that hold it (the storage layer never follows a link).
  entry->path = io::named_file(path);
  if (targets.take(*entry)) return;
  if (entry->type != io::EntryType::directory) {
    results.nothing_to_verify(fmt::format("{}{}: not a backup verify knows ({})", path, origin, kKnown));
    return;
  }
  bool any = false;
  // Names starting with '.' are the tool's own (records, locks) or writes in progress or left by a
  // killed run (".<name>.partial-XXXXXX"): no backup, whatever they hold.
  for (const io::DirEntry& child : io::list_directory(path))
    if (!child.name.starts_with(".")) any = targets.take(child) || any;
  if (any) return;
  if (spool)
    results.data()["skipped"].push_back(path + origin + ": holds no backup (a spool in repository.mode s3)");
  else
    results.nothing_to_verify(fmt::format("{}{}: holds no backup verify knows ({}): is the backup disk mounted?", path,
                                          origin, kKnown));
}

// In modes s3/both, after the local folders: the bucket. Mode s3 keeps nothing lasting locally,
// so its folders are spools and only a bucket holding nothing is "nothing to verify".
void verify_repository(Context& context, bool spool, VerifyResults& results) {
  verify_bucket(context, results);
  if (spool && results.data()["checked"].empty())
    results.nothing_to_verify(open_bucket(context.settings(), "")->describe("") +
                              ": holds no backup verify knows (repository.mode s3)");
}

VerifyPlan plan_verify(Context& context, const VerifyOptions& options) {
  VerifyResults results(context);
  results.data()["checked"] = nlohmann::json::array();
  results.data()["gaps"] = nlohmann::json::array();
  Targets targets;
  const bool spool = options.paths.empty() && repository_mode(context.settings()) == RepositoryMode::s3;
  if (options.paths.empty()) {
    for (const VerifyFolder& folder : default_verify_folders(context))
      collect(folder.path, " (" + folder.setting + ")", folder.required, spool, targets, results);
  } else {
    for (const std::string& path : options.paths) collect(path, "", true, false, targets, results);
  }
  ui::Console& console = context.console();
  for (const io::DirEntry& target : targets.others) {
    console.progress("verifying " + target.path);
    VerifyOutcome outcome = verifier_for(target)->verify(context, target);
    console.finish_progress();
    results.add(outcome);
  }
  verify_binlogs(context, targets.binlogs, results);
  if (options.paths.empty()) verify_repository(context, spool, results);
  return results.finish();
}

}  // namespace

Command verify_command(const VerifyOptions& options) {
  auto command = make_listing<VerifyPlan>("verify", [options](Context& context) { return plan_verify(context, options); });
  command.records_result = true;  // status shows the last verification
  return command;
}

}  // namespace mysqlpitr::commands
