#pragma once
// How a command declares itself on the CLI11 tree. Each command has one `declare_<name>` function
// (lib/cli/cmd_<name>.cpp) listed once in command_table.cpp; parsing, --help, `help COMMAND`, the
// completions and the man page's synopsis all come from that one declaration.
#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "commands/context.hpp"

namespace mysqlpitr::cli {

using Action = std::function<commands::Report(commands::Context&)>;

// What the completions need beyond CLI11's own model.
struct CompletionHints {
  std::map<const CLI::Option*, std::vector<std::string>> choices;
  std::set<const CLI::Option*> takes_file;
  std::set<const CLI::Option*> takes_folder;
};

class Builder {
 public:
  Builder(Action& action, CompletionHints& hints, std::map<std::string, std::string>& settings)
      : action_(action), hints_(hints), settings_(settings) {}

  // Sets the action run once parsing succeeded (call from the subcommand's callback).
  void on_parsed(CLI::App* command, Action action);

  CLI::Option* choice(CLI::App* command, const std::string& name, std::string& target,
                      std::vector<std::string> values, const std::string& description);
  CLI::Option* file(CLI::App* command, const std::string& name, std::string& target, const std::string& description);
  CLI::Option* folder(CLI::App* command, const std::string& name, std::string& target, const std::string& description);
  // A whole number within [min, max], refused with a readable message ("--jobs: must be a whole
  // number from 1 to 64"); CLI11's own range checks print numeric_limits bounds hundreds of
  // digits long, and its conversion errors do not say the range.
  CLI::Option* number(CLI::App* command, const std::string& name, std::function<void(long long)> set, long long min,
                       long long max, const std::string& description);
  // A whole number that overrides a setting ("backup.jobs") for this run: the configuration
  // validates it with the rest and `config show` shows it with the origin "command line".
  CLI::Option* setting(CLI::App* command, const std::string& name, const std::string& key, long long min,
                       long long max, const std::string& description);
  // --dry-run, the same wording everywhere.
  CLI::Option* dry_run(CLI::App* command, bool& target);

  CompletionHints& hints() { return hints_; }

 private:
  Action& action_;
  CompletionHints& hints_;
  std::map<std::string, std::string>& settings_;
};

struct CommandSpec {
  const char* name;
  void (*declare)(CLI::App& root, Builder& builder);
};
const std::vector<CommandSpec>& command_table();

}  // namespace mysqlpitr::cli
