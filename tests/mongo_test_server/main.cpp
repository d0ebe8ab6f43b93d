// mongo-test-double: a MongoDB wire-protocol TEST DOUBLE (not MongoDB) for mysqlpitr's tests and
// benchmarks. Usage: mongo_test_double [PORT]. Prints the port it listens on (127.0.0.1) on
// stdout, then serves until SIGTERM/SIGINT.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "server.hpp"

int main(int argc, char** argv) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // every thread inherits the mask; main waits

  std::uint16_t port = argc > 1 ? static_cast<std::uint16_t>(std::atoi(argv[1])) : 0;
  mongo_test_double::Server server(port);
  std::cerr << "mongo-test-double: in-memory MongoDB wire-protocol TEST DOUBLE, NOT MongoDB; "
               "listening on 127.0.0.1:" << server.port() << "\n";
  std::cout << server.port() << std::endl;
  server.start();
  int received = 0;
  sigwait(&signals, &received);
  server.stop();
  return 0;
}
