#include "commands/restore_flashback.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "binlog/name.hpp"
#include "binlog/reader.hpp"
#include "catalog/naming.hpp"
#include "commands/bucket_pitr.hpp"
#include "commands/chain_records.hpp"
#include "commands/plan_progress.hpp"
#include "commands/restore_locks.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "io/files.hpp"
#include "mysql/server_facts.hpp"
#include "pitr/chain.hpp"
#include "pitr/continuity.hpp"
#include "pitr/flashback.hpp"

namespace mysqlpitr::commands {
namespace {

// The tables' columns, read once per table from the server.
class ColumnCache {
 public:
  explicit ColumnCache(std::shared_ptr<mysql::Connection> connection) : connection_(std::move(connection)) {}
  const pitr::TableColumns& operator()(const std::string& database, const std::string& table) {
    auto key = database + "." + table;
    auto found = cache_.find(key);
    if (found == cache_.end()) found = cache_.emplace(key, pitr::read_table_columns(*connection_, database, table)).first;
    return found->second;
  }

 private:
  std::shared_ptr<mysql::Connection> connection_;
  std::map<std::string, pitr::TableColumns> cache_;
};

// The plan's trial left open when it found no conflict and nobody is asked (--yes): committing it
// is the undo, done once instead of twice. Dropped uncommitted (a refusal, an error before the
// execution), it is rolled back.
class OpenTrial {
 public:
  explicit OpenTrial(std::shared_ptr<mysql::Connection> connection) : connection_(std::move(connection)) {}
  OpenTrial(const OpenTrial&) = delete;
  OpenTrial& operator=(const OpenTrial&) = delete;
  ~OpenTrial() {
    if (!connection_) return;
    try {
      connection_->execute("ROLLBACK");
    } catch (const Error&) {
    }
  }
  void commit() {
    auto connection = std::move(connection_);
    connection->execute("COMMIT");
  }

 private:
  std::shared_ptr<mysql::Connection> connection_;
};

class FlashbackPlan : public Plan {
 public:
  RestorePitrOptions options;
  pitr::FlashbackSelection selection;
  pitr::Chain chain;
  std::uint64_t start_position = 0;
  std::string start_file;
  std::time_t since = 0;
  pitr::StopPoint stop;
  pitr::FlashbackScan scan;
  pitr::UndoResult trial;
  bool tried = false;
  std::shared_ptr<OpenTrial> open_trial;  // set when the trial is the undo, waiting for its COMMIT
  std::vector<std::string> notes;
  BucketBinlogs bucket;  // the binlogs read from the bucket, with their records
  std::shared_ptr<mysql::Connection> connection;
  std::shared_ptr<ColumnCache> columns;

  std::string text() const override {
    std::string what = selection.tables.empty()
                           ? "database " + selection.database
                           : fmt::format("tables {} of {}", fmt::join(selection.tables, ", "), selection.database);
    std::string text = "restore-pitr --flashback plan\n";
    text += fmt::format("  undoes:     the row changes of {} logged from {} ({}:{}) to {}, newest first, {}; no base "
                        "is loaded, nothing else is touched\n",
                        what, since ? core::format_datetime_utc(since) + " UTC" : options.since_position, start_file,
                        start_position, stop.describe(),
                        open_trial ? "in one transaction (the trial below, committed: --yes and no conflict)"
                                   : "one transaction per original transaction");
    for (const auto& file : chain.files) text += fmt::format("    {}  from {}\n", file.name, file.source);
    text += fmt::format("  range:      {} transactions with {} row changes of the selection ({} .. {} UTC), {} other "
                        "transactions\n",
                        scan.index.size(), scan.rows, scan.first_time ? core::format_datetime_utc(scan.first_time) : "-",
                        scan.last_time ? core::format_datetime_utc(scan.last_time) : "-", scan.other_transactions);
    for (const auto& [table, counts] : scan.counts)
      text += fmt::format("    {}: {} inserts deleted, {} updates reverted, {} deletes re-inserted\n", table,
                          counts.inserts, counts.updates, counts.deletes);
    for (const auto& note : notes) text += "  note:       " + note + "\n";
    text += "  requires:   row events with full images (binlog_row_image=FULL) and no DDL on the selection in the range\n";
    if (scan.refusal_count > 0) {
      text += fmt::format("  REFUSED:    {} changes cannot be undone:\n", scan.refusal_count);
      for (const auto& line : scan.refusals) text += "    " + line + "\n";
    }
    if (tried)
      text += fmt::format("  conflicts:  {} rows were changed since by something outside the range{}\n",
                          trial.conflict_count,
                          trial.conflict_count == 0 ? ""
                          : options.skip_conflicts  ? " (left as they are: --skip-conflicts)"
                                                    : " (refused without --skip-conflicts)");
    for (const auto& c : trial.conflicts) text += fmt::format("    {}  {}\n", c.where, c.statement);
    return text;
  }

  nlohmann::json json() const override {
    nlohmann::json counts = nlohmann::json::object();
    for (const auto& [table, c] : scan.counts)
      counts[table] = {{"inserts", c.inserts}, {"updates", c.updates}, {"deletes", c.deletes}};
    nlohmann::json conflicts = nlohmann::json::array();
    for (const auto& c : trial.conflicts) conflicts.push_back({{"where", c.where}, {"statement", c.statement}});
    return {{"plan",
             {{"flashback", true},
              {"database", selection.database},
              {"tables", selection.tables},
              {"start", {{"file", start_file}, {"position", start_position}}},
              {"since", since},
              {"stop", stop.describe()},
              {"transactions", scan.index.size()},
              {"rows", scan.rows},
              {"counts", counts},
              {"refusals", scan.refusals},
              {"refusal_count", scan.refusal_count},
              {"conflict_count", trial.conflict_count},
              {"conflicts", conflicts},
              {"notes", notes}}},
            {"dry_run", options.dry_run}};
  }

  std::string refusal() const override {
    if (scan.refusal_count > 0)
      return fmt::format("{} changes in the range cannot be undone (listed above); nothing was changed", scan.refusal_count);
    if (trial.conflict_count > 0 && !options.skip_conflicts)
      return fmt::format("{} rows were changed since the changes to undo (listed above); nothing was changed: pass "
                         "--skip-conflicts to leave those rows as they are and undo the rest",
                         trial.conflict_count);
    return {};
  }

  bool has_work() const override { return scan.rows > 0; }
  std::string idle_note() const override { return "no row change of the selection in the range: nothing to undo"; }
};

// The first file to read for --since T: the newest whose format description (written when the
// server opened it) is not later than T.
std::string file_for_time(const std::vector<pitr::FoundBinlog>& all, std::time_t since) {
  std::string chosen;
  for (const auto& found : all) {
    binlog::FileReader reader(found.name, pitr::open_source(found.path, found.open));
    const binlog::Event* first = reader.next();
    if (!first) continue;
    if (static_cast<std::time_t>(first->header.timestamp) <= since &&
        (chosen.empty() || binlog::parse_binlog_name(found.name)->sequence > binlog::parse_binlog_name(chosen)->sequence))
      chosen = found.name;
  }
  return chosen;
}

pitr::StopPoint flashback_stop(const RestorePitrOptions& options, const mysql::ServerFacts& facts) {
  int given = !options.stop_datetime.empty() + !options.stop_position.empty() + !options.stop_gtid.empty() +
              !options.until_binlog.empty();
  if (given > 1) throw usage_error("give one end: --stop-datetime, --stop-position, --stop-gtid or --until-binlog");
  if (!options.stop_datetime.empty()) return pitr::stop_at_datetime(options.stop_datetime, facts.utc_offset_seconds);
  if (!options.stop_position.empty()) return pitr::stop_at_position(options.stop_position);
  if (!options.stop_gtid.empty()) return pitr::stop_at_gtid(options.stop_gtid);
  if (!options.until_binlog.empty()) return pitr::stop_until_binlog(options.until_binlog);
  return {};
}

FlashbackPlan make_flashback_plan(Context& context, const RestorePitrOptions& options,
                                  std::shared_ptr<mysql::Connection> connection) {
  FlashbackPlan plan;
  plan.options = options;
  plan.connection = connection;
  plan.columns = std::make_shared<ColumnCache>(connection);
  plan.selection = {options.database, options.tables};
  auto facts = mysql::read_server_facts(*connection);
  if (facts.log_bin_basename.empty()) throw precondition_error("the server writes no binlog: nothing to flash back");
  std::string prefix = io::base_name(facts.log_bin_basename);
  std::string datadir = io::parent_path(facts.log_bin_basename);
  if (::access(datadir.c_str(), R_OK | X_OK) != 0) datadir.clear();
  auto archive = archive_binlogs(context, context.settings().paths.binlog_archive.value, prefix);
  auto local = pitr::list_binlogs(datadir, prefix);
  // Modes s3/both: binlogs only the bucket holds (in mode s3 rotate-binlogs keeps locally only
  // those the server still has) join the archive, read by ranges and checked against their records.
  auto add_bucket = [&](const std::string& from) {
    plan.bucket = bucket_binlogs(context.settings(), from, archive, context.key_ring());
    archive.insert(archive.end(), plan.bucket.found.begin(), plan.bucket.found.end());
  };
  if (!options.since_position.empty()) {
    auto at = pitr::stop_at_position(options.since_position);
    plan.start_file = at.file;
    plan.start_position = at.position;
    add_bucket(plan.start_file);
  } else {
    plan.since = pitr::stop_at_datetime(options.since, facts.utc_offset_seconds).time;
    std::vector<pitr::FoundBinlog> all = archive;
    all.insert(all.end(), local.begin(), local.end());
    plan.start_file = file_for_time(all, plan.since);
    if (plan.start_file.empty()) {  // older than every local binlog: the bucket's may reach back
      add_bucket(prefix + ".000000");
      all.insert(all.end(), plan.bucket.found.begin(), plan.bucket.found.end());
      plan.start_file = file_for_time(all, plan.since);
    } else {
      add_bucket(plan.start_file);
    }
    if (plan.start_file.empty())
      throw precondition_error("no binlog reaches back to {} (the oldest was opened later): nothing was changed",
                               options.since);
    plan.start_position = 4;
  }
  plan.stop = flashback_stop(options, facts);
  std::string last_file = plan.stop.kind == pitr::StopKind::position || plan.stop.kind == pitr::StopKind::until_binlog
                              ? plan.stop.file
                              : "";
  plan.chain = pitr::build_chain(archive, local, plan.start_file, last_file);
  auto columns = plan.columns;
  pitr::ColumnsLookup lookup = [columns](const std::string& d, const std::string& t) -> const pitr::TableColumns& {
    return (*columns)(d, t);
  };
  plan.scan = pitr::scan_flashback(plan.chain, plan.start_position, plan.stop, plan.since, plan.selection, lookup);
  // Undoing across a gap would leave the missing part's changes in place while the rest is undone,
  // and "to now" after RESET MASTER would miss the new sequence's: refused as a replay is.
  plan.notes = pitr::check_read_continuity(plan.chain, plan.scan.end, plan.stop.kind,
                                           {mysql::current_binlog(*connection, facts), datadir});
  // Each binlog the undo reads (from the bucket or the archive), read through and checked against
  // its record before anything changes.
  const auto& files = plan.chain.files;
  std::size_t read = std::min(plan.scan.end.file_index + 1, files.size());
  verify_chain_binlogs(context, {files.begin(), files.begin() + static_cast<std::ptrdiff_t>(read)}, plan.bucket,
                       context.settings().paths.binlog_archive.value);
  if (plan.scan.refusal_count == 0 && plan.scan.rows > 0) {
    pitr::UndoOptions trial;
    trial.trial = true;
    // Unattended (--yes), a trial without conflicts is kept as the undo: nobody reads the plan
    // while its row locks are held. Asked (SI), it is rolled back and the undo runs after the answer.
    trial.keep_clean_trial = context.global().yes && !options.dry_run;
    if (trial.keep_clean_trial && options.skip_binlog) connection->execute("SET sql_log_bin = 0");
    plan.trial = pitr::undo_flashback(*connection, plan.chain, plan.scan, plan.selection, lookup, trial);
    if (plan.trial.left_open) plan.open_trial = std::make_shared<OpenTrial>(connection);
    plan.notes.insert(plan.notes.end(), plan.trial.notes.begin(), plan.trial.notes.end());
    plan.tried = true;
  }
  return plan;
}

Report execute_flashback(Context& context, const FlashbackPlan& plan) {
  auto columns = plan.columns;
  pitr::ColumnsLookup lookup = [columns](const std::string& d, const std::string& t) -> const pitr::TableColumns& {
    return (*columns)(d, t);
  };
  pitr::UndoOptions options;
  options.skip_conflicts = plan.options.skip_conflicts;
  pitr::UndoResult result;
  if (plan.open_trial) {
    // The plan's trial did the whole undo with no conflict, in one transaction.
    with_context(fmt::format("committing the flashback of {}", plan.selection.database),
                 [&] { plan.open_trial->commit(); });
    result = plan.trial;
  } else {
    if (plan.options.skip_binlog) plan.connection->execute("SET sql_log_bin = 0");
    result = with_context(fmt::format("flashback of {}", plan.selection.database), [&] {
      return pitr::undo_flashback(*plan.connection, plan.chain, plan.scan, plan.selection, lookup, options);
    });
  }
  Report report;
  report.data["result"] = {{"transactions", result.transactions}, {"transactions_as_sets", result.transactions_as_sets},
                           {"rows", result.rows},
                           {"conflicts", result.conflict_count}, {"seconds", result.seconds}};
  context.console().summary(fmt::format("flashback of {}: {} transactions undone ({} rows), {} conflicting rows left "
                                        "as they are, in {}",
                                        plan.selection.database, result.transactions, result.rows,
                                        result.conflict_count, core::human_duration(result.seconds)));
  return report;
}

}  // namespace

Command flashback_command(const RestorePitrOptions& options) {
  if (options.database.empty()) throw usage_error("--flashback needs --db NAME");
  if (options.since.empty() == options.since_position.empty())
    throw usage_error("--flashback needs one start: --since T or --since-position FILE:POS");
  if (!options.into.empty() || !options.base.empty() || options.resume || options.replace)
    throw usage_error("--flashback undoes changes in place: not with --into, --base, --resume or --replace");
  return make_command<FlashbackPlan>(
      "restore-pitr", true, options.dry_run,
      [options](Context& context) {
        std::vector<LockDeclaration> locks;
        if (!options.dry_run)
          locks.push_back(read_lock(context.settings().paths.binlog_archive.value, catalog::kBinlogArchiveReadLockScope));
        locks.push_back(database_lock(options.database));
        return locks;
      },
      [options](Context& context, const HeldLocks&) {
        // The undo sends many statements per round trip.
        auto connect = mysql::options_from_settings(context.settings());
        connect.multi_statements = true;
        auto connection = std::make_shared<mysql::Connection>(mysql::Connection::open(connect));
        return with_context("restore-pitr --flashback", [&] { return make_flashback_plan(context, options, connection); });
      },
      execute_flashback);
}

}  // namespace mysqlpitr::commands
