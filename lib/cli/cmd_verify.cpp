// Declaration of verify.
#include <memory>

#include "cli/declarations.hpp"
#include "commands/runner.hpp"
#include "commands/verify.hpp"

namespace mysqlpitr::cli {

void declare_verify(CLI::App& root, Builder& builder) {
  auto options = std::make_shared<commands::VerifyOptions>();
  auto* verify = root.add_subcommand(
      "verify",
      "check backups without restoring them: dumps (compression stream whole, dump complete, checksum equal to the "
      "manifest's), binlogs (every event read to the end with its CRC32 checksum, SHA-256 equal to rotate-binlogs' "
      "record, the sequence without gaps), MongoDB dumps. PATH is a file or a folder (default: the configured backup "
      "folders and paths.binlog_archive, then with repository.mode s3 or both every object of the bucket, streamed "
      "back and checked against its record). Exit 1 when a check fails; exit 5 when there is nothing to verify where "
      "backups are expected (a configured folder missing or empty, as an unmounted disk looks)");
  auto* paths = verify->add_option("path", options->paths, "files or folders to check")->type_name("PATH");
  builder.hints().takes_file.insert(paths);
  auto drill = declare_drill(verify);
  builder.on_parsed(verify, [options, drill](commands::Context& context) {
    if (drill->requested) return run_drill(context, *drill);
    return commands::run_command(context, commands::verify_command(*options));
  });
}

}  // namespace mysqlpitr::cli
