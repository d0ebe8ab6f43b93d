#pragma once
// Server-side named locks (GET_LOCK) held on a connection of their own. The server owns them, so
// they exclude every run against that server whatever host it starts on, and they vanish with
// the session: a run killed with -9 leaves nothing to clean up. The lock connection is idle while
// the work goes on elsewhere, so its wait_timeout is raised to the maximum: a lock that lapses
// silently would let a second run in.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mysql/connection.hpp"

namespace mysqlpitr::mysql {

class NamedLocks {
 public:
  explicit NamedLocks(Connection connection);

  // Takes the lock without waiting (timeout 0: two runs can never deadlock). Returns nullopt
  // when taken (or already held here), else who holds it (holder()).
  std::optional<std::string> try_take(const std::string& name);
  // Whether another session holds `name`: nullopt when free, else "connection 42 of
  // backup@localhost (mysqlpitr, pid 1234)" with what the server lets us see of it.
  std::optional<std::string> holder(const std::string& name);
  const std::vector<std::string>& held() const noexcept { return held_; }

 private:
  Connection connection_;
  std::vector<std::string> held_;
};

// `prefix` + `key` as a lock name: MySQL refuses names over 64 characters, so a longer one (or
// one with bytes outside printable ASCII) becomes the prefix and a SHA-256 hex prefix of the key.
std::string lock_name(std::string_view prefix, std::string_view key);

}  // namespace mysqlpitr::mysql
