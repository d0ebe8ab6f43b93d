#include "commands/runner.hpp"

#include <fmt/format.h>

#include "io/files.hpp"

namespace mysqlpitr::commands {

HeldLocks take_locks(Context& context, const std::vector<LockDeclaration>& locks, const std::string& purpose,
                     bool dry_run) {
  HeldLocks held;
  for (const auto& lock : locks) {
    if (lock.folder.empty() || !io::stat_entry(lock.folder)) continue;
    if (!dry_run) {
      held.hold(lock.shared ? io::RunLock::share(lock.folder, lock.scope, purpose)
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
  return held;
}

Report run_command(Context& context, const Command& command) {
  HeldLocks held = take_locks(context, command.locks ? command.locks(context) : std::vector<LockDeclaration>{},
                              command.name, command.dry_run);
  std::unique_ptr<Plan> plan = command.plan(context, held);
  Report report;
  report.data = plan->json();
  auto& console = context.console();
  if (!command.execute) {
    console.result(plan->text());
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
  Report done = command.execute(context, *plan);
  report.data.update(done.data);
  report.code = done.code;
  report.errors = std::move(done.errors);
  return report;
}

}  // namespace mysqlpitr::commands
