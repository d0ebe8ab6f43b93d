#pragma once
// The file and folder names the old scripts left on disk (LEGACY.md), kept exactly:
//   historical  <db>-back_<date>.sql.gz   (.sql.zst / .sql for other compressions of ours)
//   schema      back-no-data_<date>.sql.gz
//   PITR base   <db>-back.sql
//   MongoDB     backup_<date>/
// An encrypted file (crypto/) keeps its name plus ".enc", which no old script's glob matches.
// A name that does not match its pattern is never touched by prune.
//
// A database name is put into a file name as it is, byte for byte, unless it holds bytes that could
// leave the folder or make the name mean something else: those bytes are written %XX (upper-case
// hex), as mongodump does for collection names, so the name is reversible and every database can be
// backed up, listed and restored. Encoded: '/', '%', control bytes (0x01-0x1F, 0x7F), a leading '.'
// (".", "..", hidden and temporary names), a trailing ' ', and the 'b' of a name starting with
// "back-no-data_" (it would read as a schema dump). "-back_" inside a name is kept (the old scripts
// wrote it so): a historical name's database ends at the last "-back_" after which the date parses.
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "io/compressed_writer.hpp"

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
  bool encrypted = false;  // the name ends in kEncryptedSuffix (after the extension)
};

inline constexpr std::string_view kEncryptedSuffix = ".enc";
// `name` + ".enc" when `encrypted`.
std::string with_encryption_suffix(std::string name, bool encrypted);
// The name without a trailing ".enc" (and whether it had one).
std::pair<std::string, bool> without_encryption_suffix(const std::string& name);

// Each returns nullopt when the name is not of that kind; each accepts the ".enc" of an encrypted file.
std::optional<ParsedName> parse_historical_name(const std::string& name, const std::string& date_format);
std::optional<ParsedName> parse_schema_name(const std::string& name, const std::string& date_format);
std::optional<ParsedName> parse_pitr_base_name(const std::string& name);
std::optional<ParsedName> parse_mongo_folder_name(const std::string& name, const std::string& date_format);

// A database name as it appears in file names, and back. decode_database_name() decodes only what
// encode_database_name() writes (upper-case %XX of exactly the bytes it encodes): any other text,
// such as a legacy file of a database whose own name holds a '%', is the name as it stands.
std::string encode_database_name(std::string_view database);
std::string decode_database_name(std::string_view text);

// Room a final name must leave for the temporary names written beside it
// (".<name>.<n>-<m>.partial-XXXXXX").
inline constexpr std::size_t kTemporaryNameReserve = 32;

// `folder`/`name` after checking that `name` is one plain entry of `folder` (not empty, no '/',
// not "." or "..", no NUL byte) that fits the file system's 255-byte limit with its temporary
// names. The last defence of every writer against a name that would write elsewhere.
std::string path_in_folder(const std::string& folder, const std::string& name);

// Names the tool writes (the database encoded as above).
std::string historical_name(const std::string& database, const std::string& date_text, const std::string& extension);
std::string schema_name(const std::string& date_text, const std::string& extension);
std::string pitr_base_name(const std::string& database, bool encrypted = false);
// A database has one PITR base, named differently when encrypted: the other name of base file `name`.
std::string other_pitr_base_name(const std::string& name);
std::string mongo_folder_name(const std::string& date_text);
// The dump file of a MySQL kind (historical, schema or pitr-base); `database` is ignored for schema.
std::string dump_file_name(BackupKind kind, const std::string& database, const std::string& date_text,
                           io::Compression compression, bool encrypted = false);
// The PITR base of `database` in `folder`: its own name (or its encrypted one, ".enc", when that
// exists and is the newer), or a legacy script's unencoded name when only that exists (a database
// whose name holds '%' or ends in a space).
std::string pitr_base_path(const std::string& folder, const std::string& database);

// Whether a name is one of the tool's own temporary or bookkeeping files (".x.partial-...",
// ".mysqlpitr*"), which listings skip.
bool is_internal_name(const std::string& name);

// The final name a temporary one was written for: ".<final>.partial-XXXXXX" (io::AtomicFile),
// ".<final>.<n>-<m>.partial-XXXXXX" (one table's spool of a dump) or ".<final>.partial" (a
// MongoDB dump folder); nullopt for any other name.
std::optional<std::string> unfinished_target(const std::string& name);

}  // namespace mysqlpitr::catalog
