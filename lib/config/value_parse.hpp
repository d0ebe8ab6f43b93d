#pragma once
// Turning text (environment variables, legacy .env values) into typed settings, with validation.
#include <string>

#include "config/settings.hpp"
#include "core/error.hpp"

namespace mysqlpitr::config {

// Parses `text` into the setting's type (lists split on ',' ) and records `origin`. Throws a usage
// error naming the key when the text is not a valid value.
void assign_from_text(const KeyRef& key, const std::string& text, const std::string& origin);

// A value out of its set or range: "name (origin): why", a usage error.
template <typename T>
[[noreturn]] void invalid(const char* name, const Setting<T>& setting, const std::string& why) {
  throw usage_error("{} ({}): {}", name, setting.origin, why);
}

// Checks values that have a fixed set or range; throws naming the key and where it came from.
void validate(Settings& settings);

}  // namespace mysqlpitr::config
