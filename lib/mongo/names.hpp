#pragma once
// How mongodump turns a collection name into a file name, and back (facts from mongo-tools:
// mongodump/prepare.go outputPath, mongorestore/filepath.go getInfoFromFile):
//  - the name is escaped like Go's url.QueryEscape: A-Z a-z 0-9 - _ . ~ kept, ' ' -> '+',
//    every other byte -> %XX (upper-case hex);
//  - an escaped name longer than 238 bytes (so that "<name>.metadata.json.gz" fits in 255) becomes
//    its first 208 bytes + "%24" + unpadded base64url(SHA-1(name)): exactly 238 bytes;
//  - mongorestore recognises such a stem (238 bytes and containing "%24") and takes the real
//    name from the metadata file's collectionName.
#include <optional>
#include <string>
#include <string_view>

namespace mysqlpitr::mongo {

inline constexpr std::size_t max_escaped_name = 238;
inline constexpr std::size_t truncated_prefix = 208;
// An encrypted dump's files end in ".enc" (byte_file.hpp): their stems leave room for it, by the
// same rule with both lengths 4 bytes shorter.
inline constexpr std::size_t encrypted_name_reserve = 4;

std::string query_escape(std::string_view name);
// nullopt when `text` holds a malformed %-sequence.
std::optional<std::string> query_unescape(std::string_view text);

// File stem ("<stem>.bson", "<stem>.metadata.json") that mongodump gives collection `name`
// (`reserve` bytes shorter for an encrypted dump).
std::string collection_file_stem(std::string_view name, std::size_t reserve = 0);
// True when a stem can only be resolved through the metadata's collectionName.
bool is_truncated_stem(std::string_view stem, std::size_t reserve = 0);

// Databases never included unless named: admin, config, local.
bool is_system_database(std::string_view database);

}  // namespace mysqlpitr::mongo
