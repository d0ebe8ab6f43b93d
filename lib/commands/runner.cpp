#include "commands/runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "commands/job_results.hpp"
#include "commands/restore_locks.hpp"
#include "commands/status_textfile.hpp"
#include "io/files.hpp"

namespace mysqlpitr::commands {

namespace {

// The server's restore locks of these databases, in sorted order (two runs never deadlock).
void take_database_locks(Context& context, std::vector<std::string> names, const std::string& purpose, bool dry_run,
                         HeldLocks& held) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (names.empty()) return;
  auto& server = held.server();
  if (!server) server.emplace(context.connect());
  for (const auto& database : names) {
    std::string name = restore_lock_name(database);
    if (std::find(server->held().begin(), server->held().end(), name) != server->held().end()) continue;
    if (dry_run) {
      if (auto holder = server->holder(name))
        context.console().warning(fmt::format("database {} is being restored by another run (server lock {} held by {}): "
                                              "a real {} now would exit 5",
                                              database, name, *holder, purpose));
      continue;
    }
    if (auto holder = server->try_take(name))
      throw precondition_error("database {} is being restored by another run (server lock {} held by {}); "
                               "nothing was changed: wait for that run to end",
                               database, name, *holder);
  }
}

// The report step's record of a run that executed (or failed trying): the job's result for
// `status`, then the Prometheus textfile when monitoring.textfile is set. Neither may change the
// job's own outcome: a failure here is a warning.
class JobRecorder {
 public:
  JobRecorder(Context& context, std::string job)
      : context_(context), job_(std::move(job)), started_(std::chrono::system_clock::now()) {}

  void finish(int exit_code, const std::string& error, const nlohmann::json& details) {
    const config::Settings* settings = nullptr;
    try {
      settings = &context_.settings();
    } catch (const Error&) {
      return;  // the job failed on its configuration: nowhere known to record it
    }
    auto ended = std::chrono::system_clock::now();
    JobResult result;
    result.job = job_;
    result.started_at = std::chrono::system_clock::to_time_t(started_);
    result.ended_at = std::chrono::system_clock::to_time_t(ended);
    result.duration_seconds = std::chrono::duration<double>(ended - started_).count();
    result.exit_code = exit_code;
    result.error = error;
    result.details = details;
    std::string folder = job_state_folder(*settings);
    try {
      if (folder.empty() || !io::stat_entry(io::parent_path(folder)))
        context_.console().detail(fmt::format("job result not recorded: no state folder ({})", folder));
      else record_job_result(folder, std::move(result), !settings->monitoring.state_dir.value.empty());
    } catch (const Error& failed) {
      context_.console().warning(fmt::format("job result not recorded: {}", failed.what()));
    }
    if (settings->monitoring.textfile.value.empty()) return;
    try {
      update_status_textfile(context_);
    } catch (const Error& failed) {
      context_.console().warning(fmt::format("monitoring.textfile not updated: {}", failed.what()));
    }
  }

 private:
  Context& context_;
  std::string job_;
  std::chrono::system_clock::time_point started_;
};

Report run_and_report(Context& context, const Command& command);

}  // namespace

void take_locks(Context& context, const std::vector<LockDeclaration>& locks, HeldLocks& held) {
  const std::string& purpose = held.purpose();
  bool dry_run = held.dry_run();
  std::vector<std::string> databases;
  for (const auto& lock : locks) {
    if (!lock.database.empty()) databases.push_back(lock.database);
    if (lock.folder.empty() || !io::stat_entry(lock.folder)) continue;
    if (lock.skip_read_only && !io::directory_writable(lock.folder)) {
      context.console().detail(fmt::format("{}: read-only here, so not locked against prune", lock.folder));
      continue;
    }
    if (!dry_run) {
      held.hold(lock.folder, lock.scope,
                lock.shared ? io::RunLock::share(lock.folder, lock.scope, purpose)
                            : io::RunLock::acquire(lock.folder, lock.scope, purpose));
      continue;
    }
    try {
      if (lock.shared) io::RunLock::share(lock.folder, lock.scope, purpose + " --dry-run");
      else io::RunLock::acquire(lock.folder, lock.scope, purpose + " --dry-run");
    } catch (const Error& error) {
      held.mark_busy(lock.folder, lock.scope);
      std::string note = fmt::format("{}: {} ({})", lock.folder, lock.busy_note, error.what());
      if (lock.busy_warns) context.console().warning(note);
      else context.console().detail(note);
    }
  }
  take_database_locks(context, std::move(databases), purpose, dry_run, held);
}

void run_nested(Context& context, const Command& command, const std::string& holder) {
  HeldLocks held(holder, false);
  if (command.locks) take_locks(context, command.locks(context), held);
  auto plan = command.plan(context, held);
  if (std::string refusal = plan->refusal(); !refusal.empty()) throw precondition_error("{}", refusal);
  Report done = command.execute(context, *plan, held);
  if (done.code != ExitCode::ok)
    throw failure("{}", done.errors.empty() ? "exit code " + std::to_string(static_cast<int>(done.code))
                                            : done.errors.front());
}

Report run_command(Context& context, const Command& command) {
  if ((!command.execute && !command.records_result) || !command.job || command.dry_run)
    return run_and_report(context, command);
  JobRecorder recorder(context, command.name);
  Report report;
  try {
    report = run_and_report(context, command);
  } catch (const Error& error) {
    // A confirmation refused is no run of the job: its last result stands.
    if (error.code() != ExitCode::not_confirmed) recorder.finish(static_cast<int>(error.code()), error.what(), nullptr);
    throw;
  } catch (const std::exception& error) {
    recorder.finish(static_cast<int>(ExitCode::failed), std::string("internal error: ") + error.what(), nullptr);
    throw;
  }
  // Nothing to do is a run that found everything in order (an archive already current).
  recorder.finish(static_cast<int>(report.code), report.errors.empty() ? "" : report.errors.front(),
                    report.record_details);
  return report;
}

namespace {

Report run_and_report(Context& context, const Command& command) {
  HeldLocks held(command.name, command.dry_run);
  if (command.locks) take_locks(context, command.locks(context), held);
  std::unique_ptr<Plan> plan = command.plan(context, held);
  Report report;
  report.data = plan->json();
  auto& console = context.console();
  if (!command.execute) {
    if (plan->shown_as_found()) console.summary(plan->text());
    else console.result(plan->text());
    report.errors = plan->problems();
    report.code = plan->listing_code();
    return report;
  }
  if (std::string refusal = plan->refusal(); !refusal.empty()) {
    console.result(plan->text());
    report.code = ExitCode::precondition;
    report.errors.push_back(refusal);
    console.error(refusal);
    return report;
  }
  if (!plan->has_work()) {
    std::string text = plan->text() + plan->idle_note();
    if (command.dry_run) console.result(text);
    else console.summary(text);
    return report;
  }
  if (command.dry_run) {
    console.result(plan->text() + plan->dry_run_note());
    return report;
  }
  if (command.destructive) console.confirm(plan->text());
  else console.detail(plan->text());
  Report done = command.execute(context, *plan, held);
  report.data.update(done.data);
  report.code = done.code;
  report.errors = std::move(done.errors);
  report.record_details = std::move(done.record_details);
  return report;
}

}  // namespace

}  // namespace mysqlpitr::commands
