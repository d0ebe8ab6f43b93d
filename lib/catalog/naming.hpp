#pragma once
// The file and folder names the old scripts left on disk (LEGACY.md), kept exactly:
//   historical  <db>-back_<date>.sql.gz   (.sql.zst / .sql for other compressions of ours)
//   schema      back-no-data_<date>.sql.gz
//   PITR base   <db>-back.sql
//   MongoDB     backup_<date>/
// A name that does not match its pattern is never touched by prune.
#include <ctime>
#include <optional>
#include <string>

namespace mysqlpitr::catalog {

enum class BackupKind { historical, schema, pitr_base, mongo };
const char* kind_name(BackupKind kind);

// Run-lock scopes (io::RunLock): every command that writes, deletes or must not see replaced the
// files of one kind takes the same scope, so spelling it in one place keeps them excluding each other.
inline std::string lock_scope(BackupKind kind) { return kind_name(kind); }
inline constexpr const char* kBinlogArchiveLockScope = "binlogs";
// Held shared by the restores reading a kind's files and exclusively by prune, which deletes them
// (io::RunLock::share): writers of new backups take the scopes above and never wait for a restore.
inline std::string read_lock_scope(BackupKind kind) { return std::string("read-") + kind_name(kind); }
inline constexpr const char* kBinlogArchiveReadLockScope = "read-binlogs";

struct ParsedName {
  BackupKind kind;
  std::string database;   // empty for schema and mongo
  std::string date_text;  // the part between the prefix and the extension
  std::optional<std::time_t> time;  // when date_text parses with the configured format
  std::string extension;  // ".sql.gz", ".sql.zst", ".sql" or "" for folders
};

// Each returns nullopt when the name is not of that kind.
std::optional<ParsedName> parse_historical_name(const std::string& name, const std::string& date_format);
std::optional<ParsedName> parse_schema_name(const std::string& name, const std::string& date_format);
std::optional<ParsedName> parse_pitr_base_name(const std::string& name);
std::optional<ParsedName> parse_mongo_folder_name(const std::string& name, const std::string& date_format);

// Names the tool writes.
std::string historical_name(const std::string& database, const std::string& date_text, const std::string& extension);
std::string schema_name(const std::string& date_text, const std::string& extension);
std::string pitr_base_name(const std::string& database);
std::string mongo_folder_name(const std::string& date_text);

// Whether a name is one of the tool's own temporary or bookkeeping files (".x.partial-...",
// ".mysqlpitr*"), which listings skip.
bool is_internal_name(const std::string& name);

// The final name a temporary one was written for: ".<final>.partial-XXXXXX" (io::AtomicFile),
// ".<final>.<n>-<m>.partial-XXXXXX" (one table's spool of a dump) or ".<final>.partial" (a
// MongoDB dump folder); nullopt for any other name.
std::optional<std::string> unfinished_target(const std::string& name);

}  // namespace mysqlpitr::catalog
