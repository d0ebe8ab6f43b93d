// Declaration of `completion SHELL`; the scripts themselves come from completion.cpp.
#include <memory>
#include <string>

#include "cli/completion.hpp"
#include "cli/declarations.hpp"

namespace mysqlpitr::cli {

void declare_completion(CLI::App& root, Builder& builder) {
  auto shell = std::make_shared<std::string>();
  auto* completion = root.add_subcommand("completion", "print a completion script for bash, zsh or fish");
  builder.choice(completion, "shell", *shell, {"bash", "zsh", "fish"}, "the shell")->required();
  CompletionHints* hints = &builder.hints();
  builder.on_parsed(completion, [shell, &root, hints](commands::Context& context) {
    commands::Report report;
    std::string script = completion_script(*shell, root, *hints);
    report.data["script"] = script;
    context.console().result(script);
    return report;
  });
}

}  // namespace mysqlpitr::cli
