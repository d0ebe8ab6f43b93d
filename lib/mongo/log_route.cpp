#include "mongo/log_route.hpp"

#include <mongoc/mongoc.h>

namespace mysqlpitr::mongo {
namespace {

LogLevel level_of(mongoc_log_level_t level) {
  switch (level) {
    case MONGOC_LOG_LEVEL_ERROR:
    case MONGOC_LOG_LEVEL_CRITICAL: return LogLevel::error;
    case MONGOC_LOG_LEVEL_WARNING: return LogLevel::warning;
    case MONGOC_LOG_LEVEL_MESSAGE:
    case MONGOC_LOG_LEVEL_INFO: return LogLevel::info;
    default: return LogLevel::debug;
  }
}

void handle(mongoc_log_level_t level, const char* domain, const char* message, void* route) {
  std::string text = domain && *domain ? std::string(domain) + ": " : std::string();
  text += message ? message : "";
  static_cast<LogRoute*>(route)->deliver(level_of(level), text);
}

}  // namespace

LogRoute::LogRoute(Sink sink) : sink_(std::move(sink)) {
  // Tracing, when libmongoc was built with it, would print every function call.
  mongoc_log_trace_disable();
  mongoc_log_set_handler(handle, this);
}

LogRoute::~LogRoute() { mongoc_log_set_handler(nullptr, nullptr); }

void LogRoute::deliver(LogLevel level, const std::string& message) {
  std::lock_guard lock(mutex_);
  // A sink that throws must not unwind through libmongoc's C frames.
  try {
    sink_(level, message);
  } catch (...) {
  }
}

}  // namespace mysqlpitr::mongo
