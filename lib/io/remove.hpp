#pragma once
// Deleting backups: only the named entry inside the named folder, never through a symbolic link.
#include <string>

namespace mysqlpitr::io {

// Removes the regular file `name` inside `folder`; refuses when it is no longer a regular file.
void remove_file_in(const std::string& folder, const std::string& name);

// Removes the folder `name` inside `folder` with everything below it. Symbolic links inside are
// removed as links; their targets are never touched.
void remove_tree_in(const std::string& folder, const std::string& name);

}  // namespace mysqlpitr::io
