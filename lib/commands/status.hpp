#pragma once
// `mysqlpitr status`: am I protected right now? A listing (commands/runner.hpp) of the facts of
// status_facts.hpp: exit 0 when all is within the thresholds, 6 on a warning, 7 when critical.
#include <string>

#include "commands/command.hpp"
#include "commands/status_facts.hpp"

namespace mysqlpitr::commands {

struct StatusOptions {
  std::string prometheus;  // --prometheus FILE: also write the facts there (Prometheus text format)
};

class StatusReport : public Plan {
 public:
  StatusFacts facts;
  std::string text() const override;
  nlohmann::json json() const override;
  std::vector<std::string> problems() const override;
  ExitCode listing_code() const override;
};

nlohmann::json status_json(const StatusFacts& facts);
Command status_command(const StatusOptions& options);

}  // namespace mysqlpitr::commands
