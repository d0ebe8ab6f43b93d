#include "ui/console.hpp"

#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "ui/json_stream.hpp"

namespace mysqlpitr::ui {

Terminal Terminal::process() {
  return Terminal{&std::cin, &std::cout, &std::cerr, ::isatty(0) == 1, ::isatty(2) == 1};
}

Console::Console(Terminal terminal, ConsoleOptions options) : terminal_(terminal), options_(std::move(options)) {
  if (!options_.log_file.empty()) {
    try {
      auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options_.log_file, false);
      file_log_ = std::make_shared<spdlog::logger>("mysqlpitr", sink);
      file_log_->set_pattern("%Y-%m-%d %H:%M:%S.%e [%l] [pid %P] %v");
      file_log_->flush_on(spdlog::level::info);
    } catch (const spdlog::spdlog_ex& error) {
      throw usage_error("--log-file {}: {}", options_.log_file, error.what());
    }
  }
}

Console::~Console() { finish_progress(); }

void Console::log(int level, const std::string& message) {
  if (file_log_) file_log_->log(static_cast<spdlog::level::level_enum>(level), message);
}

void Console::log_only(const std::string& message) { log(spdlog::level::info, message); }

void Console::info(const std::string& message) {
  log(spdlog::level::info, message);
  if (options_.verbosity == Verbosity::quiet) return;
  finish_progress();
  *terminal_.err << message << '\n';
}

void Console::detail(const std::string& message) {
  log(spdlog::level::debug, message);
  if (options_.verbosity != Verbosity::verbose) return;
  finish_progress();
  *terminal_.err << message << '\n';
}

void Console::warning(const std::string& message) {
  log(spdlog::level::warn, message);
  finish_progress();
  *terminal_.err << "warning: " << message << '\n';
}

void Console::error(const std::string& message) {
  log(spdlog::level::err, message);
  finish_progress();
  *terminal_.err << "mysqlpitr: " << message << '\n';
}

void Console::result(const std::string& text) {
  if (text.empty()) return;
  print(text);
}

void Console::summary(const std::string& text) {
  if (text.empty()) return;
  log(spdlog::level::info, text);
  if (options_.verbosity == Verbosity::quiet) return;
  print(text);
}

void Console::print(const std::string& text) {
  finish_progress();
  std::string with_newline = text.back() == '\n' ? text : text + "\n";
  if (options_.json) {
    if (options_.verbosity != Verbosity::quiet) *terminal_.err << with_newline;
  } else {
    *terminal_.out << with_newline;
  }
  terminal_.out->flush();
}

void Console::json_document(const nlohmann::json& document) {
  if (json_stream_) {
    json_stream_->finish(document);
    return;
  }
  json_printed_ = true;
  *terminal_.out << document.dump(2) << '\n';
  terminal_.out->flush();
}

JsonStream& Console::json_stream() {
  if (!json_stream_) json_stream_ = std::make_unique<JsonStream>(*terminal_.out);
  return *json_stream_;
}

std::string Console::read_line() {
  std::string line;
  if (!std::getline(*terminal_.in, line)) return "";
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void Console::confirm(const std::string& plan_text) {
  finish_progress();
  bool shown = !(options_.yes && options_.verbosity == Verbosity::quiet);
  if (!plan_text.empty()) {
    log(spdlog::level::info, plan_text);
    if (shown) *terminal_.err << plan_text << (plan_text.back() == '\n' ? "" : "\n");
  }
  if (options_.yes) {
    log(spdlog::level::info, "confirmed by --yes");
    return;
  }
  if (!terminal_.stdin_is_tty)
    throw Error(ExitCode::not_confirmed,
                "confirmation needed but standard input is not a terminal; nothing was changed (pass --yes to "
                "proceed without asking)");
  *terminal_.err << kConfirmPrompt << std::flush;
  std::string answer = read_line();
  if (answer != "SI") throw Error(ExitCode::not_confirmed, "not confirmed (answer was not SI); nothing was changed");
  log(spdlog::level::info, "confirmed by the operator");
}

void Console::require_interactive(const std::string& option) const {
  if (options_.yes) throw usage_error("{} is required: --yes asks no questions", option);
  if (!interactive()) throw usage_error("{} is required (no terminal to ask on)", option);
}

size_t Console::choose(const std::string& title, const std::vector<std::string>& items, const std::string& option) {
  require_interactive(option);
  if (items.empty()) throw usage_error("nothing to choose for {}", option);
  finish_progress();
  *terminal_.err << title << '\n';
  for (size_t i = 0; i < items.size(); ++i) *terminal_.err << fmt::format("  {:>3}) {}\n", i + 1, items[i]);
  for (int attempt = 0; attempt < 3; ++attempt) {
    *terminal_.err << fmt::format("Number (1-{}): ", items.size()) << std::flush;
    std::string answer = core::trim(read_line());
    char* end = nullptr;
    long number = std::strtol(answer.c_str(), &end, 10);
    if (!answer.empty() && *end == '\0' && number >= 1 && static_cast<size_t>(number) <= items.size())
      return static_cast<size_t>(number - 1);
    if (!*terminal_.in) break;
  }
  throw usage_error("no valid choice for {}", option);
}

std::string Console::ask(const std::string& question, const std::string& option) {
  require_interactive(option);
  finish_progress();
  *terminal_.err << question << std::flush;
  return core::trim(read_line());
}

void Console::progress(const std::string& line) {
  if (!progress_enabled()) return;
  *terminal_.err << "\r\033[K" << line << std::flush;
  progress_shown_ = true;
}

void Console::finish_progress() {
  if (!progress_shown_) return;
  *terminal_.err << "\r\033[K" << std::flush;
  progress_shown_ = false;
}

}  // namespace mysqlpitr::ui
