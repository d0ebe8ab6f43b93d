#include "dump/dumper.hpp"

#include "dump/executor.hpp"
#include "dump/snapshot.hpp"

namespace mysqlpitr::dump {

DumpReport run_dump(const DumpRequest& request, const ProgressCallback& progress) {
  mysql::Connection control = mysql::Connection::open(request.connection);
  prepare_dump_session(control);
  DumpPlan plan = plan_dump(control, request);
  return execute_dump(plan, request, control, progress);
}

}  // namespace mysqlpitr::dump
