#pragma once
// Turning text (environment variables, legacy .env values) into typed settings, with validation.
#include <string>

#include "config/settings.hpp"

namespace mysqlpitr::config {

// Parses `text` into the setting's type (lists split on ',' ) and records `origin`. Throws a usage
// error naming the key when the text is not a valid value.
void assign_from_text(const KeyRef& key, const std::string& text, const std::string& origin);

// Checks values that have a fixed set or range; throws naming the key and where it came from.
void validate(Settings& settings);

}  // namespace mysqlpitr::config
