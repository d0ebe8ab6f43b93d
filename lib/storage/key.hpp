#pragma once
// Rules every key obeys, whatever the driver: relative, '/'-separated, no empty, "." or ".."
// segment, no NUL. A key breaking them is a bug of the caller, refused before it reaches a disk or
// a bucket (a ".." would leave the root folder).
#include <string>

namespace mysqlpitr::storage {

void check_key(const std::string& key);
// A listing prefix may be empty or end with '/'; otherwise it follows the key rules.
void check_prefix(const std::string& prefix);
// A folder for list_level: empty (the root) or a key followed by '/'.
void check_folder(const std::string& folder);

}  // namespace mysqlpitr::storage
