#include "commands/drill_pitr.hpp"

#include <map>

#include "commands/restore_pitr.hpp"
#include "commands/runner.hpp"
#include "core/strings.hpp"
#include "dump/row_digest.hpp"
#include "dump/schema.hpp"
#include "dump/snapshot.hpp"
#include "mysql/server_facts.hpp"

namespace mysqlpitr::commands {
namespace {

struct LiveState {
  dump::Coordinates at;
  TableContents contents;
};

LiveState read_live(Context& context, const std::string& database) {
  auto control = context.connect();
  std::vector<mysql::Connection> workers;
  workers.push_back(context.connect());
  dump::prepare_dump_session(workers[0]);
  auto facts = mysql::read_server_facts(control);
  LiveState live;
  {
    dump::SharedSnapshot snapshot(control, workers, facts);
    if (!snapshot.coordinates())
      throw precondition_error("the server writes no binlog: there is no position to restore {} to", database);
    live.at = *snapshot.coordinates();
    // MyISAM, Aria and the like are at that position only while writes are blocked, as in a dump.
    live.contents = fingerprint_tables(workers[0], database, Tables::non_transactional);
  }
  live.contents.merge(fingerprint_tables(workers[0], database, Tables::transactional));
  workers[0].execute("COMMIT");
  return live;
}

std::vector<std::string> compare(const TableContents& live, const TableContents& restored) {
  std::vector<std::string> differences;
  for (const auto& [table, content] : live) {
    auto found = restored.find(table);
    if (found == restored.end()) {
      differences.push_back(fmt::format("table {} is missing", core::printable(table)));
    } else if (found->second.rows != content.rows) {
      differences.push_back(fmt::format("table {}: {} rows restored, the live table has {}", core::printable(table),
                                        found->second.rows, content.rows));
    } else if (found->second.digest.hex() != content.digest.hex()) {
      differences.push_back(fmt::format("table {}: the restored rows are not the live ones (fingerprint {}, live {})",
                                        core::printable(table), found->second.digest.hex(), content.digest.hex()));
    }
  }
  for (const auto& [table, content] : restored)
    if (!live.contains(table))
      differences.push_back(fmt::format("table {} is not in the live database", core::printable(table)));
  return differences;
}

}  // namespace

TableContents fingerprint_tables(mysql::Connection& connection, const std::string& database, Tables which) {
  TableContents contents;
  for (const auto& table : dump::list_tables(connection, database)) {
    if (table.is_view || table.is_sequence) continue;
    if (which != Tables::all && table.transactional != (which == Tables::transactional)) continue;
    contents[table.name] = dump::read_table_content(connection, database, table.name);
  }
  return contents;
}

nlohmann::json drill_pitr(Context& context, const std::string& database, const std::string& scratch) {
  LiveState live = read_live(context, database);
  std::string stop = fmt::format("{}:{}", live.at.file, live.at.position);
  nlohmann::json outcome = {{"stop", stop}, {"scratch", scratch}};
  RestorePitrOptions options;
  options.database = database;
  options.into = scratch;
  options.stop_position = stop;
  options.skip_binlog = true;
  with_context("the PITR restore",
               [&] { run_nested(context, restore_pitr_command(options), "verify --drill --pitr"); });
  auto reader = context.connect();
  dump::prepare_dump_session(reader);
  TableContents restored = fingerprint_tables(reader, scratch);
  auto differences = compare(live.contents, restored);
  unsigned long long rows = 0;
  for (const auto& [table, content] : restored) rows += content.rows;
  outcome.update({{"tables", restored.size()}, {"rows", rows}, {"ok", differences.empty()}});
  outcome["message"] = differences.empty()
                           ? fmt::format("restored to {} and matching the live database (rows and fingerprints per "
                                         "table)",
                                         stop)
                           : core::join(differences, "; ");
  return outcome;
}

}  // namespace mysqlpitr::commands
