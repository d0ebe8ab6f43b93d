#include "dump/assemble.hpp"

#include <ctime>

#include "catalog/bucket_record.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "dump/manifest.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::dump {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The tables' segments then the stored objects; returns how many tables were added.
unsigned add_database_body(OutputAssembler& out, const DatabaseOutput& output) {
  unsigned tables = 0;
  for (const auto& segment : output.segments)
    if (segment) {
      out.add_segment(*segment);
      ++tables;
    }
  out.add_segment(*output.objects);
  return tables;
}

std::string file_name_of(const DumpedFile& file) { return file.path.substr(file.path.rfind('/') + 1); }

void take_finished(DumpedFile& file, OutputAssembler& out) {
  out.add_text(file_footer(core::format_datetime(std::time(nullptr))));
  FinishedFile finished = out.finish();
  file.path = finished.path;
  file.size = finished.size;
  file.sha256 = finished.sha256;
}

}  // namespace

FileAssembler::FileAssembler(const DumpRequest& request, const DumpPlan& plan, std::optional<Coordinates> coordinates)
    : request_(request), plan_(plan), coordinates_(std::move(coordinates)),
      target_(request.destination ? request.destination : storage::open_posix(request.folder)) {}

std::string FileAssembler::header(const std::string& database) const {
  HeaderInfo info;
  info.tool_version = request_.tool_version;
  info.server_description = request_.connection.describe();
  info.database = database;
  info.server_version = plan_.facts.version;
  if (plan_.kind == DumpKind::pitr_base) info.coordinates = coordinates_;
  return file_header(info);
}

nlohmann::json FileAssembler::manifest_json(const DumpedFile& file, const std::vector<std::string>& databases) const {
  nlohmann::json entry = {
      {"kind", kind_name(plan_.kind)},
      {"size", file.size},
      {"sha256", file.sha256},
      {"compression", io::compression_name(plan_.compression)},
      {"sql_bytes", file.sql_bytes},
      {"databases", databases},
      {"tables", file.tables},
      {"rows", file.rows},
      {"seconds", file.seconds},
      {"server_version", plan_.facts.version},
      {"completed_at", core::format_datetime(std::time(nullptr))},
  };
  if (request_.encryption_key) entry["encryption_key_id"] = crypto::key_id_text(request_.encryption_key->id());
  if (coordinates_) {
    entry["binlog_file"] = coordinates_->file;
    entry["binlog_position"] = coordinates_->position;
    if (!coordinates_->gtid.empty()) entry["gtid"] = coordinates_->gtid;
  }
  return entry;
}

OutputAssembler FileAssembler::open_output(const std::string& name) const {
  if (!request_.destination) catalog::path_in_folder(request_.folder, name);  // refuses a name the folder cannot hold
  return OutputAssembler(target_->create(name), target_->describe(name), plan_.compression, request_.level,
                         request_.encryption_key);
}

void FileAssembler::publish(OutputAssembler& out, const DumpedFile& file, const std::vector<std::string>& databases,
                            const nlohmann::json& extra) {
  nlohmann::json entry = manifest_json(file, databases);
  if (extra.is_object()) entry.update(extra);
  if (request_.destination) publish_object(out, file, entry);
  else {
    std::lock_guard lock(manifest_mutex_);
    publish_recorded(request_.folder, file_name_of(file), entry, [&] { return out.publish_object(); });
  }
  if (plan_.kind == DumpKind::pitr_base) remove_other_base(file);
}

// A database has one PITR base, but its name differs when encrypted (".enc"): the one just written
// replaces the other, which would otherwise be read by whoever prefers its name.
void FileAssembler::remove_other_base(const DumpedFile& file) {
  const std::string other = catalog::other_pitr_base_name(file_name_of(file));
  if (request_.destination) {
    target_->remove(other);
    catalog::remove_record(*target_, other);
  } else if (target_->stat(other)) {
    target_->remove(other);  // a regular file only: a link is never followed
  }
}

// The object is whole under its key once published; what the storage received must be what was
// hashed here, and its record (the manifest entry's twin) describes it whatever fails on the way.
void FileAssembler::publish_object(OutputAssembler& out, const DumpedFile& file, const nlohmann::json& entry) {
  catalog::publish_recorded(*request_.destination, file_name_of(file), entry, [&] { return out.publish_object(); });
}

std::unique_ptr<OutputAssembler> FileAssembler::open_database_file(const DatabasePlan& database) const {
  return with_context("writing " + database.file_name, [&] {
    auto out = std::unique_ptr<OutputAssembler>(new OutputAssembler(open_output(database.file_name)));
    out->add_text(header(database.name) + database_head(database.name, database.create_sql));
    return out;
  });
}

DumpedFile FileAssembler::finish_database_file(const DatabasePlan& database, const DatabaseOutput& output,
                                               OutputAssembler& out) {
  return with_context("writing " + database.file_name, [&] {
    DumpedFile file;
    for (const auto& segment : output.segments)
      if (segment) ++file.tables;
    take_finished(file, out);
    file.database = database.name;
    file.rows = output.rows;
    file.sql_bytes = output.sql_bytes;
    file.seconds = seconds_since(output.started);
    publish(out, file, {database.name},
            {{"table_rows", output.table_rows}, {"table_digests", output.table_digests}});
    return file;
  });
}

DumpedFile FileAssembler::database_file(const DatabasePlan& database, const DatabaseOutput& output) {
  auto out = open_database_file(database);
  with_context("writing " + database.file_name, [&] { add_database_body(*out, output); });
  return finish_database_file(database, output, *out);
}

DumpedFile FileAssembler::schema_file(const std::vector<DatabaseOutput>& outputs,
                                      std::chrono::steady_clock::time_point started) {
  if (!plan_.schema_file_error.empty()) throw failure("{}", plan_.schema_file_error);
  std::vector<std::string> names;
  for (const DatabasePlan& database : plan_.databases) names.push_back(database.name);
  return with_context("writing " + plan_.schema_file_name, [&] {
    OutputAssembler out = open_output(plan_.schema_file_name);
    out.add_text(header(""));
    DumpedFile file;
    for (size_t d = 0; d < plan_.databases.size(); ++d) {
      out.add_text(database_head(plan_.databases[d].name, plan_.databases[d].create_sql));
      file.tables += add_database_body(out, outputs[d]);
      file.sql_bytes += outputs[d].sql_bytes;
    }
    take_finished(file, out);
    file.seconds = seconds_since(started);
    publish(out, file, names);
    return file;
  });
}

}  // namespace mysqlpitr::dump
