#pragma once
// The checks a dump file must pass before anything trusts it, shared by `verify`, the restores'
// plans and prune, so that a file one of them refuses, all of them refuse:
//  - a file its folder's manifest records must be that file: the recorded size and SHA-256 (and,
//    for a PITR base, the recorded binlog coordinates). A gzip member cut out of the middle, or a
//    base whose coordinates were edited, still reads as a whole stream: only the manifest knows.
//  - a dump must hold something: a 0-byte file, or a compressed stream with nothing in it (what a
//    failed `mysqldump | gzip` leaves), is no backup of anything.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "dump/sql_text.hpp"

namespace mysqlpitr::dump {

// What was found in the file (by whichever pass read it).
struct FileFacts {
  unsigned long long size = 0;
  std::string sha256;                      // lowercase hex
  std::optional<Coordinates> coordinates;  // a PITR base's, as read from its header; compared when given
};

// The manifest entry of `path` in its folder's manifest, if it has one.
std::optional<nlohmann::json> recorded_entry(const std::string& path);

// What differs between `found` and the manifest's entry, as "size 12 differs from the manifest's 34";
// empty when they match. While a backup replaces a file of the same name, the entry also keeps the
// replaced file's entry ("replaces"): either file is then a recorded one.
std::string manifest_mismatch(const nlohmann::json& entry, const FileFacts& found);

// What is wrong with a dump that holds no SQL at all; empty when it holds some.
std::string content_problem(unsigned long long file_size, unsigned long long sql_bytes);

// Throws precondition_error (exit 5) naming the file when it holds no SQL.
void require_content(const std::string& path, unsigned long long file_size, unsigned long long sql_bytes);

}  // namespace mysqlpitr::dump
