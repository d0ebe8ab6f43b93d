// The mysqlpitr executable: hands the arguments and the environment to the library.
#include <unistd.h>

#include "cli/run.hpp"

int main(int argc, char** argv) {
  mysqlpitr::config::Environment environment;
  for (char** entry = environ; *entry; ++entry) {
    std::string text = *entry;
    auto equals = text.find('=');
    if (equals != std::string::npos) environment[text.substr(0, equals)] = text.substr(equals + 1);
  }
  return mysqlpitr::cli::run(argc, argv, environment, mysqlpitr::ui::Terminal::process());
}
