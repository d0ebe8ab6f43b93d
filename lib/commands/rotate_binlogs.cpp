#include "commands/rotate_binlogs.hpp"

#include <ctime>
#include <optional>

#include "archive/aside.hpp"
#include "archive/copy.hpp"
#include "archive/copy_plan.hpp"
#include "archive/server_binlogs.hpp"
#include "archive/store.hpp"
#include "binlog/name.hpp"
#include "binlog/sequence.hpp"
#include "catalog/naming.hpp"
#include "commands/binlog_expiry_plan.hpp"
#include "core/strings.hpp"
#include "io/files.hpp"
#include "io/remove.hpp"
#include "io/run_lock.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::commands {
namespace {

std::string require_archive_folder(const config::Settings& settings) {
  const std::string& folder = settings.paths.binlog_archive.value;
  if (folder.empty())
    throw usage_error("paths.binlog_archive is not set: rotate-binlogs copies closed binlogs into that folder; set it "
                      "under [paths] (the old scripts' BINLOG_BACKUP_DIR)");
  auto entry = io::stat_entry(folder);
  if (!entry || entry->type != io::EntryType::directory)
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
  std::string kept = archive::set_aside(archive_folder, step.name, std::time(nullptr));
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
  auto copy = [&](const std::string& why, bool aside) {
    if (aside) put_aside(context, step, archive_folder, why, item);
    auto verified = archive::copy_verified(source, archive_folder, step.name);
    manifest.record(step.name, verified);
    manifest.save();
    item.update({{"copied", true}, {"verified", true}, {"size", verified.size}, {"sha256", verified.sha256}});
    context.console().info(fmt::format("archived {} ({}, {}): copied and verified", step.name, core::human_size(verified.size), why));
  };
  switch (step.action) {
    case archive::CopyAction::remove_partial:
      io::remove_file_in(archive_folder, step.name);
      item["removed"] = true;
      context.console().info("removed " + io::join_path(archive_folder, step.name) + " (left by an interrupted copy)");
      break;
    case archive::CopyAction::copy: copy(step.reason, step.set_aside); break;
    case archive::CopyAction::compare: {
      auto comparison = archive::compare_copy(source, target);
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
std::vector<std::string> archive_gaps(const std::string& archive_folder, const std::string& active) {
  binlog::ListOptions list_options;
  if (auto name = binlog::parse_binlog_name(active)) list_options.basename = name->prefix;
  std::vector<std::string> gaps;
  for (const auto& gap : binlog::list_binlogs(archive_folder, list_options).gaps)
    gaps.push_back(fmt::format("between {} and {}: {}", gap.after, gap.before, gap.reason));
  return gaps;
}

// Retention after a rotation, from retention.binlog_days (0 or less: none).
nlohmann::json apply_retention(Context& context, const std::string& archive_folder, bool dry_run, Report& report) {
  const auto& settings = context.settings();
  long long days = settings.retention.binlog_days.value;
  if (days <= 0) return {{"skipped", "retention.binlog_days is 0: archived binlogs are kept"}};
  auto plan = plan_binlog_retention(settings, days, settings.retention.keep_last.value, std::time(nullptr));
  nlohmann::json json = binlog_retention_json(plan);
  if (plan.any_removal() || context.global().verbose) {
    if (dry_run) context.console().result(binlog_retention_text(plan));
    else context.console().summary(binlog_retention_text(plan));
  }
  if (dry_run) return json;
  // A restore-pitr replaying from the archive holds its read lock shared: its binlogs are not
  // deleted under it, and the rotation itself goes on (the next one applies the retention).
  std::optional<io::RunLock> readers;
  try {
    readers = io::RunLock::acquire(archive_folder, catalog::kBinlogArchiveReadLockScope, "rotate-binlogs retention");
  } catch (const Error& error) {
    if (error.code() != ExitCode::precondition) throw;
    context.console().warning("retention not applied this time: a restore is reading the archive (" +
                              std::string(error.what()) + ")");
    json["skipped"] = "a restore is reading the archive";
    return json;
  }
  auto outcome = archive::apply_binlog_retention(archive_folder, plan.decisions);
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
    sequence.gaps = archive_gaps(archive_folder, active);
  } catch (const Error& error) {
    sequence.unreadable = true;
    report.errors.push_back(std::string("the archive's sequence could not be checked: ") + error.what());
    context.console().error(report.errors.back());
  }
  for (const auto& gap : sequence.gaps) context.console().error("the archive has a hole: " + gap);
  return sequence;
}

}  // namespace

Report run_rotate_binlogs(Context& context, const RotateBinlogsOptions& options) {
  auto& settings = context.settings();
  std::string archive_folder = require_archive_folder(settings);
  auto connection = context.connect();
  auto facts = mysql::read_server_facts(connection);
  if (!facts.log_bin)
    throw precondition_error("binary logging is off on the server (log_bin = OFF): there are no binlogs to archive; "
                             "set log_bin in the server's configuration and restart it");
  refuse_archive_in_server_folder(archive_folder, facts.log_bin_basename.empty() ? facts.datadir
                                                                                 : io::parent_path(facts.log_bin_basename));
  // The archive's "binlogs" lock, shared with prune: rotation and pruning never overlap.
  std::optional<io::RunLock> lock;
  if (!options.dry_run) lock = io::RunLock::acquire(archive_folder, catalog::kBinlogArchiveLockScope, "rotate-binlogs");
  bool flush = !options.no_flush && !options.dry_run;
  if (flush) archive::flush_binary_logs(connection);
  auto server = archive::read_server_binlogs(connection, facts);

  auto manifest = archive::Manifest::load(archive_folder);
  auto steps = archive::plan_copies({server.closed, server.active, io::list_directory(archive_folder), &manifest, options.recheck});
  Report report;
  report.data.update({{"archive", archive_folder}, {"source", server.folder}, {"active", server.active}, {"flushed", flush},
                      {"dry_run", options.dry_run}});
  std::string plan = plan_text(steps, server);
  if (options.dry_run) {
    report.data["plan"] = nlohmann::json::array();
    for (const auto& step : steps) report.data["plan"].push_back(step_json(step));
    context.console().result(plan + (options.no_flush ? "" : "(a real run flushes first: the active binlog is then archived too)\n") +
                             "dry run: nothing copied");
    report.data["retention"] = apply_retention(context, archive_folder, true, report);
    return report;
  }
  context.console().detail(plan);

  Executed run = execute_steps(context, steps, server.folder, archive_folder, manifest, report);
  Sequence sequence = check_sequence(context, archive_folder, server.active, report);
  const auto& gaps = sequence.gaps;
  bool whole = report.errors.empty() && gaps.empty();
  report.data.update({{"binlogs", run.items}, {"copied", run.copied}, {"verified", run.verified}, {"set_aside", run.aside},
                      {"gaps", gaps}, {"whole", whole}});

  if (whole) {
    report.data["retention"] = apply_retention(context, archive_folder, false, report);
  } else {
    report.data["retention"] = {{"skipped", "the archive is not whole"}};
  }
  if (sequence.unreadable) {
    report.code = ExitCode::failed;
  } else if (!report.errors.empty()) {
    report.code = run.done > 0 ? ExitCode::partial : ExitCode::failed;
  } else if (!gaps.empty()) {
    report.code = ExitCode::precondition;
    report.errors.push_back("the archive has a hole: " + core::join(gaps, ", "));
  }
  if (whole)
    context.console().summary(fmt::format("archive whole: {} closed binlogs archived and verified ({} copied now); active {} "
                                         "is archived after the next flush",
                                         server.closed.size(), run.copied.size(), server.active) +
                             (run.aside.empty() ? std::string()
                                                : fmt::format("; {} file(s) that rotate-binlogs had not verified set aside in {}",
                                                              run.aside.size(), io::join_path(archive_folder, archive::kAsideFolder))));
  return report;
}

}  // namespace mysqlpitr::commands
