#pragma once
// Archived binlogs in the bucket (repository.mode s3 or both): rotate-binlogs uploads a binlog to
// "binlogs/<name>" only once its local copy is verified, with a record (size, SHA-256) written
// after the object is whole. The local archive folder stays the spool in both modes: the copy is
// verified there against the server's file before anything goes to the bucket.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/manifest.hpp"
#include "archive/server_binlogs.hpp"
#include "commands/context.hpp"

namespace mysqlpitr::commands {

// Uploads every verified copy in `archive_folder` (as `manifest` records them) that the bucket does
// not already hold with its record, not only this run's: a binlog whose upload failed once is
// uploaded by the next run, even after the server purged it. Nothing in local mode. A failed upload
// is an error in the report (exit 1) naming the object; the local copy stays.
nlohmann::json upload_archived_binlogs(Context& context, const std::string& archive_folder,
                                       const archive::Manifest& manifest, Report& report);

// Mode s3: the local archive is only the spool of rotate-binlogs. Each binlog the bucket holds with
// its record (`bucket`: upload_archived_binlogs' report, "uploaded" and "in_bucket") that the server
// no longer holds is removed from `archive_folder`, oldest first and only while every older one went
// too (the local archive stays one run of consecutive files); one the server still holds stays, or
// the next rotation would copy it again. Readers (restore-pitr, --flashback, list, verify, status) take the
// removed ones from the bucket. The caller holds the archive's read lock exclusively. Returns the
// names removed; a failed removal is an error of the report.
nlohmann::json release_uploaded_binlogs(Context& context, const std::string& archive_folder,
                                        const nlohmann::json& bucket, const archive::ServerBinlogs& server,
                                        Report& report);

// `list binlogs` in modes s3/both: the binlogs in the bucket, newest first, each with its size and
// whether it has a record ({"location", "binlogs": [...]}); null in local mode.
nlohmann::json list_bucket_binlogs(Context& context);
std::string bucket_binlogs_text(const nlohmann::json& listing);

}  // namespace mysqlpitr::commands
