#include "cli/completion.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/strings.hpp"

namespace mysqlpitr::cli {
namespace {

// One node of the tree: its path of subcommand names ("" for the root, "list backups").
struct Node {
  std::string path;
  const CLI::App* app;
};

void collect(const CLI::App* app, const std::string& path, std::vector<Node>& out) {
  out.push_back({path, app});
  for (const CLI::App* sub : const_cast<CLI::App*>(app)->get_subcommands([](CLI::App*) { return true; }))
    collect(sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

std::vector<std::string> subcommand_names(const CLI::App* app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : const_cast<CLI::App*>(app)->get_subcommands([](CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

std::vector<const CLI::Option*> named_options(const CLI::App* app) {
  std::vector<const CLI::Option*> options;
  for (const CLI::Option* option : app->get_options())
    if (!option->get_lnames().empty() || !option->get_snames().empty()) options.push_back(option);
  return options;
}

std::vector<std::string> spellings(const CLI::Option* option) {
  std::vector<std::string> names;
  for (const auto& name : option->get_snames()) names.push_back("-" + name);
  for (const auto& name : option->get_lnames()) names.push_back("--" + name);
  return names;
}

std::string escape_single(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out;
}

// Words offered at a node: its subcommands, its options and the root's (global) options.
std::vector<std::string> words_at(const Node& node, const CLI::App& root) {
  std::vector<std::string> words = subcommand_names(node.app);
  for (const CLI::App* app : {node.app, &root}) {
    for (const auto* option : named_options(app))
      for (const auto& name : spellings(option))
        if (name.starts_with("--")) words.push_back(name);
    if (app == &root && node.app == &root) break;
  }
  return words;
}

enum class ValueKind { none, choices, file, folder, other };

ValueKind value_kind(const CLI::Option* option, const CompletionHints& hints) {
  if (hints.choices.contains(option)) return ValueKind::choices;
  if (hints.takes_file.contains(option)) return ValueKind::file;
  if (hints.takes_folder.contains(option)) return ValueKind::folder;
  return option->get_expected_min() > 0 || option->get_type_size() > 0 ? ValueKind::other : ValueKind::none;
}

// The shell `case` that finds the current subcommand path from the words typed so far.
std::string path_case(const std::vector<Node>& nodes, const char* indent) {
  std::string patterns;
  for (const auto& node : nodes) {
    if (node.path.empty()) continue;
    patterns += fmt::format("{}  \" {}\") path=\"$path $w\" ;;\n", indent, node.path);
  }
  return patterns;
}

// How bash and zsh spell the same completion actions and `case` arms.
struct Dialect {
  std::string choices_action;  // {} receives the space-separated choices
  std::string file_action, folder_action, other_action;
  std::string arm;  // {} receives the pattern, then the action
};

const Dialect kBash{"COMPREPLY=($(compgen -W '{}' -- \"$cur\"))", "COMPREPLY=($(compgen -f -- \"$cur\"))",
                    "COMPREPLY=($(compgen -d -- \"$cur\"))", "COMPREPLY=()", "    \"{}\") {} ;;\n"};
const Dialect kZsh{"compadd -- {}", "_files", "_files -/", "_message value", "    (\"{}\") {} ;;\n"};

std::string node_pattern(const Node& node) { return node.path.empty() ? "" : " " + node.path; }

// Arms matching "PATH|PREVIOUS-WORD": what to offer as the value of an option.
std::string value_arms(const std::vector<Node>& nodes, const CLI::App& root, const CompletionHints& hints,
                       const Dialect& dialect) {
  std::string arms;
  for (const auto& node : nodes) {
    for (const CLI::App* app : {node.app, &root}) {
      for (const auto* option : named_options(app)) {
        ValueKind kind = value_kind(option, hints);
        if (kind == ValueKind::none) continue;
        std::string action =
            kind == ValueKind::choices ? fmt::format(fmt::runtime(dialect.choices_action),
                                                     core::join(hints.choices.at(option), " "))
            : kind == ValueKind::file   ? dialect.file_action
            : kind == ValueKind::folder ? dialect.folder_action
                                        : dialect.other_action;
        for (const auto& name : spellings(option))
          arms += fmt::format(fmt::runtime(dialect.arm), node_pattern(node) + "|" + name, action + "; return");
      }
      if (node.app == &root) break;
    }
  }
  return arms;
}

std::string bash_script(const CLI::App& root, const CompletionHints& hints) {
  std::vector<Node> nodes;
  collect(&root, "", nodes);
  std::string words;
  for (const auto& node : nodes)
    words += fmt::format(fmt::runtime(kBash.arm), node_pattern(node),
                         "words='" + escape_single(core::join(words_at(node, root), " ")) + "'");
  return fmt::format(R"(# bash completion for mysqlpitr. Generated by `mysqlpitr completion bash`: do not edit.
_mysqlpitr() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
  local path="" w i words=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${{COMP_WORDS[i]}}
    case "$path $w" in
{}    esac
  done
  case "$path|$prev" in
{}  esac
  case "$path" in
{}  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  [[ ${{#COMPREPLY[@]}} -eq 0 ]] && COMPREPLY=($(compgen -f -- "$cur"))
  return 0
}}
complete -F _mysqlpitr mysqlpitr
)",
                     path_case(nodes, "    "), value_arms(nodes, root, hints, kBash), words);
}

std::string zsh_script(const CLI::App& root, const CompletionHints& hints) {
  std::vector<Node> nodes;
  collect(&root, "", nodes);
  std::string words;
  for (const auto& node : nodes)
    words += fmt::format(fmt::runtime(kZsh.arm), node_pattern(node),
                         "compadd -- " + core::join(words_at(node, root), " "));
  return fmt::format(R"(#compdef mysqlpitr
# zsh completion for mysqlpitr. Generated by `mysqlpitr completion zsh`: do not edit.
_mysqlpitr() {{
  local path="" w i prev=${{words[CURRENT-1]}}
  for ((i = 2; i < CURRENT; i++)); do
    w=${{words[i]}}
    case "$path $w" in
{}    esac
  done
  case "$path|$prev" in
{}  esac
  case "$path" in
{}  esac
}}
_mysqlpitr "$@"
)",
                     path_case(nodes, "    "), value_arms(nodes, root, hints, kZsh), words);
}

std::string fish_script(const CLI::App& root, const CompletionHints& hints) {
  std::vector<Node> nodes;
  collect(&root, "", nodes);
  std::string out = "# fish completion for mysqlpitr. Generated by `mysqlpitr completion fish`: do not edit.\n";
  out += "complete -c mysqlpitr -f\n";
  for (const auto& node : nodes) {
    // The condition: exactly this node's path has been typed.
    std::string condition;
    if (node.path.empty()) {
      condition = "__fish_use_subcommand";
    } else {
      auto parts = core::split(node.path, ' ');
      condition = "__fish_seen_subcommand_from " + parts.back();
      if (parts.size() > 1) condition = "__fish_seen_subcommand_from " + parts.front() + "; and " + condition;
    }
    for (const CLI::App* sub : const_cast<CLI::App*>(node.app)->get_subcommands([](CLI::App*) { return true; }))
      out += fmt::format("complete -c mysqlpitr -n '{}' -a {} -d '{}'\n", condition, sub->get_name(),
                         escape_single(sub->get_description().substr(0, 60)));
    if (node.app == &root) continue;
    for (const auto* option : named_options(node.app)) {
      std::string line = fmt::format("complete -c mysqlpitr -n '{}'", condition);
      for (const auto& name : option->get_lnames()) line += " -l " + name;
      for (const auto& name : option->get_snames()) line += " -s " + name;
      ValueKind kind = value_kind(option, hints);
      if (kind == ValueKind::choices) line += " -xa '" + core::join(hints.choices.at(option), " ") + "'";
      else if (kind == ValueKind::file || kind == ValueKind::folder) line += " -rF";
      else if (kind == ValueKind::other) line += " -x";
      line += " -d '" + escape_single(option->get_description().substr(0, 60)) + "'";
      out += line + "\n";
    }
  }
  for (const auto* option : named_options(&root)) {
    std::string line = "complete -c mysqlpitr";
    for (const auto& name : option->get_lnames()) line += " -l " + name;
    for (const auto& name : option->get_snames()) line += " -s " + name;
    ValueKind kind = value_kind(option, hints);
    if (kind == ValueKind::file) line += " -rF";
    else if (kind != ValueKind::none) line += " -x";
    line += " -d '" + escape_single(option->get_description().substr(0, 60)) + "'";
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string completion_script(const std::string& shell, const CLI::App& root, const CompletionHints& hints) {
  if (shell == "bash") return bash_script(root, hints);
  if (shell == "zsh") return zsh_script(root, hints);
  if (shell == "fish") return fish_script(root, hints);
  throw usage_error("completion: unknown shell '{}' (bash, zsh or fish)", shell);
}

}  // namespace mysqlpitr::cli
