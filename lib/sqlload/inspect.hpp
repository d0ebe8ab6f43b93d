#pragma once
// Reads a dump from end to end before anything is touched: the compression stream must be whole,
// every quote and comment closed, and the completion marker present when the dump's producer
// writes one (mysqldump/mariadb-dump with comments on, and mysqlpitr, end with
// "-- Dump completed on ..."). Also learns what the load will do: databases dropped, created and
// used, and how many tables and objects it holds, for the plan shown before confirmation.
#include <string>
#include <vector>

#include "io/input_stream.hpp"
#include "sqlload/dump_reader.hpp"
#include "sqlload/loader.hpp"

namespace mysqlpitr::sqlload {

struct DumpInspection {
  std::string path;
  io::Compression compression = io::Compression::none;
  unsigned long long file_size = 0;
  unsigned long long sql_bytes = 0;
  std::string sha256;  // of the file as stored, when asked for: computed in the same pass
  unsigned long long statements = 0;
  unsigned long long data_statements = 0;
  std::string producer;        // "MariaDB dump 10.19 ...", "MySQL dump ...", "mysqlpitr ..." or ""
  bool marker_expected = false;
  bool marker_found = false;
  std::string completed_on;    // the date after "Dump completed on", when present
  std::vector<std::string> created;  // CREATE DATABASE, in file order
  std::vector<std::string> dropped;  // DROP DATABASE
  std::vector<std::string> used;     // USE
  // Objects are counted by name: mysqldump creates a stand-in for each view before its final form.
  std::vector<std::string> table_names;  // CREATE TABLE, in file order (unqualified)
  unsigned long long tables = 0, views = 0, procedures = 0, functions = 0, triggers = 0, events = 0;

  // Every database the dump selects or creates, once, in file order.
  std::vector<std::string> databases() const;
};

// Throws mysqlpitr::Error (exit code 1) naming the file and the problem when the file is not
// good: broken or truncated compression, input ending inside a string or comment, missing
// completion marker. `with_sha256` hashes the stored bytes in the same pass (for the record).
// The source (a file's or an object's, through the storage layer) has `file_size` stored bytes.
DumpInspection inspect_dump(const DumpSource& source, unsigned long long file_size,
                            const ProgressFunction& progress = {}, bool with_sha256 = false);

}  // namespace mysqlpitr::sqlload
