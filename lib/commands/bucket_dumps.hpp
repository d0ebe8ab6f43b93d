#pragma once
// Historical and schema dumps in the S3 repository (repository.mode s3 or both). The dump is
// written and published locally as in mode local (the configured folder is the spool in mode s3),
// then the same file is uploaded to <s3.prefix>/<kind>/<legacy name>, its SHA-256 and size checked
// against the local manifest's entry, and its bucket record (catalog/bucket_record.hpp) written.
// Mode s3 then removes the local file and its manifest entry: one file's room is needed locally.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/naming.hpp"
#include "commands/backup.hpp"
#include "commands/context.hpp"

namespace mysqlpitr::commands {

// Whether this slice of the repository handles the kind (historical and schema dumps).
bool bucket_dump_kind(catalog::BackupKind kind);

// Where each file of the plan goes in the bucket (its s3:// URL), empty in mode local.
std::vector<std::string> bucket_plan_urls(const config::Settings& settings, const DumpPlan& plan);

// The dry run's lines for the bucket copies of the plan's files ("" in mode local).
std::string bucket_plan_text(const DumpPlan& plan);

// Uploads, checks and records each written file of the report; a failure is an error of the
// report (exit 1) naming the object, and the local file stays.
void store_dumps_in_bucket(Context& context, const DumpPlan& plan, Report& report);

}  // namespace mysqlpitr::commands
