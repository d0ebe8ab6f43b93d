#pragma once
// The temporary copies rotate-binlogs leaves while archiving a binlog (".<name>.partial-XXXXXX",
// io::AtomicFile's names), told apart from everything else in the archive.
#include <optional>
#include <string>

namespace mysqlpitr::archive {

// The binlog name inside a temporary copy ".<name>.partial-XXXXXX", or nullopt.
std::optional<std::string> partial_copy_target(const std::string& name);

}  // namespace mysqlpitr::archive
