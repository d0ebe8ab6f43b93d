#pragma once
// Readable usage errors for a command line CLI11 could not parse: an unknown or missing command
// is named, with the closest known one ("did you mean `backup`?"). CLI11 itself only says "A
// subcommand is required" or lists the word as an extra argument.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mysqlpitr::cli {

// The names of a command's subcommands, in declaration order.
std::vector<std::string> command_names(const CLI::App& app);

// The name in `names` closest to `typed` (a few typos away, or the only name it begins), if any.
std::optional<std::string> closest_name(const std::string& typed, const std::vector<std::string>& names);

// A one-line message when `args` (argv without the program) names no command where one is
// expected, or an unknown one; nullopt when the command words are fine (the error is elsewhere).
std::optional<std::string> command_word_problem(CLI::App& root, const std::vector<std::string>& args);

}  // namespace mysqlpitr::cli
