#pragma once
// The last step of a backup run: what the workers wrote for a database (or for every database,
// for the structure file) concatenated under a header and a footer into the final file, which is
// published under its name and recorded, one file at a time: in the folder's manifest
// (dump/manifest.hpp), or by its record in a bucket (catalog/bucket_record.hpp).
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dump/output.hpp"
#include "dump/plan.hpp"

namespace mysqlpitr::dump {

// What the workers produced for one database.
struct DatabaseOutput {
  std::vector<std::unique_ptr<Segment>> segments;  // per table, as in DatabasePlan::tables (null for views)
  std::unique_ptr<Segment> objects;
  unsigned long long rows = 0;
  // Rows written per table, recorded in the manifest ("table_rows") for `verify --drill` to compare
  // a restore against.
  std::map<std::string, unsigned long long> table_rows;
  // And their fingerprints (row_digest.hpp, "table_digests"), which a changed value changes.
  std::map<std::string, std::string> table_digests;
  unsigned long long sql_bytes = 0;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  bool started_set = false;
  void discard() {  // removes the spools
    segments.clear();
    objects.reset();
  }
};

class FileAssembler {
 public:
  // `coordinates`: the snapshot's, recorded in the manifest (and, for a PITR base, in the header).
  FileAssembler(const DumpRequest& request, const DumpPlan& plan, std::optional<Coordinates> coordinates);

  DumpedFile database_file(const DatabasePlan& database, const DatabaseOutput& output);
  // The same in two steps, for a file streamed while its tables are dumped (database_stream.hpp):
  // opened with its header, then finished (footer, publish, record) once every segment is in.
  std::unique_ptr<OutputAssembler> open_database_file(const DatabasePlan& database) const;
  DumpedFile finish_database_file(const DatabasePlan& database, const DatabaseOutput& output, OutputAssembler& out);
  // The structure file of every database; throws when it cannot be written under its name.
  DumpedFile schema_file(const std::vector<DatabaseOutput>& outputs, std::chrono::steady_clock::time_point started);

 private:
  std::string header(const std::string& database) const;
  nlohmann::json manifest_json(const DumpedFile& file, const std::vector<std::string>& databases) const;
  OutputAssembler open_output(const std::string& name) const;
  // `extra`: more fields for the file's manifest entry (or bucket record).
  void publish(OutputAssembler& out, const DumpedFile& file, const std::vector<std::string>& databases,
               const nlohmann::json& extra = nullptr);
  void publish_object(OutputAssembler& out, const DumpedFile& file, const nlohmann::json& entry);
  void remove_other_base(const DumpedFile& file);

  const DumpRequest& request_;
  const DumpPlan& plan_;
  std::optional<Coordinates> coordinates_;
  // Where the files go: the request's destination, or the posix storage of its folder.
  std::shared_ptr<storage::Storage> target_;
  std::mutex manifest_mutex_;  // the manifest is rewritten by one file at a time
};

}  // namespace mysqlpitr::dump
