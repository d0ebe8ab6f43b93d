#include "commands/restore_pitr_tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "mysql/server_facts.hpp"
#include "sqlload/rename.hpp"

namespace mysqlpitr::commands {
namespace {

using mysql::quote_identifier;

bool table_exists(mysql::Connection& connection, const std::string& database, const std::string& table) {
  return connection
             .scalar(fmt::format("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = {} AND "
                                 "TABLE_NAME = {}",
                                 connection.quote(database), connection.quote(table)))
             .value_or("0") != "0";
}

std::string qualified(const std::string& database, const std::string& table) {
  return quote_identifier(database) + "." + quote_identifier(table);
}

struct Trigger {
  std::string sql, sql_mode, client_charset, connection_collation;
};

// The table's triggers in `scratch`, as SHOW CREATE TRIGGER gives them, dropped there: a table
// with triggers cannot be renamed into another database.
std::vector<Trigger> take_triggers(mysql::Connection& connection, const std::string& scratch, const std::string& table) {
  std::vector<Trigger> out;
  auto names = connection.rows(fmt::format(
      "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = {} AND EVENT_OBJECT_TABLE = {} "
      "ORDER BY EVENT_MANIPULATION, ACTION_TIMING, ACTION_ORDER",
      connection.quote(scratch), connection.quote(table)));
  for (const auto& row : names) {
    if (row.empty() || !row[0]) continue;
    std::string name = qualified(scratch, *row[0]);
    auto shown = connection.rows("SHOW CREATE TRIGGER " + name);
    if (shown.empty() || shown[0].size() < 5 || !shown[0][2])
      throw failure("SHOW CREATE TRIGGER {} gave no statement", name);
    const auto& r = shown[0];
    out.push_back({*r[2], r[1].value_or(""), r[3].value_or("utf8mb4"), r[4].value_or("utf8mb4_general_ci")});
    connection.execute("DROP TRIGGER " + name);
  }
  return out;
}

void create_triggers(mysql::Connection& connection, const std::vector<Trigger>& triggers, const std::string& scratch,
                     const std::string& target) {
  if (triggers.empty()) return;
  connection.execute("USE " + quote_identifier(target));
  for (const auto& trigger : triggers) {
    connection.execute(fmt::format("SET SESSION sql_mode = {}, character_set_client = {}, collation_connection = {}",
                                   connection.quote(trigger.sql_mode), connection.quote(trigger.client_charset),
                                   connection.quote(trigger.connection_collation)));
    bool no_backslash = trigger.sql_mode.find("NO_BACKSLASH_ESCAPES") != std::string::npos;
    connection.execute(sqlload::rename_database(trigger.sql, {scratch, target}, no_backslash));
  }
}

// At most `bytes` bytes of `name`, cut before a character, not inside one: half a UTF-8
// character is no name the server accepts.
std::string utf8_prefix(const std::string& name, size_t bytes) {
  size_t cut = std::min(name.size(), bytes);
  while (cut > 0 && cut < name.size() && (static_cast<unsigned char>(name[cut]) & 0xc0) == 0x80) --cut;
  return name.substr(0, cut);
}

}  // namespace

std::string scratch_database(const std::string& target) {
  constexpr std::string_view prefix = "mysqlpitr_scratch_";
  if (prefix.size() + target.size() <= 64) return std::string(prefix) + target;
  // Long names: a hash keeps two targets sharing their first characters apart.
  return fmt::format("{}{}_{:08x}", prefix, utf8_prefix(target, 37), std::hash<std::string>{}(target) & 0xffffffffu);
}

std::string swapped_out_name(const std::string& table) { return utf8_prefix(table, 54) + "#mysqlpitr"; }

std::vector<std::string> check_table_selection(mysql::Connection& connection, const std::vector<std::string>& tables,
                                               const sqlload::DumpInspection& base, const std::string& database,
                                               const std::string& target) {
  std::vector<std::string> out;
  for (const auto& table : tables) {
    if (table.empty()) throw usage_error("--table: empty table name");
    if (std::find(out.begin(), out.end(), table) != out.end()) continue;
    if (std::find(base.table_names.begin(), base.table_names.end(), table) == base.table_names.end())
      throw precondition_error("table {} is not in the base {} (a table-level restore starts from the table's "
                               "definition and rows there): nothing was changed",
                               table, base.path);
    if (table_exists(connection, target, swapped_out_name(table)))
      throw precondition_error("{} exists: the live table an interrupted table-level restore was replacing; check it "
                               "and drop or rename it: nothing was changed",
                               qualified(target, swapped_out_name(table)));
    // A foreign key names its tables with their database: one restored through the scratch
    // database would point there, and one to the swapped-out table would follow it and be dropped.
    // The table replaced in an --into target is judged too: a key there would keep it from being dropped.
    for (const std::string* schema : {&database, &target}) {
      auto keys = connection.scalar(fmt::format(
          "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE (CONSTRAINT_SCHEMA = {0} AND "
          "TABLE_NAME = {1}) OR (UNIQUE_CONSTRAINT_SCHEMA = {0} AND REFERENCED_TABLE_NAME = {1})",
          connection.quote(*schema), connection.quote(table)));
      if (keys.value_or("0") != "0")
        throw precondition_error("{}.{} has foreign keys (to or from other tables): a table-level restore cannot keep "
                                 "them; restore the whole database (or --into another database and copy the rows): "
                                 "nothing was changed",
                                 *schema, table);
    }
    out.push_back(table);
  }
  return out;
}

pitr::HiddenWriters hidden_writers(mysql::Connection& connection, const std::vector<std::string>& tables) {
  std::vector<std::string> names;  // lower case: what a body must not mention
  for (const auto& table : tables) names.push_back(core::to_lower(table));
  auto mentions = [&](const std::optional<std::string>& body) {
    if (!body) return true;
    auto text = core::to_lower(*body);
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return text.find(n) != std::string::npos; });
  };
  const std::string system = "('mysql','information_schema','performance_schema','sys')";
  pitr::HiddenWriters out;
  struct Routine {
    pitr::TableName name;
    std::optional<std::string> body;
    bool found = false;
  };
  std::vector<Routine> routines;
  for (const auto& row : connection.rows("SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_DEFINITION FROM "
                                         "information_schema.ROUTINES WHERE ROUTINE_SCHEMA NOT IN " + system))
    if (row.size() == 3 && row[0] && row[1]) routines.push_back({{*row[0], *row[1]}, row[2]});
  // A routine calling a routine that writes a selected table writes it too: until nothing changes.
  for (bool more = true; more;) {
    more = false;
    for (auto& routine : routines) {
      if (routine.found || !mentions(routine.body)) continue;
      routine.found = more = true;
      out.routines.push_back(routine.name);
      names.push_back(core::to_lower(routine.name.table));
    }
  }
  for (const auto& row : connection.rows("SELECT EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE, ACTION_STATEMENT FROM "
                                         "information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA NOT IN " + system)) {
    if (row.size() != 3 || !row[0] || !row[1] || !mentions(row[2])) continue;
    pitr::TableName table{*row[0], *row[1]};
    if (std::find(out.triggered.begin(), out.triggered.end(), table) == out.triggered.end()) out.triggered.push_back(table);
  }
  return out;
}

SwapResult swap_tables(mysql::Connection& connection, const std::string& scratch, const std::string& target,
                       const std::vector<std::string>& tables) {
  SwapResult result;
  if (!mysql::database_exists(connection, target))
    connection.execute("CREATE DATABASE IF NOT EXISTS " + quote_identifier(target));
  for (const auto& table : tables) {
    if (!table_exists(connection, scratch, table)) {
      result.absent.push_back(table);
      continue;
    }
    auto triggers = take_triggers(connection, scratch, table);
    if (table_exists(connection, target, table)) {
      // One statement: the live table and the restored one trade places at once. The live one's
      // triggers go with it (same database) and are dropped with it.
      std::string old = qualified(target, swapped_out_name(table));
      connection.execute(fmt::format("RENAME TABLE {} TO {}, {} TO {}", qualified(target, table), old,
                                     qualified(scratch, table), qualified(target, table)));
      connection.execute("DROP TABLE " + old);
      result.replaced.push_back(table);
    } else {
      connection.execute(fmt::format("RENAME TABLE {} TO {}", qualified(scratch, table), qualified(target, table)));
      result.created.push_back(table);
    }
    create_triggers(connection, triggers, scratch, target);
    result.triggers += triggers.size();
  }
  connection.execute("DROP DATABASE IF EXISTS " + quote_identifier(scratch));
  return result;
}

}  // namespace mysqlpitr::commands
