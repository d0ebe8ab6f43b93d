#include "commands/plan_progress.hpp"

#include <chrono>

#include <fmt/format.h>

#include "core/strings.hpp"

namespace mysqlpitr::commands {

std::function<void(std::uint64_t, std::uint64_t)> plan_progress(ui::Console& console, std::string what) {
  if (!console.progress_enabled()) return {};
  auto started = std::chrono::steady_clock::now();
  auto shown = started - std::chrono::seconds(1);
  return [&console, what = std::move(what), started, shown](std::uint64_t done, std::uint64_t total) mutable {
    auto now = std::chrono::steady_clock::now();
    if (now - shown < std::chrono::milliseconds(200)) return;
    shown = now;
    double seconds = std::chrono::duration<double>(now - started).count();
    console.progress(fmt::format("{}: {}% of {} read ({}/s)", what, total ? done * 100 / total : 100,
                                 core::human_size(total),
                                 core::human_size(static_cast<unsigned long long>(seconds > 0 ? done / seconds : 0))));
  };
}

}  // namespace mysqlpitr::commands
