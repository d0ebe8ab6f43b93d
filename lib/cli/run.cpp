#include "cli/run.hpp"

#include <algorithm>
#include <iostream>
#include <optional>

#include "cli/builder.hpp"
#include "cli/suggest.hpp"
#include "io/interrupt_cleanup.hpp"
#include "mongo/log_route.hpp"
#include "mysql/connection.hpp"

namespace mysqlpitr::cli {
namespace {

constexpr const char* kDescription =
    "mysqlpitr: MySQL/MariaDB backup and point-in-time recovery, MongoDB backup and restore.\n"
    "Exit codes: 0 done, 1 failed, 2 usage or configuration error, 3 confirmation not given,\n"
    "4 partly done, 5 precondition not met (binlog gap, missing base, lock held, server not set up,\n"
    "nothing to verify where backups are expected).";

void declare_globals(CLI::App& app, commands::GlobalOptions& global, Builder& builder) {
  builder.file(&app, "-c,--config", global.config_path,
               "configuration file (TOML, or a legacy .env); default $MYSQLPITR_CONFIG, ./mysqlpitr.toml, "
               "/etc/mysqlpitr/mysqlpitr.toml");
  app.add_flag("-y,--yes", global.yes, "answer SI to every confirmation");
  app.add_flag("--json", global.json, "print one JSON document on stdout; human messages go to stderr");
  auto* verbose = app.add_flag("-v,--verbose", global.verbose, "more messages on stderr");
  app.add_flag("-q,--quiet", global.quiet, "only errors on stderr (for cron)")->excludes(verbose);
  builder.file(&app, "--log-file", global.log_file, "also append a log with timestamps to FILE");
  app.set_version_flag("--version", std::string("mysqlpitr ") + MYSQLPITR_VERSION);
}

void declare_help(CLI::App& app, Builder& builder, std::ostream& out) {
  auto topic = std::make_shared<std::vector<std::string>>();
  auto* help = app.add_subcommand("help", "show the help of a command: mysqlpitr help COMMAND [SUBCOMMAND]");
  help->add_option("command", *topic, "the command")->expected(0, 2);
  builder.on_parsed(help, [topic, &app, &out](commands::Context&) {
    const CLI::App* target = &app;
    for (const auto& name : *topic) {
      try {
        target = const_cast<CLI::App*>(target)->get_subcommand(name);
      } catch (const CLI::OptionNotFound&) {
        auto suggestion = closest_name(name, command_names(*target));
        throw usage_error("help: no command named '{}'{}", name,
                          suggestion ? fmt::format("; did you mean `{}`?", *suggestion) : std::string());
      }
    }
    out << target->help();
    return commands::Report{};
  });
}

// libmongoc's own messages (its monitor retries a server that does not answer, and says so every
// half second): its errors and warnings are our warnings (stderr and the log file), since the
// command reports the failure that matters as its own error; the rest is detail for --verbose.
void route_mongo_message(ui::Console& console, mongo::LogLevel level, const std::string& message) {
  switch (level) {
    case mongo::LogLevel::error:
    case mongo::LogLevel::warning: console.warning("libmongoc: " + message); break;
    case mongo::LogLevel::info:
    case mongo::LogLevel::debug: console.detail("libmongoc: " + message); break;
  }
}

nlohmann::json envelope(const commands::Report& report) {
  nlohmann::json document = {{"ok", report.code == ExitCode::ok},
                             {"exit_code", static_cast<int>(report.code)},
                             {"errors", report.errors}};
  for (auto& [key, value] : report.data.items())
    if (!document.contains(key)) document[key] = value;
  return document;
}

}  // namespace

int run(int argc, char** argv, const config::Environment& environment, ui::Terminal terminal) {
  CLI::App app{kDescription, "mysqlpitr"};
  app.fallthrough();  // global options are accepted before or after the command
  app.require_subcommand(1);
  app.footer("Destructive commands ask to type SI unless --yes; without a terminal they refuse (exit 3).\n"
             "See mysqlpitr(1) for the configuration keys and examples.");
  commands::GlobalOptions global;
  Action action;
  CompletionHints hints;
  Builder builder(action, hints, global.settings);
  declare_globals(app, global, builder);
  for (const auto& spec : command_table()) spec.declare(app, builder);
  declare_help(app, builder, *terminal.out);
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    sub->fallthrough();
    for (CLI::App* nested : sub->get_subcommands([](CLI::App*) { return true; })) nested->fallthrough();
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    // The help of the innermost command that was named, as `help COMMAND` prints it.
    const CLI::App* target = &app;
    while (true) {
      auto chosen = const_cast<CLI::App*>(target)->get_subcommands();
      if (chosen.empty()) break;
      target = chosen.front();
    }
    *terminal.out << target->help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    *terminal.out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion&) {
    *terminal.out << "mysqlpitr " << MYSQLPITR_VERSION << "\n";
    return 0;
  } catch (const CLI::ParseError& error) {
    // An unknown or missing command word explains more than what CLI11 stumbled on after it.
    std::vector<std::string> words(argv + std::min(argc, 1), argv + argc);
    std::string message = command_word_problem(app, words).value_or(error.what());
    if (global.json)
      *terminal.out << envelope(commands::Report{{}, ExitCode::usage, {message}, nullptr}).dump(2) << "\n";
    *terminal.err << "mysqlpitr: " << message << " (see mysqlpitr --help)\n";
    return static_cast<int>(ExitCode::usage);
  }

  io::install_interrupt_cleanup();
  commands::Report report;
  std::optional<ui::Console> console_slot;  // outlives the try: the last catch asks what it printed
  try {
    ui::ConsoleOptions console_options;
    console_options.json = global.json;
    console_options.yes = global.yes;
    console_options.verbosity = global.quiet     ? ui::Verbosity::quiet
                                : global.verbose ? ui::Verbosity::verbose
                                                 : ui::Verbosity::normal;
    console_options.log_file = global.log_file;
    ui::Console& console = console_slot.emplace(terminal, console_options);
    mysql::ClientLibrary client_library;
    mongo::LogRoute mongo_log([&console](mongo::LogLevel level, const std::string& message) {
      route_mongo_message(console, level, message);
    });
    commands::Context context(global, environment, console);
    std::string command_line = "mysqlpitr";
    for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
    console.log_only("started: " + command_line);
    try {
      report = action(context);
    } catch (const Error& error) {
      report.code = error.code();
      report.errors.push_back(error.what());
      console.error(error.what());
    } catch (const std::exception& error) {
      // A bug or a library's own exception: still one line and a documented code.
      report.code = ExitCode::failed;
      report.errors.push_back(std::string("internal error: ") + error.what());
      console.error(report.errors.back());
    }
    if (report.code == ExitCode::partial)
      console.error(fmt::format("partly done: {} item(s) failed", report.errors.size()));
    console.log_only(fmt::format("finished with exit code {}", static_cast<int>(report.code)));
    if (global.json) console.json_document(envelope(report));
  } catch (const Error& error) {
    // The console itself failed: could not be set up (an unwritable --log-file), or later. A JSON
    // document it began is not followed by a second one.
    report.code = error.code();
    report.errors = {error.what()};
    *terminal.err << "mysqlpitr: " << error.what() << "\n";
    bool json_begun = console_slot && console_slot->json_begun();
    if (global.json && !json_begun) *terminal.out << envelope(report).dump(2) << "\n";
  }
  return static_cast<int>(report.code);
}

}  // namespace mysqlpitr::cli
