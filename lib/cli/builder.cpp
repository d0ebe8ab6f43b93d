#include "cli/builder.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "core/strings.hpp"

namespace mysqlpitr::cli {

void Builder::on_parsed(CLI::App* command, Action action) {
  command->callback([this, action = std::move(action)] { action_ = action; });
}

CLI::Option* Builder::choice(CLI::App* command, const std::string& name, std::string& target,
                             std::vector<std::string> values, const std::string& description) {
  // A validator without a description, so --help shows the choices once (in the type name).
  std::string listed = core::join(values, "|");
  CLI::Validator member(
      [values, listed](std::string& value) {
        return std::find(values.begin(), values.end(), value) != values.end() ? std::string()
                                                                             : "must be one of " + listed;
      },
      "", "choice");
  auto* option = command->add_option(name, target, description)->check(member);
  option->type_name(listed);
  hints_.choices[option] = std::move(values);
  return option;
}

CLI::Option* Builder::file(CLI::App* command, const std::string& name, std::string& target,
                           const std::string& description) {
  auto* option = command->add_option(name, target, description)->type_name("FILE");
  hints_.takes_file.insert(option);
  return option;
}

CLI::Option* Builder::folder(CLI::App* command, const std::string& name, std::string& target,
                             const std::string& description) {
  auto* option = command->add_option(name, target, description)->type_name("DIR");
  hints_.takes_folder.insert(option);
  return option;
}

namespace {
std::optional<long long> whole_number_in(const std::string& text, long long min, long long max) {
  long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return std::nullopt;
  return value;
}
}  // namespace

CLI::Option* Builder::number(CLI::App* command, const std::string& name, std::function<void(long long)> set,
                             long long min, long long max, const std::string& description) {
  CLI::Validator range(
      [min, max](std::string& value) {
        return whole_number_in(value, min, max) ? std::string()
                                                 : fmt::format("must be a whole number from {} to {}", min, max);
      },
      "", "range");
  auto* option = command->add_option_function<std::string>(
      name, [set = std::move(set), min, max](const std::string& text) { set(*whole_number_in(text, min, max)); },
      description);
  return option->check(range)->type_name("N");
}

CLI::Option* Builder::setting(CLI::App* command, const std::string& name, const std::string& key, long long min,
                              long long max, const std::string& description) {
  return number(command, name, [this, key](long long n) { settings_[key] = std::to_string(n); }, min, max, description);
}

CLI::Option* Builder::dry_run(CLI::App* command, bool& target) {
  return command->add_flag("--dry-run", target, "print the plan and exit 0 without changing anything");
}

}  // namespace mysqlpitr::cli
