#pragma once
// One table's section of a dump: structure, rows as extended INSERTs of bounded size, triggers.
#include <atomic>
#include <string>

#include "dump/row_digest.hpp"
#include "dump/schema.hpp"
#include "io/compressed_writer.hpp"
#include "mysql/connection.hpp"

namespace mysqlpitr::dump {

struct TableDumpOptions {
  bool with_data = true;
  size_t max_statement_bytes = 1 << 20;  // an INSERT ends once it passes this size
};

struct TableCounters {
  std::atomic<unsigned long long> rows{0};
  std::atomic<unsigned long long> bytes{0};  // SQL text of rows formatted so far
};

// Writes the section of `table` to `out`; returns its rows written and their fingerprint.
TableContent dump_table(mysql::Connection& connection, const std::string& database, const TableInfo& table,
                        const TableDumpOptions& options, io::CompressedWriter& out, TableCounters& counters);

// Placeholders for every view, events, routines, then the final views: the end of a database.
void dump_database_objects(mysql::Connection& connection, const std::string& database,
                           const std::vector<TableInfo>& tables, io::CompressedWriter& out);

}  // namespace mysqlpitr::dump
