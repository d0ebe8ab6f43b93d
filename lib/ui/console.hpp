#pragma once
// The only place that talks to the operator: human messages on stderr, the primary result on
// stdout (or one JSON document there with --json), the SI confirmation, numbered menus and
// progress lines (on a terminal only). A log file, when asked for, receives every message.
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace spdlog {
class logger;
}

namespace mysqlpitr::ui {

class JsonStream;

enum class Verbosity { quiet = -1, normal = 0, verbose = 1 };

// Where the console reads and writes; tests substitute string streams.
struct Terminal {
  std::istream* in;
  std::ostream* out;
  std::ostream* err;
  bool stdin_is_tty = false;
  bool stderr_is_tty = false;
  static Terminal process();  // std::cin/cout/cerr and isatty()
};

struct ConsoleOptions {
  bool json = false;
  bool yes = false;
  Verbosity verbosity = Verbosity::normal;
  std::string log_file;
};

class Console {
 public:
  Console(Terminal terminal, ConsoleOptions options);
  ~Console();
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  void info(const std::string& message);     // hidden by --quiet
  void detail(const std::string& message);   // shown with --verbose only
  void warning(const std::string& message);  // always shown
  void error(const std::string& message);    // always shown
  // Output the operator asked for (a table, a listing, a dry run's plan, a completion script):
  // stdout, or stderr with --json (unless quiet). --quiet does not hide it.
  void result(const std::string& text);
  // What a command did ("backup: 3 file(s) written"): shown as result() is, hidden by --quiet
  // (kept in the log file), so that a cron job that succeeds prints nothing.
  void summary(const std::string& text);
  // A line for the log file only (what ran, how it ended), never shown on the terminal.
  void log_only(const std::string& message);
  // Prints the command's JSON document on stdout, or, when the command began one with
  // json_stream(), completes that one with the fields of `document` it does not hold yet.
  void json_document(const nlohmann::json& document);
  // For output too large to hold (every event of a binlog): begins the JSON document on stdout at
  // the first call; the command writes its big fields through it and json_document() ends it.
  JsonStream& json_stream();
  // Whether the JSON document has begun on stdout (a second one must not follow).
  bool json_begun() const { return json_stream_ != nullptr || json_printed_; }

  // Shows the plan, then asks for SI. Returns normally only when confirmed (or --yes); otherwise
  // throws Error(ExitCode::not_confirmed). Without a terminal and without --yes it refuses.
  // With --yes and --quiet nobody reads the plan: it goes to the log file only.
  void confirm(const std::string& plan_text);

  // Whether menus may be offered: stdin and stderr are terminals, and --yes did not say that no
  // one is there to answer.
  bool interactive() const { return terminal_.stdin_is_tty && terminal_.stderr_is_tty && !options_.yes; }
  // Usage error naming `option` unless a menu may be offered (for a choice made before the menu).
  void require_interactive(const std::string& option) const;
  // A numbered menu; returns the chosen index. Without a terminal, or with --yes: usage error
  // naming `option`.
  size_t choose(const std::string& title, const std::vector<std::string>& items, const std::string& option);
  // Free text from the operator (a stop time); empty allowed. Without a terminal or with --yes:
  // usage error.
  std::string ask(const std::string& question, const std::string& option);

  bool json() const { return options_.json; }
  bool yes() const { return options_.yes; }
  Verbosity verbosity() const { return options_.verbosity; }
  bool progress_enabled() const { return terminal_.stderr_is_tty && options_.verbosity != Verbosity::quiet; }
  // Overwrites the current progress line (terminal only); finish_progress() ends it.
  void progress(const std::string& line);
  void finish_progress();

 private:
  void log(int level, const std::string& message);
  void print(const std::string& text);
  std::string read_line();

  Terminal terminal_;
  ConsoleOptions options_;
  std::shared_ptr<spdlog::logger> file_log_;
  std::unique_ptr<JsonStream> json_stream_;
  bool json_printed_ = false;
  bool progress_shown_ = false;
};

// The exact confirmation prompt of the old scripts (CLI.md).
inline constexpr const char* kConfirmPrompt = "Escriba SI para confirmar / type SI to confirm: ";

}  // namespace mysqlpitr::ui
