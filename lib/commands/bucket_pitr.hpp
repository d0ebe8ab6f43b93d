#pragma once
// PITR bases and archived binlogs between the local folders and the bucket (repository.mode s3 or
// both): a new base uploaded with its manifest entry (coordinates included) as its record, and
// before a restore-pitr plans, what only the bucket holds brought into the local folders.
#include <string>

#include "commands/context.hpp"

namespace mysqlpitr::commands {

// After `backup --kind pitr-base`: each base in report.data["backups"] (written into `folder`)
// uploaded to pitr-base/<name> and checked; mode s3 then removes the local file (the folder is the
// spool). A failed upload is an error naming the object; the local file stays.
void upload_pitr_bases(Context& context, const std::string& folder, Report& report);

// Before restore-pitr plans, in modes s3/both: the base of `database` (when the local folder has
// none) and every archived binlog the local archive lacks, downloaded from the bucket into
// paths.pitr_base and paths.binlog_archive and checked against their records, so the plan, the gap
// check and the replay read them there (the local folders are the spool). Returns what was fetched.
std::vector<std::string> fetch_pitr_chain(Context& context, const std::string& database);

}  // namespace mysqlpitr::commands
