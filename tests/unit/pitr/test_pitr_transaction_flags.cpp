#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "pitr/chain.hpp"
#include "pitr/stop_point.hpp"
#include "pitr/transactions.hpp"
#include "support/fixture.hpp"

using namespace mysqlpitr;

namespace {

// Transactions of a real binlog from mariadb-test-data, and how many are flagged as changing a
// non-transactional table.
struct Counts {
  int transactions = 0, flagged = 0, xid = 0;
};

Counts count(const std::string& path) {
  pitr::Chain chain;
  chain.files.push_back({std::filesystem::path(path).filename().string(), path, std::filesystem::file_size(path), 1,
                         "datadir", false, {}});
  pitr::StopPoint stop;  // the end of the binlogs
  pitr::TransactionReader reader(chain, 4, stop);
  Counts out;
  while (auto transaction = reader.next()) {
    ++out.transactions;
    if (transaction->flagged_non_transactional) ++out.flagged;
    if (transaction->ended_by_xid) ++out.xid;
  }
  return out;
}

}  // namespace

TEST_CASE("a MariaDB 10.0 binlog, written before FL_TRANSACTIONAL existed, flags no transaction" *
          testing::skip_without(testing::mariadb_test_data())) {
  const std::string path = "/usr/share/mysql/mysql-test/std_data/mdev6020-mysql-bin.000001";
  testing::require(testing::mariadb_test_data());
  Counts counts = count(path);
  CHECK(counts.xid > 1000);  // InnoDB transactions, none carrying the flag
  CHECK(counts.flagged == 0);
}
