#pragma once
// Running code that should fail, and looking at how it failed.
#include <functional>
#include <string>

#include "core/error.hpp"

namespace mysqlpitr::testing {

inline ExitCode code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& error) {
    return error.code();
  }
  return ExitCode::ok;
}

inline std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

}  // namespace mysqlpitr::testing
