#include "core/error.hpp"

#include <cstring>

namespace mysqlpitr {

Error::Error(ExitCode code, std::string message) : code_(code), message_(std::move(message)) {
  rebuild();
}

Error& Error::add_context(std::string context) {
  // Errors of a file's reader often name the file already; saying it twice helps nobody.
  if (full_.starts_with(context + ": ")) return *this;
  context_.insert(context_.begin(), std::move(context));
  rebuild();
  return *this;
}

void Error::rebuild() {
  full_.clear();
  for (const auto& item : context_) {
    full_ += item;
    full_ += ": ";
  }
  full_ += message_;
}

std::string errno_text(int error_number) {
  char buffer[256];
  // GNU strerror_r may return a static string instead of filling the buffer.
  const char* text = strerror_r(error_number, buffer, sizeof buffer);
  return text;
}

}  // namespace mysqlpitr
