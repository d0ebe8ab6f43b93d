#pragma once
// How a command is declared for the one runner (commands/runner.hpp): the run locks it takes, a
// plan() that reads and changes nothing, and an execute() that does what the plan printed. No
// command confirms, probes or takes its run locks by itself: the runner does, the same for all.
#include <functional>
#include <optional>
#include <type_traits>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/context.hpp"
#include "io/run_lock.hpp"
#include "mysql/named_lock.hpp"

namespace mysqlpitr::commands {

// A lock the runner takes before the plan reads what the command will change, and holds until
// execute() ends (or execute() releases it):
// - a run lock (io::RunLock) on a folder: a --dry-run only probes it (released at once: a dry run
//   never makes a real run fail) and tells the plan whether it was held;
// - with `database` set, the server's restore lock of that database (restore_locks.hpp): a
//   --dry-run only warns when another run holds it.
struct LockDeclaration {
  std::string folder = {};  // unset or missing: nothing to lock (nothing there to change either)
  std::string scope = {};
  bool shared = false;
  // A --dry-run finding the lock held says "<folder>: <busy_note> (<holder>)": as a warning when
  // a real run would be refused, else as a detail.
  std::string busy_note = {};
  bool busy_warns = false;
  // A read lock on a folder this user cannot write to is not taken (prune cannot delete there
  // through this user either).
  bool skip_read_only = false;
  std::string database = {};
};

// What the runner holds for one run; a dry run's probes are remembered as busy scopes.
class HeldLocks {
 public:
  HeldLocks(std::string purpose, bool dry_run) : purpose_(std::move(purpose)), dry_run_(dry_run) {}
  const std::string& purpose() const { return purpose_; }
  bool dry_run() const { return dry_run_; }
  bool busy(const std::string& folder, const std::string& scope) const { return busy_.contains({folder, scope}); }
  void mark_busy(std::string folder, std::string scope) { busy_.emplace(std::move(folder), std::move(scope)); }
  void hold(std::string folder, std::string scope, io::RunLock lock) {
    held_.emplace_back(std::pair{std::move(folder), std::move(scope)}, std::move(lock));
  }
  // Ends the hold of a folder's lock before execute() ends (a base loaded, no longer read).
  void release(const std::string& folder, const std::string& scope) {
    std::erase_if(held_, [&](const auto& held) { return held.first == std::pair{folder, scope}; });
  }
  size_t held() const { return held_.size(); }
  std::optional<mysql::NamedLocks>& server() { return server_; }

 private:
  std::string purpose_;
  bool dry_run_ = false;
  std::optional<mysql::NamedLocks> server_;
  std::vector<std::pair<std::pair<std::string, std::string>, io::RunLock>> held_;
  std::set<std::pair<std::string, std::string>> busy_;
};

// An immutable plan: what execute() will do, as text (the dry run's output, the confirmation's
// question) and as fields of the JSON report.
class Plan {
 public:
  virtual ~Plan() = default;
  virtual std::string text() const = 0;
  virtual nlohmann::json json() const = 0;
  // Why the plan must not be executed as it stands (empty: it may): the runner prints text() and
  // this error, and exits 5 with the plan in the report.
  virtual std::string refusal() const { return {}; }
  // Nothing to execute: the runner prints text() + idle_note() and stops (exit 0).
  virtual bool has_work() const { return true; }
  virtual std::string idle_note() const { return "nothing to do"; }
  // The last line of a dry run's output.
  virtual std::string dry_run_note() const { return "dry run: nothing changed"; }
  // A listing's findings that make the run fail (check's FAIL items): printed with the listing,
  // they set exit 5 and the report's errors.
  virtual std::vector<std::string> problems() const { return {}; }
  // A listing's exit code: by default 5 when it found problems.
  virtual ExitCode listing_code() const { return problems().empty() ? ExitCode::ok : ExitCode::precondition; }
  // A listing that printed its findings as it made them (verify, file by file): text() is then
  // its closing summary, hidden by --quiet like any command's summary.
  virtual bool shown_as_found() const { return false; }
};

struct Command {
  std::string name;            // in lock files and messages ("prune")
  bool destructive = false;    // asks SI (or --yes) before execute()
  bool dry_run = false;        // the --dry-run of this run
  std::function<std::vector<LockDeclaration>(Context&)> locks;  // may be unset: none
  // May take more locks (take_locks()) for what only reading tells, such as the databases a dump holds.
  std::function<std::unique_ptr<Plan>(Context&, HeldLocks&)> plan;
  // Unset for a command whose plan is its whole answer (a listing): the runner prints the plan as
  // the result and stops.
  std::function<Report(Context&, const Plan&, HeldLocks&)> execute;
  // A listing that is a job all the same (verify): its result is recorded for `status` as an
  // executed command's is.
  bool records_result = false;
  // A helper that is no job (config new-key): its runs are not recorded for `status`.
  bool job = true;
};

// A Command from a plan function returning a concrete plan type and an execute taking it.
// `execute` takes (Context&, const PlanT&), or (Context&, const PlanT&, HeldLocks&) to release a
// lock early; nullptr for a listing.
template <class PlanT, class Execute>
Command make_command(std::string name, bool destructive, bool dry_run,
                     std::function<std::vector<LockDeclaration>(Context&)> locks,
                     std::function<PlanT(Context&, HeldLocks&)> plan, Execute execute) {
  Command command{std::move(name), destructive, dry_run, std::move(locks), {}, {}};
  command.plan = [plan = std::move(plan)](Context& context, HeldLocks& held) -> std::unique_ptr<Plan> {
    return std::make_unique<PlanT>(plan(context, held));
  };
  if constexpr (std::is_invocable_v<Execute, Context&, const PlanT&, HeldLocks&>)
    command.execute = [execute = std::move(execute)](Context& context, const Plan& made, HeldLocks& held) {
      return execute(context, static_cast<const PlanT&>(made), held);
    };
  else if constexpr (std::is_invocable_v<Execute, Context&, const PlanT&>)
    command.execute = [execute = std::move(execute)](Context& context, const Plan& made, HeldLocks&) {
      return execute(context, static_cast<const PlanT&>(made));
    };
  return command;
}

// A command whose plan is its whole answer: nothing to lock, confirm or execute.
template <class PlanT>
Command make_listing(std::string name, std::function<PlanT(Context&)> plan) {
  return make_command<PlanT>(std::move(name), false, false, {},
                             [plan = std::move(plan)](Context& context, const HeldLocks&) { return plan(context); }, nullptr);
}

}  // namespace mysqlpitr::commands
