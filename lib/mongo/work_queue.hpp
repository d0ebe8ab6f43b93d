#pragma once
// The worker pool lives in io/ (verify uses it too); mongo's callers keep their short name.
#include "io/work_queue.hpp"

namespace mysqlpitr::mongo {
using io::run_parallel;
}  // namespace mysqlpitr::mongo
