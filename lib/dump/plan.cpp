#include "dump/plan.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace mysqlpitr::dump {

namespace {

// The file name of a database's dump (the schema file for ""), checked to stay in the folder.
std::string file_name(const DumpRequest& request, io::Compression compression, const std::string& database) {
  std::string name = catalog::dump_file_name(request.kind, database, request.date_text, compression,
                                             request.encryption_key != nullptr);
  catalog::path_in_folder(request.folder, name);  // throws for a name that would write elsewhere
  return name;
}

DatabasePlan read_database(mysql::Connection& control, const std::string& name, const std::vector<std::string>& present,
                           const DumpRequest& request, const DumpPlan& plan) {
  DatabasePlan database;
  database.name = name;
  if (std::find(present.begin(), present.end(), name) == present.end()) {
    database.error = "no such database on the server";
    return database;
  }
  try {
    database.create_sql = show_create_database(control, name);
    database.tables = list_tables(control, name);
    // The structure file holds every database: its name is theirs (the workers' spools are named after it).
    if (request.kind != DumpKind::schema) database.file_name = file_name(request, plan.compression, name);
    else if (plan.schema_file_error.empty()) database.file_name = plan.schema_file_name;
    else database.error = plan.schema_file_error;
  } catch (const Error& error) {
    database.error = error.what();
  }
  return database;
}

void queue_jobs(DumpPlan& plan) {
  std::vector<DumpJob> locked, free;
  for (size_t d = 0; d < plan.databases.size(); ++d) {
    const DatabasePlan& database = plan.databases[d];
    if (database.failed()) continue;
    std::vector<size_t> order;
    for (size_t t = 0; t < database.tables.size(); ++t)
      if (!database.tables[t].is_view) order.push_back(t);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return database.tables[a].estimated_rows > database.tables[b].estimated_rows;
    });
    for (size_t t : order) {
      const TableInfo& table = database.tables[t];
      bool needs_lock = plan.with_data() && !table.transactional;
      if (needs_lock)
        plan.non_transactional.push_back(mysql::quote_identifier(database.name) + "." +
                                         mysql::quote_identifier(table.name));
      (needs_lock ? locked : free).push_back(DumpJob{d, t, needs_lock});
      ++plan.tables_total;
    }
    free.push_back(DumpJob{d, std::nullopt, false});
  }
  plan.locked_jobs = locked.size();
  plan.queue = std::move(locked);
  plan.queue.insert(plan.queue.end(), free.begin(), free.end());
}

}  // namespace

DumpPlan plan_dump(mysql::Connection& control, const DumpRequest& request) {
  DumpPlan plan;
  plan.kind = request.kind;
  plan.compression = request.kind == DumpKind::pitr_base ? io::Compression::none : request.compression;
  plan.jobs = std::max(1u, request.jobs);
  plan.facts = mysql::read_server_facts(control);
  if (request.kind == DumpKind::pitr_base && !plan.facts.log_bin)
    throw precondition_error(
        "binary logging is off on the server ({}): a PITR base needs log_bin to record its coordinates",
        request.connection.describe());
  std::vector<std::string> names = request.databases;
  // Every database, mysqlpitr's own too: one named explicitly is backed up like any other.
  std::vector<std::string> present = mysql::all_databases(control);
  if (names.empty()) names = mysql::list_databases(control, request.exclude);
  if (request.kind == DumpKind::schema) {
    try {
      plan.schema_file_name = file_name(request, plan.compression, "");
    } catch (const Error& error) {
      plan.schema_file_error = error.what();
    }
  }
  for (const std::string& name : names) plan.databases.push_back(read_database(control, name, present, request, plan));
  queue_jobs(plan);
  return plan;
}

}  // namespace mysqlpitr::dump
