// The main() of every doctest runner. A case marked skipped (testing::skip_without, when a fixture
// is missing outside CI) did not run: it is named with its reason, and the runner exits 77, which
// ctest reports as "Skipped", unless something failed (support/fixture.hpp says why).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <iostream>

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  int result = context.run();
  // With --no-skip the marked cases ran, and one whose fixture is missing failed.
  if (context.shouldExit() || result != 0) return result;
  int skipped = 0;
  // doctest has no public list of the registered cases; its registry is the only place that
  // knows which ones were marked skipped.
  for (const auto& test_case : doctest::detail::getRegisteredTests()) {
    if (!test_case.m_skip) continue;
    ++skipped;
    std::cout << "[doctest] skipped: \"" << test_case.m_name << "\" needs "
              << (test_case.m_description ? test_case.m_description : "something missing here") << "\n";
  }
  if (skipped == 0) return 0;
  std::cout << "[doctest] " << skipped << " test case(s) did not run: exit 77 (skipped); "
            << "CI=true makes a missing fixture a failure\n";
  return 77;
}
