#pragma once
// How a command is declared for the one runner (commands/runner.hpp): the run locks it takes, a
// plan() that reads and changes nothing, and an execute() that does what the plan printed. No
// command confirms, probes or takes its run locks by itself: the runner does, the same for all.
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/context.hpp"
#include "io/run_lock.hpp"

namespace mysqlpitr::commands {

// A run lock (io::RunLock) the runner takes before the plan reads what the command will change,
// and holds until execute() ends. A --dry-run only probes it (released at once: a dry run never
// makes a real run fail) and tells the plan whether it was held.
struct LockDeclaration {
  std::string folder;  // unset or missing: nothing to lock (nothing there to change either)
  std::string scope;
  bool shared = false;
  // A --dry-run finding the lock held says "<folder>: <busy_note> (<holder>)": as a warning when
  // a real run would be refused, else as a detail.
  std::string busy_note;
  bool busy_warns = false;
};

// What the runner holds for one run; a dry run's probes are remembered as busy scopes.
class HeldLocks {
 public:
  bool busy(const std::string& folder, const std::string& scope) const { return busy_.contains({folder, scope}); }
  void mark_busy(std::string folder, std::string scope) { busy_.emplace(std::move(folder), std::move(scope)); }
  void hold(io::RunLock lock) { held_.push_back(std::move(lock)); }
  size_t held() const { return held_.size(); }

 private:
  std::vector<io::RunLock> held_;
  std::set<std::pair<std::string, std::string>> busy_;
};

// An immutable plan: what execute() will do, as text (the dry run's output, the confirmation's
// question) and as fields of the JSON report.
class Plan {
 public:
  virtual ~Plan() = default;
  virtual std::string text() const = 0;
  virtual nlohmann::json json() const = 0;
  // Nothing to execute: the runner prints text() + idle_note() and stops (exit 0).
  virtual bool has_work() const { return true; }
  virtual std::string idle_note() const { return "nothing to do"; }
  // The last line of a dry run's output.
  virtual std::string dry_run_note() const { return "dry run: nothing changed"; }
};

struct Command {
  std::string name;            // in lock files and messages ("prune")
  bool destructive = false;    // asks SI (or --yes) before execute()
  bool dry_run = false;        // the --dry-run of this run
  std::function<std::vector<LockDeclaration>(Context&)> locks;  // may be unset: none
  std::function<std::unique_ptr<Plan>(Context&, const HeldLocks&)> plan;
  // Unset for a command whose plan is its whole answer (a listing): the runner prints the plan as
  // the result and stops.
  std::function<Report(Context&, const Plan&)> execute;
};

// A Command from a plan function returning a concrete plan type and an execute taking it.
template <class PlanT>
Command make_command(std::string name, bool destructive, bool dry_run,
                     std::function<std::vector<LockDeclaration>(Context&)> locks,
                     std::function<PlanT(Context&, const HeldLocks&)> plan,
                     std::function<Report(Context&, const PlanT&)> execute) {
  Command command{std::move(name), destructive, dry_run, std::move(locks), {}, {}};
  command.plan = [plan = std::move(plan)](Context& context, const HeldLocks& held) -> std::unique_ptr<Plan> {
    return std::make_unique<PlanT>(plan(context, held));
  };
  if (execute)
    command.execute = [execute = std::move(execute)](Context& context, const Plan& made) {
      return execute(context, static_cast<const PlanT&>(made));
    };
  return command;
}

// A command whose plan is its whole answer: nothing to lock, confirm or execute.
template <class PlanT>
Command make_listing(std::string name, std::function<PlanT(Context&)> plan) {
  return make_command<PlanT>(std::move(name), false, false, {},
                             [plan = std::move(plan)](Context& context, const HeldLocks&) { return plan(context); }, {});
}

}  // namespace mysqlpitr::commands
