#pragma once
// libmongoc logs through one process-wide handler, and its default one prints to stdout, where a
// --json document goes. While a LogRoute lives, libmongoc's messages go to its sink instead (the
// console and the log file); after it, they are dropped. One route at a time, for the whole run.
#include <functional>
#include <mutex>
#include <string>

namespace mysqlpitr::mongo {

enum class LogLevel { error, warning, info, debug };

class LogRoute {
 public:
  using Sink = std::function<void(LogLevel level, const std::string& message)>;
  explicit LogRoute(Sink sink);
  ~LogRoute();
  LogRoute(const LogRoute&) = delete;
  LogRoute& operator=(const LogRoute&) = delete;

  // Called by libmongoc, from any of its threads (a pool's monitor logs from its own).
  void deliver(LogLevel level, const std::string& message);

 private:
  Sink sink_;
  std::mutex mutex_;
};

}  // namespace mysqlpitr::mongo
