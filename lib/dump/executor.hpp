#pragma once
// Carrying out a dump plan: `plan.jobs` worker connections share one consistent snapshot (the
// global read lock held only until the non-transactional tables are read), take the plan's jobs
// in order, and each database's file is assembled as soon as its last job is done.
#include "dump/plan.hpp"
#include "dump/request.hpp"

namespace mysqlpitr::dump {

// Runs `plan` (read with `control`, which then takes the snapshot). Failures of single databases
// are collected in the report; errors that stop the whole run (cannot open the workers, cannot
// take the snapshot) are thrown.
DumpReport execute_dump(const DumpPlan& plan, const DumpRequest& request, mysql::Connection& control,
                        const ProgressCallback& progress = {});

}  // namespace mysqlpitr::dump
