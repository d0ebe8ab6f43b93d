// `binlogs show FILE`, `binlogs stream` and `list binlogs`.
#include "cli/declarations.hpp"
#include "commands/binlogs_stream.hpp"
#include "commands/binlogs_show.hpp"
#include "commands/list_binlogs.hpp"
#include "commands/runner.hpp"

namespace mysqlpitr::cli {

void declare_binlogs(CLI::App& root, Builder& builder) {
  auto* binlogs = root.add_subcommand("binlogs", "look inside binlog files; stream them as a replica");
  binlogs->require_subcommand(1);
  declare_binlogs_stream(binlogs, builder);
  auto options = std::make_shared<commands::BinlogsShowOptions>();
  auto* show = binlogs->add_subcommand(
      "show", "decoded events of one binlog, one line each (position, end position, time, server id, type and the "
              "essentials: database and SQL, table, row counts, GTIDs), like mysqlbinlog but filtered; --json for "
              "{\"file\",\"events\":[...],\"warnings\":[...]}");
  builder.file(show, "FILE", options->file, "the binlog file")->required();
  show->add_option("--db", options->database, "only events of this database (events naming none are kept)")
      ->type_name("NAME");
  show->add_option_function<std::uint64_t>(
          "--start-position", [options](const std::uint64_t& n) { options->start_position = n; },
          "start at this event boundary")
      ->type_name("N");
  show->add_option_function<std::uint64_t>(
          "--stop-position", [options](const std::uint64_t& n) { options->stop_position = n; },
          "stop at the first event at or past this offset")
      ->type_name("N");
  show->add_option("--start-datetime", options->start_datetime, "skip events before this time")
      ->type_name("'YYYY-MM-DD HH:MM:SS'");
  show->add_option("--stop-datetime", options->stop_datetime, "stop at the first event at or after this time")
      ->type_name("'YYYY-MM-DD HH:MM:SS'");
  builder.on_parsed(show, [options](commands::Context& context) { return commands::run_binlogs_show(context, *options); });
}

void declare_binlogs_stream(CLI::App* binlogs, Builder& builder) {
  auto options = std::make_shared<commands::BinlogsStreamOptions>();
  auto* stream = binlogs->add_subcommand(
      "stream",
      "continuous binlog archiving: connects as a replica (stream.server_id) and writes the server's binlogs into "
      "paths.binlog_archive as they are written, byte for byte, starting where the archive ends. The binlog being "
      "written is <name>.streaming (fsynced every stream.sync_interval seconds) until the server closes it; then it "
      "is verified, renamed and recorded as rotate-binlogs records its copies (and uploaded in repository modes s3 and "
      "both). Reconnects with backoff after a lost connection and goes on from the last whole event; state in "
      ".mysqlpitr-stream.json. SIGTERM: synced, exit 0. Exit 5 when the server purged a binlog before it was streamed");
  stream->add_flag("--until-current", options->until_current,
                   "stop once everything the server has written is archived (for tests and cron); a lost connection "
                   "is then an error, not retried");
  builder.dry_run(stream, options->dry_run);
  builder.on_parsed(stream, [options](commands::Context& context) {
    return commands::run_command(context, commands::binlogs_stream_command(*options));
  });
}

void declare_list_binlogs(CLI::App* list, Builder& builder) {
  auto* sub = list->add_subcommand(
      "binlogs", "binlogs of the archive (paths.binlog_archive), else of the server's folder: size, first and last "
                 "event time, server id, gaps; binlog_format and whether the archive is current");
  builder.on_parsed(sub, [](commands::Context& context) { return commands::run_command(context, commands::list_binlogs_command()); });
}

}  // namespace mysqlpitr::cli
