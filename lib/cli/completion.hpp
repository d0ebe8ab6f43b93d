#pragma once
// Completion scripts for bash, zsh and fish, generated from the CLI11 tree itself so that they
// can never disagree with the parser.
#include <string>

#include "cli/builder.hpp"

namespace mysqlpitr::cli {

std::string completion_script(const std::string& shell, const CLI::App& root, const CompletionHints& hints);

}  // namespace mysqlpitr::cli
