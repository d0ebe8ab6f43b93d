#pragma once
// A backup run: every database's tables read from one consistent snapshot shared by `jobs`
// connections, written by parallel workers into compressed segments, assembled into files with
// the legacy names, each recorded in the folder's manifest once it is whole. The run is a plan
// (dump/plan.hpp: what will be written) carried out by its executor (dump/executor.hpp).
#include "dump/plan.hpp"
#include "dump/request.hpp"

namespace mysqlpitr::dump {

// Runs the dump. Failures of single databases are collected in the report; errors that stop the
// whole run (cannot connect, cannot take the snapshot) are thrown.
DumpReport run_dump(const DumpRequest& request, const ProgressCallback& progress = {});

}  // namespace mysqlpitr::dump
