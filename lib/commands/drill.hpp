#pragma once
// `verify --drill [--db NAME]...`: a restore rehearsal. The newest historical dump of each
// database (local, else in modes s3/both the bucket's) is restored into a scratch database on the same server, compared with what the
// dump's manifest recorded at dump time (rows and their fingerprints per table, dump/row_digest.hpp;
// older manifests: rows per table, or the total rows), and
// the scratch database dropped, also when anything fails. With --pitr, each database is also
// restored from its PITR base and the binlogs into a second scratch database and compared with the
// live database at the same binlog position (drill_pitr.hpp). The per database outcome is kept in
// the job's result ("drill") and shown by `status`.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/command.hpp"

namespace mysqlpitr::commands {

struct DrillOptions {
  bool requested = false;               // --drill
  std::vector<std::string> databases;   // --db
  bool pitr = false;                    // --pitr
  bool dry_run = false;
};

class DrillPlan : public Plan {
 public:
  struct Item {
    std::string database;
    std::string dump;     // newest historical dump; empty: none found
    std::string scratch;  // the scratch database it is restored into
    std::string pitr_scratch;  // --pitr: the scratch database of the PITR restore
    nlohmann::json manifest;  // its manifest entry; null when it has none (a legacy dump)
  };
  std::vector<Item> items;
  std::string server;  // drill.server; empty: the configured server

  std::string text() const override;
  nlohmann::json json() const override;
  std::string dry_run_note() const override { return "dry run: nothing restored"; }
};

Command drill_command(const DrillOptions& options);

}  // namespace mysqlpitr::commands
