#pragma once
// Where the MongoDB integration tests run: the in-process wire-protocol test double (NOT
// MongoDB), or the real server named by MYSQLPITR_TEST_MONGODB_URI.
#include <cstdlib>
#include <memory>
#include <string>

#include "mongo/client.hpp"
#include "server.hpp"

namespace mongo_it {

// The real server the tests run against instead of the test double ("" for the double).
inline std::string real_server_uri() {
  const char* uri = std::getenv("MYSQLPITR_TEST_MONGODB_URI");
  return uri != nullptr ? uri : "";
}

class Target {
 public:
  Target() {
    if (std::string uri = real_server_uri(); !uri.empty()) {
      settings_.uri = uri;
    } else {
      server_ = std::make_unique<mongo_test_double::Server>(0);
      server_->start();
      settings_.host = "127.0.0.1";
      settings_.port = server_->port();
    }
  }
  const mysqlpitr::mongo::ConnectionSettings& settings() const { return settings_; }
  bool is_test_double() const { return server_ != nullptr; }

 private:
  std::unique_ptr<mongo_test_double::Server> server_;
  mysqlpitr::mongo::ConnectionSettings settings_;
};

}  // namespace mongo_it
