#include "cli/suggest.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/strings.hpp"

namespace mysqlpitr::cli {
namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours ("bakcup") each count one.
size_t typo_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// Whether an option word takes the next word as its value ("-c FILE", "--log-file FILE").
bool takes_value(CLI::App& app, const std::string& word) {
  if (word.find('=') != std::string::npos || (word.size() > 2 && word[1] != '-')) return false;  // -cFILE, --x=y
  for (CLI::App* at = &app; at != nullptr; at = at->get_parent()) {
    if (const CLI::Option* option = at->get_option_no_throw(word)) return option->get_expected_min() > 0;
  }
  return false;
}

bool has_positionals(const CLI::App& app) {
  return !app.get_options([](const CLI::Option* option) { return option->get_positional(); }).empty();
}

std::string command_path(const CLI::App& app) {
  std::string path;
  for (const CLI::App* at = &app; at->get_parent() != nullptr; at = at->get_parent())
    path = at->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

}  // namespace

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

std::optional<std::string> closest_name(const std::string& typed, const std::vector<std::string>& names) {
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(1, std::min<size_t>(2, typed.size() / 3)) + 1;
  for (const auto& name : names) {
    size_t distance = typo_distance(typed, name);
    if (distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  if (best || typed.size() < 2) return best;
  std::vector<std::string> beginning;
  for (const auto& name : names)
    if (name.starts_with(typed)) beginning.push_back(name);
  if (beginning.size() == 1) return beginning.front();
  return std::nullopt;
}

std::optional<std::string> command_word_problem(CLI::App& root, const std::vector<std::string>& args) {
  CLI::App* current = &root;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--") return std::nullopt;
    if (word.size() > 1 && word[0] == '-') {
      if (takes_value(*current, word)) ++i;
      continue;
    }
    auto names = command_names(*current);
    if (names.empty() || has_positionals(*current)) return std::nullopt;  // a command's own argument
    if (std::find(names.begin(), names.end(), word) != names.end()) {
      current = current->get_subcommand(word);
      continue;
    }
    std::string where = command_path(*current);
    std::string prefix = where.empty() ? "" : where + " ";
    std::string message = fmt::format("unknown command '{}{}'", prefix, word);
    if (auto suggestion = closest_name(word, names))
      return message + fmt::format("; did you mean `{}{}`?", prefix, *suggestion);
    return message + "; commands: " + core::join(names, ", ");
  }
  if (current->get_require_subcommand_min() > 0) {
    std::string where = command_path(*current);
    return fmt::format("{}a command is required: {}", where.empty() ? "" : where + ": ",
                       core::join(command_names(*current), ", "));
  }
  return std::nullopt;
}

}  // namespace mysqlpitr::cli
