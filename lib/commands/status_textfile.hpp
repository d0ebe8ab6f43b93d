#pragma once
// The status facts in the Prometheus text exposition format, for node_exporter's textfile
// collector: `status --prometheus FILE`, and monitoring.textfile rewritten at every job's end.
#include <string>

#include "commands/context.hpp"
#include "commands/status_facts.hpp"

namespace mysqlpitr::commands {

std::string prometheus_text(const StatusFacts& facts);

// Writes prometheus_text(facts) to `path` atomically (a scrape never reads half a file).
void write_prometheus_file(const std::string& path, const StatusFacts& facts);

// Gathers the facts and rewrites monitoring.textfile (the runner calls it after each job).
void update_status_textfile(Context& context);

}  // namespace mysqlpitr::commands
