#pragma once
// mongo-test-double: a MongoDB wire-protocol TEST DOUBLE for mysqlpitr's integration tests and
// benchmarks. It is NOT MongoDB: in memory, no auth, no query language beyond equality, one lock.
// Speaks OP_MSG (and OP_QUERY/OP_REPLY for the legacy handshake) on 127.0.0.1.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "store.hpp"

namespace mongo_test_double {

class Server {
 public:
  explicit Server(std::uint16_t port = 0);  // 0: any free port
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  std::uint16_t port() const { return port_; }
  void start();  // accepts on a background thread
  void stop();

 private:
  void accept_loop();
  void serve(int fd, std::int32_t connection_id);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mutex_;
  std::set<int> clients_;
  std::vector<std::thread> workers_;
  Store store_;
};

}  // namespace mongo_test_double
