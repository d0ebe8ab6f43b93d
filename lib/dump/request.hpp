#pragma once
// What a backup run is asked for and what it reports: the values shared by the dump's plan, its
// executor and their callers.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/naming.hpp"
#include "crypto/key.hpp"
#include "dump/sql_text.hpp"
#include "io/input_stream.hpp"
#include "mysql/connection.hpp"
#include "storage/storage.hpp"

namespace mysqlpitr::dump {

// The catalog's kinds (historical, schema, pitr_base) and names: catalog/naming.hpp is their one home.
using DumpKind = catalog::BackupKind;
using catalog::kind_name;

struct DumpRequest {
  DumpKind kind = DumpKind::historical;
  mysql::ConnectionOptions connection;
  std::vector<std::string> databases;  // empty: every database not in `exclude`
  std::vector<std::string> exclude;
  std::string folder;
  // Set (repository.mode s3): each final file is streamed into this storage under its name,
  // published there only when whole and recorded there (catalog/bucket_record.hpp) instead of in
  // the folder's manifest; `folder` then holds only the workers' temporary segments.
  std::shared_ptr<storage::Storage> destination;
  // With a destination: each database's file is streamed while its tables are dumped, and the
  // tables waiting for their turn spool at most this many compressed bytes in all, their writers
  // waiting beyond it (0: each file is put together once its database is dumped, the spool
  // holding all of it). Tables read under the global read lock neither wait nor count.
  unsigned long long spool_limit = 0;
  std::string date_text;  // the date as it appears in file names
  io::Compression compression = io::Compression::gzip;  // PITR bases are always uncompressed
  int level = 6;
  unsigned jobs = 2;
  size_t max_statement_bytes = 1 << 20;
  // Set: every file is encrypted with it (crypto::EncryptingSink) and named with ".enc".
  const crypto::Key* encryption_key = nullptr;
  std::string tool_version;
};

struct DumpedFile {
  std::string path;
  std::string database;  // empty for the schema file
  unsigned long long size = 0;
  unsigned long long sql_bytes = 0;
  std::string sha256;
  unsigned tables = 0;
  unsigned long long rows = 0;
  double seconds = 0;
};

struct DumpFailure {
  std::string database;
  std::string message;
};

struct DumpProgress {
  unsigned tables_done = 0;
  unsigned tables_total = 0;
  unsigned long long rows = 0;
  unsigned long long sql_bytes = 0;
  double seconds = 0;
};

struct DumpReport {
  DumpKind kind = DumpKind::historical;
  std::string server_version;
  std::optional<Coordinates> coordinates;
  std::vector<DumpedFile> files;
  std::vector<DumpFailure> failures;
  std::vector<std::string> non_transactional;  // `db`.`table` dumped while the read lock was held
  double lock_seconds = 0;                     // how long writes were blocked
  double seconds = 0;
};

using ProgressCallback = std::function<void(const DumpProgress&)>;

}  // namespace mysqlpitr::dump
