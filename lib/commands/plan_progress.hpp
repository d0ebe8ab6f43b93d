#pragma once
// A progress line while a plan reads large inputs (restore-pitr's plan reads every binlog from
// the base to the stop point before anything is changed): on a terminal only, silent in cron and
// with --quiet, redrawn at most a few times a second.
#include <cstdint>
#include <functional>
#include <string>

#include "ui/console.hpp"

namespace mysqlpitr::commands {

// Returns the function the plan calls with bytes done and bytes in all.
std::function<void(std::uint64_t done, std::uint64_t total)> plan_progress(ui::Console& console, std::string what);

}  // namespace mysqlpitr::commands
