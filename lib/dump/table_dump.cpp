#include "dump/table_dump.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "dump/sql_text.hpp"
#include "dump/table_rows.hpp"

namespace mysqlpitr::dump {
namespace {

using mysql::quote_identifier;

TableContent dump_rows(mysql::Connection& c, const std::string& database, const TableInfo& table,
                       const TableDumpOptions& options, io::CompressedWriter& out, TableCounters& counters) {
  TableContent content;
  auto query = select_table_rows(c, database, table.name);
  if (!query) return content;
  const std::string prefix = insert_prefix(table.name, query->names);
  out.write(table_data_comment(table.name));
  out.write(fmt::format("/*!40000 ALTER TABLE {} DISABLE KEYS */;\n", quote_identifier(table.name)));
  std::string& buffer = out.buffer();  // the writer swaps its contents, never the object
  unsigned long long rows = 0;
  size_t statement_bytes = 0;
  unsigned long long unreported_bytes = 0;
  bool open = false;
  while (auto row = query->result.next()) {
    size_t before = buffer.size();
    if (!open) {
      buffer += prefix;
      open = true;
    } else {
      buffer += ',';
    }
    size_t row_start = buffer.size();
    append_row(buffer, query->kinds, *row);
    content.digest.add(std::string_view(buffer).substr(row_start));
    statement_bytes += buffer.size() - before;
    unreported_bytes += buffer.size() - before;
    if (statement_bytes >= options.max_statement_bytes) {
      buffer += ";\n";
      open = false;
      statement_bytes = 0;
    }
    if ((++rows & 1023) == 0) {
      counters.rows.fetch_add(1024, std::memory_order_relaxed);
      counters.bytes.fetch_add(unreported_bytes, std::memory_order_relaxed);
      unreported_bytes = 0;
    }
    out.maybe_flush();
  }
  counters.rows.fetch_add(rows & 1023, std::memory_order_relaxed);
  counters.bytes.fetch_add(unreported_bytes, std::memory_order_relaxed);
  if (open) buffer += ";\n";
  out.write(fmt::format("/*!40000 ALTER TABLE {} ENABLE KEYS */;\n\n", quote_identifier(table.name)));
  content.rows = rows;
  return content;
}

// A MariaDB sequence: its definition, then its current value (mysqldump writes the same SETVAL).
void dump_sequence_value(mysql::Connection& c, const std::string& database, const TableInfo& table,
                         io::CompressedWriter& out) {
  auto next = c.scalar("SELECT next_not_cached_value FROM " + quote_identifier(database) + "." +
                       quote_identifier(table.name));
  if (next) out.write(fmt::format("DO SETVAL({}, {}, 0);\n\n", quote_identifier(table.name), *next));
}

}  // namespace

TableContent dump_table(mysql::Connection& c, const std::string& database, const TableInfo& table,
                        const TableDumpOptions& options, io::CompressedWriter& out, TableCounters& counters) {
  return with_context(fmt::format("table {}.{}", quote_identifier(database), quote_identifier(table.name)), [&] {
    out.write(table_structure(table.name, show_create_table(c, database, table.name)));
    TableContent content;
    if (table.is_sequence) {
      if (options.with_data) dump_sequence_value(c, database, table, out);
      return content;
    }
    if (options.with_data) content = dump_rows(c, database, table, options, out, counters);
    for (const StoredObject& trigger : table_triggers(c, database, table.name)) out.write(stored_object(trigger));
    return content;
  });
}

void dump_database_objects(mysql::Connection& c, const std::string& database, const std::vector<TableInfo>& tables,
                           io::CompressedWriter& out) {
  with_context("objects of " + quote_identifier(database), [&] {
    std::vector<StoredObject> views;
    for (const TableInfo& table : tables) {
      if (!table.is_view) continue;
      out.write(view_placeholder(table.name, view_columns(c, database, table.name)));
      views.push_back(show_create_view(c, database, table.name));
    }
    for (const StoredObject& event : events(c, database)) out.write(stored_object(event));
    for (const StoredObject& routine : routines(c, database)) out.write(stored_object(routine));
    for (const StoredObject& view : views) out.write(final_view(view));
  });
}

}  // namespace mysqlpitr::dump
