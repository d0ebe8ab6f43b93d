#pragma once
// Deleting backups: only the named entry inside the named folder, never through a symbolic link
// below that folder (the folder itself, configured by the operator, may be a link to a folder).
// The name may hold folders ("db/c.bson"), none of them a link.
#include <string>

namespace mysqlpitr::io {

// Removes the regular file `path` inside `folder`; refuses when it is no longer a regular file.
void remove_file_in(const std::string& folder, const std::string& path);

// Removes the folder `path` inside `folder` with everything below it. Symbolic links inside are
// removed as links; their targets are never touched.
void remove_tree_in(const std::string& folder, const std::string& path);

}  // namespace mysqlpitr::io
