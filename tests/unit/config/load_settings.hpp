#pragma once
// Loading a configuration file in a unit test, with an environment of the test's own (never the
// process's: AWS_* or MYSQLPITR_* of the machine running the tests must not change results).
#include "config/load.hpp"

namespace mysqlpitr::testing {

inline config::Settings load(const std::string& path, config::Environment environment = {}) {
  config::LoadRequest request;
  request.explicit_path = path;
  request.environment = std::move(environment);
  return config::load_settings(request);
}

}  // namespace mysqlpitr::testing
