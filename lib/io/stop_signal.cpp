#include "io/stop_signal.hpp"

namespace mysqlpitr::io {
namespace {

volatile std::sig_atomic_t g_stop_signal = 0;
constexpr int kSignals[3] = {SIGTERM, SIGINT, SIGHUP};

void on_stop_signal(int number) { g_stop_signal = number; }

}  // namespace

StopSignals::StopSignals() {
  g_stop_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking read is interrupted
  for (int i = 0; i < 3; ++i) ::sigaction(kSignals[i], &action, &previous_[i]);
}

StopSignals::~StopSignals() {
  for (int i = 0; i < 3; ++i) ::sigaction(kSignals[i], &previous_[i], nullptr);
}

bool StopSignals::requested() const { return g_stop_signal != 0; }
int StopSignals::signal() const { return g_stop_signal; }

}  // namespace mysqlpitr::io
