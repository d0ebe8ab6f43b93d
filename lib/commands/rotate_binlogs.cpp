#include "commands/rotate_binlogs.hpp"

#include <ctime>
#include <optional>

#include "archive/aside.hpp"
#include "archive/copy.hpp"
#include "archive/copy_plan.hpp"
#include "archive/folder_storage.hpp"
#include "archive/server_binlogs.hpp"
#include "archive/store.hpp"
#include "binlog/name.hpp"
#include "binlog/sequence.hpp"
#include "catalog/naming.hpp"
#include "commands/binlog_expiry_plan.hpp"
#include "commands/bucket_binlogs.hpp"
#include "commands/repository.hpp"
#include "core/strings.hpp"
#include "io/files.hpp"
#include "io/run_lock.hpp"
#include "mysql/server_facts.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::commands {
namespace {

std::string require_archive_folder(const config::Settings& settings) {
  const std::string& folder = settings.paths.binlog_archive.value;
  if (folder.empty())
    throw usage_error("paths.binlog_archive is not set: rotate-binlogs copies closed binlogs into that folder; set it "
                      "under [paths] (the old scripts' BINLOG_BACKUP_DIR)");
  if (!io::is_folder(folder))
    throw failure("the binlog archive folder {} does not exist (it is not created here, so that an unmounted backup "
                  "disk never fills the disk beneath it): create or mount it",
                  folder);
  return folder;
}

void refuse_archive_in_server_folder(const std::string& archive_folder, const std::string& server_folder) {
  auto a = io::real_path(archive_folder), b = io::real_path(server_folder);
  if (a && b && *a == *b)
    throw usage_error("paths.binlog_archive ({}) is the server's own binlog folder: point it at a separate folder",
                      archive_folder);
}

std::string plan_text(const std::vector<archive::CopyStep>& steps, const archive::ServerBinlogs& server) {
  std::string text;
  size_t to_copy = 0, to_compare = 0, kept = 0;
  for (const auto& step : steps) {
    switch (step.action) {
      case archive::CopyAction::keep: ++kept; continue;
      case archive::CopyAction::copy: ++to_copy; break;
      case archive::CopyAction::compare: ++to_compare; break;
      default: break;
    }
    text += fmt::format("  {:<14} {}  ({})\n", archive::action_name(step.action), step.name, step.reason);
  }
  return fmt::format("binlogs in {}: {} closed, active {}; to copy {}, to compare {}, already archived {}\n{}", server.folder,
                     server.closed.size(), server.active, to_copy, to_compare, kept, text);
}

nlohmann::json step_json(const archive::CopyStep& step) {
  return {{"name", step.name}, {"action", archive::action_name(step.action)}, {"reason", step.reason},
          {"source_size", step.source_size}, {"archived_size", step.archived_size}};
}

// Moves the archive's unverified file of the step's name aside and says so, on stderr even with
// --quiet: a foreign history in the archive is something the operator must hear of (cron mails it).
void put_aside(Context& context, const archive::CopyStep& step, const std::string& archive_folder,
               const std::string& why, nlohmann::json& item) {
  auto archive = storage::open_posix(archive_folder);
  std::string kept = archive->describe(archive::set_aside(*archive, step.name, std::time(nullptr)));
  item["set_aside"] = {{"name", step.name}, {"path", kept}, {"size", step.archived_size}, {"reason", why}};
  context.console().warning(fmt::format("{} was not verified by rotate-binlogs and differs from the server's binlog: "
                                        "kept as {} (not replaced, not deleted; see what it holds with "
                                        "`mysqlpitr binlogs show {}`)",
                                        io::join_path(archive_folder, step.name), kept, kept));
}

// Carries out one step; returns its JSON with what was copied and verified. Throws on failure.
nlohmann::json execute_step(Context& context, const archive::CopyStep& step, const std::string& source_folder,
                            const std::string& archive_folder, archive::Manifest& manifest) {
  nlohmann::json item = step_json(step);
  std::string source = io::join_path(source_folder, step.name);
  std::string target = io::join_path(archive_folder, step.name);
  std::shared_ptr<storage::Storage> archive_storage = storage::open_posix(archive_folder);
  auto copy = [&](std::string why, bool aside) {
    if (aside) put_aside(context, step, archive_folder, why, item);
    crypto::KeyRing* encrypt_with = context.writing_key() ? context.key_ring() : nullptr;
    auto copied = archive::copy_verified(source, archive_storage, step.name, encrypt_with);
    if (!copied) {
      // `binlogs stream` closed this binlog while it was copied: its file stays if it is the same binlog.
      auto comparison = archive::compare_copy(source, archive_storage, step.name, context.key_ring());
      if (!comparison.equal)
        throw failure("{} appeared while it was copied (binlogs stream?) and differs from the server's binlog: left "
                      "as it is; the next rotate-binlogs sets it aside",
                      target);
      copied = comparison.copy;
      why += "; archived meanwhile by binlogs stream: compared equal";
    }
    const archive::VerifiedCopy& verified = *copied;
    manifest.record(step.name, verified);
    manifest.save();
    item.update({{"copied", true}, {"verified", true}, {"size", verified.size}, {"sha256", verified.sha256}});
    if (verified.encrypted()) item["encryption_key_id"] = verified.key_id;
    context.console().info(fmt::format("archived {} ({}, {}): copied{} and verified", step.name,
                                       core::human_size(verified.binlog_size()), why,
                                       verified.encrypted() ? ", encrypted" : ""));
  };
  switch (step.action) {
    case archive::CopyAction::remove_partial:
      archive_storage->remove(step.name);
      item["removed"] = true;
      context.console().info("removed " + archive_storage->describe(step.name) + " (left by an interrupted copy)");
      break;
    case archive::CopyAction::copy: copy(step.reason, step.set_aside); break;
    case archive::CopyAction::compare: {
      auto comparison = archive::compare_copy(source, archive_storage, step.name, context.key_ring());
      if (comparison.equal) {
        manifest.record(step.name, comparison.copy);
        manifest.save();
        item.update({{"copied", false}, {"verified", true}, {"size", comparison.copy.size}, {"sha256", comparison.copy.sha256}});
        context.console().detail(step.name + ": archived copy equal to the source");
      } else {
        copy(fmt::format("the archive's file of this name ({} bytes) differs from the server's, and rotate-binlogs did "
                         "not verify it in this state: set aside, then copied",
                         step.archived_size),
             true);
      }
      break;
    }
    case archive::CopyAction::refuse: throw failure("{}: {}", target, step.reason);
    case archive::CopyAction::keep: item["verified"] = true; break;
    case archive::CopyAction::skip_active: break;
  }
  return item;
}

// Holes in the archive's sequence (a missing number, or a file that does not continue the previous
// one's Rotate or GTID state), by the binlog reader's header scan (cached per file).
std::vector<std::string> archive_gaps(const std::string& archive_folder, const std::string& active,
                                      crypto::KeyRing* keys) {
  binlog::ListOptions list_options;
  list_options.keys = keys;
  if (auto name = binlog::parse_binlog_name(active)) list_options.basename = name->prefix;
  std::vector<std::string> gaps;
  for (const auto& gap : binlog::list_binlogs(archive_folder, list_options).gaps)
    gaps.push_back(fmt::format("between {} and {}: {}", gap.after, gap.before, gap.reason));
  return gaps;
}

// Retention after a rotation, from retention.binlog_days (0 or less: none). When what it must know
// is missing (the PITR base folder), it is skipped with a warning saying why (`skipped`): the
// copies are made, only the deletions wait.
std::optional<BinlogRetentionPlan> plan_retention(Context& context, std::string& skipped) {
  const config::Settings& settings = context.settings();
  long long days = settings.retention.binlog_days.value;
  if (days <= 0) return std::nullopt;
  try {
    return plan_binlog_retention(settings, days, settings.retention.keep_last.value, std::time(nullptr),
                                 context.key_ring());
  } catch (const Error& error) {
    if (error.code() != ExitCode::precondition) throw;
    skipped = error.what();
    context.console().warning(fmt::format("retention skipped: {}", skipped));
    return std::nullopt;
  }
}

const nlohmann::json kNoRetention = {{"skipped", "retention.binlog_days is 0: archived binlogs are kept"}};

// A restore-pitr replaying from the archive holds its read lock shared: its binlogs are not
// deleted under it, and the rotation itself goes on (the next one deletes them). nullopt: skip.
std::optional<io::RunLock> lock_out_readers(Context& context, const std::string& archive_folder,
                                            const std::string& what) {
  try {
    return io::RunLock::acquire(archive_folder, catalog::kBinlogArchiveReadLockScope, "rotate-binlogs " + what);
  } catch (const Error& error) {
    if (error.code() != ExitCode::precondition) throw;
    context.console().warning(what + " not applied this time: a restore is reading the archive (" +
                              std::string(error.what()) + ")");
    return std::nullopt;
  }
}

nlohmann::json apply_retention(Context& context, const std::string& archive_folder, Report& report) {
  std::string skipped;
  auto plan = plan_retention(context, skipped);
  if (!skipped.empty()) return {{"skipped", skipped}};
  if (!plan) return kNoRetention;
  nlohmann::json json = binlog_retention_json(*plan);
  if (plan->any_removal() || context.global().verbose) context.console().summary(binlog_retention_text(*plan));
  auto readers = lock_out_readers(context, archive_folder, "retention");
  if (!readers) {
    json["skipped"] = "a restore is reading the archive";
    return json;
  }
  auto outcome = archive::apply_binlog_retention(archive_folder, plan->decisions);
  json["deleted"] = nlohmann::json::array();
  for (const auto& binlog : outcome.deleted) {
    json["deleted"].push_back(binlog.name);
    context.console().info("deleted " + binlog.path + " (retention)");
  }
  for (const auto& error : outcome.errors) {
    report.errors.push_back(error);
    context.console().error(error);
  }
  return json;
}

struct Executed {
  nlohmann::json items = nlohmann::json::array(), copied = nlohmann::json::array(), verified = nlohmann::json::array(),
                 aside = nlohmann::json::array();
  size_t done = 0;  // copies and comparisons carried out
};

// Every step, each failure recorded in the report and the next step still run.
Executed execute_steps(Context& context, const std::vector<archive::CopyStep>& steps, const std::string& source_folder,
                       const std::string& archive_folder, archive::Manifest& manifest, Report& report) {
  Executed run;
  for (const auto& step : steps) {
    try {
      auto item = execute_step(context, step, source_folder, archive_folder, manifest);
      if (item.value("copied", false)) run.copied.push_back(step.name);
      if (item.value("verified", false)) run.verified.push_back(step.name);
      if (item.contains("set_aside")) run.aside.push_back(item["set_aside"]);
      if (step.action == archive::CopyAction::copy || step.action == archive::CopyAction::compare) ++run.done;
      run.items.push_back(std::move(item));
    } catch (const Error& error) {
      auto item = step_json(step);
      item["error"] = error.what();
      run.items.push_back(std::move(item));
      report.errors.push_back(error.what());
      context.console().error(error.what());
    }
  }
  return run;
}

struct Sequence {
  std::vector<std::string> gaps;
  bool unreadable = false;  // an archive that cannot be read is a failure (exit 1), not a hole (exit 5)
};

Sequence check_sequence(Context& context, const std::string& archive_folder, const std::string& active, Report& report) {
  Sequence sequence;
  try {
    sequence.gaps = archive_gaps(archive_folder, active, context.key_ring());
  } catch (const Error& error) {
    sequence.unreadable = true;
    report.errors.push_back(std::string("the archive's sequence could not be checked: ") + error.what());
    context.console().error(report.errors.back());
  }
  for (const auto& gap : sequence.gaps) context.console().error("the archive has a hole: " + gap);
  return sequence;
}


// The server's closed binlogs against the archive, as the copy steps say.
std::vector<archive::CopyStep> plan_steps(const archive::ServerBinlogs& server, const std::string& archive_folder,
                                          bool recheck) {
  auto manifest = archive::Manifest::load(archive_folder);
  std::shared_ptr<storage::Storage> archive = archive::open_archive(archive_folder);
  archive::CopyPlanInput input{server.closed, server.active, storage::entries_of(archive->list_level("")),
                               &manifest, recheck};
  input.plain_sizes = archive::encrypted_plain_sizes(archive, input.archive);
  return archive::plan_copies(input);
}

void set_code(Report& report, const Sequence& sequence, const Executed& run) {
  if (sequence.unreadable) {
    report.code = ExitCode::failed;
  } else if (!report.errors.empty()) {
    report.code = run.done > 0 ? ExitCode::partial : ExitCode::failed;
  } else if (!sequence.gaps.empty()) {
    report.code = ExitCode::precondition;
    report.errors.push_back("the archive has a hole: " + core::join(sequence.gaps, ", "));
  }
}

}  // namespace

RotationTarget check_rotation_target(Context& context) {
  RotationTarget target;
  target.archive_folder = require_archive_folder(context.settings());
  target.connection = std::make_shared<mysql::Connection>(context.connect());
  target.facts = mysql::read_server_facts(*target.connection);
  if (!target.facts.log_bin)
    throw precondition_error("binary logging is off on the server (log_bin = OFF): there are no binlogs to archive; "
                             "set log_bin in the server's configuration and restart it");
  refuse_archive_in_server_folder(target.archive_folder, target.facts.log_bin_basename.empty()
                                                             ? target.facts.datadir
                                                             : io::parent_path(target.facts.log_bin_basename));
  return target;
}

// What the archive holds against the server: read under the archive's lock, before any flush.
RotationPlan plan_rotation(Context& context, const RotateBinlogsOptions& options, RotationTarget target) {
  context.writing_key();  // a missing or exposed key file fails here, before anything is flushed
  RotationPlan plan;
  plan.options = options;
  plan.verbose = context.global().verbose;
  plan.server = archive::read_server_binlogs(*target.connection, target.facts);
  plan.steps = plan_steps(plan.server, target.archive_folder, options.recheck);
  std::string skipped;
  if (options.dry_run) plan.retention = plan_retention(context, skipped);
  plan.target = std::move(target);
  return plan;
}

std::string RotationPlan::text() const { return plan_text(steps, server); }

std::string RotationPlan::dry_run_note() const {
  std::string note = std::string(options.no_flush ? "" : "(a real run flushes first: the active binlog is then archived too)\n") +
                     "dry run: nothing copied";
  if (retention && (retention->any_removal() || verbose)) note += "\n" + binlog_retention_text(*retention);
  return note;
}

nlohmann::json RotationPlan::json() const {
  nlohmann::json json = {{"archive", target.archive_folder}, {"source", server.folder}, {"active", server.active},
                         {"flushed", false}, {"dry_run", options.dry_run}};
  if (!options.dry_run) return json;
  json["plan"] = nlohmann::json::array();
  for (const auto& step : steps) json["plan"].push_back(step_json(step));
  json["retention"] = retention ? binlog_retention_json(*retention) : kNoRetention;
  return json;
}

// FLUSH BINARY LOGS (unless --no-flush), then the plan's copies, with the binlog the flush closed.
Report execute_rotation(Context& context, const RotationPlan& plan) {
  Report report;
  bool flush = !plan.options.no_flush;
  archive::ServerBinlogs server = plan.server;
  std::vector<archive::CopyStep> steps = plan.steps;
  if (flush) {
    archive::flush_binary_logs(*plan.target.connection);
    server = archive::read_server_binlogs(*plan.target.connection, plan.target.facts);
    steps = plan_steps(server, plan.target.archive_folder, plan.options.recheck);
    context.console().detail("after FLUSH BINARY LOGS:\n" + plan_text(steps, server));
  }
  const std::string& archive_folder = plan.target.archive_folder;
  auto manifest = archive::Manifest::load(archive_folder);
  Executed run = execute_steps(context, steps, server.folder, archive_folder, manifest, report);
  Sequence sequence = check_sequence(context, archive_folder, server.active, report);
  size_t errors_before_upload = report.errors.size();
  nlohmann::json bucket = upload_archived_binlogs(context, archive_folder, manifest, report);
  bool upload_failed = report.errors.size() > errors_before_upload;
  if (!bucket.is_null() && repository_mode(context.settings()) == RepositoryMode::s3) {
    if (auto readers = lock_out_readers(context, archive_folder, "the release of uploaded binlogs"))
      bucket["released"] = release_uploaded_binlogs(context, archive_folder, bucket, server, report);
  }
  if (!bucket.is_null()) report.data["bucket"] = bucket;
  bool whole = report.errors.empty() && sequence.gaps.empty();
  report.data.update({{"source", server.folder}, {"active", server.active}, {"flushed", flush}, {"binlogs", run.items},
                      {"copied", run.copied}, {"verified", run.verified}, {"set_aside", run.aside},
                      {"gaps", sequence.gaps}, {"whole", whole}});
  report.data["retention"] = whole ? apply_retention(context, archive_folder, report)
                                   : nlohmann::json{{"skipped", "the archive is not whole"}};
  set_code(report, sequence, run);
  if (upload_failed) report.code = ExitCode::failed;
  if (whole)
    context.console().summary(fmt::format("archive whole: {} closed binlogs archived and verified ({} copied now); active {} "
                                         "is archived after the next flush",
                                         server.closed.size(), run.copied.size(), server.active) +
                             (run.aside.empty() ? std::string()
                                                : fmt::format("; {} file(s) that rotate-binlogs had not verified set aside in {}",
                                                              run.aside.size(), io::join_path(archive_folder, archive::kAsideFolder))));
  return report;
}

Command rotate_binlogs_command(const RotateBinlogsOptions& options) {
  // The archive's "binlogs" lock, shared with prune: rotation and pruning never overlap. A dry
  // run does not touch it. The folder is checked (not the server's own) before a lock file is made.
  auto target = std::make_shared<RotationTarget>();
  return make_command<RotationPlan>(
      "rotate-binlogs", false, options.dry_run,
      [options, target](Context& context) {
        *target = check_rotation_target(context);
        if (options.dry_run) return std::vector<LockDeclaration>{};
        return std::vector<LockDeclaration>{{target->archive_folder, catalog::kBinlogArchiveLockScope, false, ""}};
      },
      [options, target](Context& context, const HeldLocks&) { return plan_rotation(context, options, *target); },
      execute_rotation);
}

}  // namespace mysqlpitr::commands
