#include <doctest/doctest.h>

#include <string>

#include "storage/storage.hpp"
#include "support/expect_error.hpp"
#include "support/temp_dir.hpp"

using namespace mysqlpitr;
using mysqlpitr::testing::TempDir;

namespace {

// A folder that counts the ranged reads it is asked to open (each one a GET on a bucket).
class CountingStorage : public storage::Storage {
 public:
  explicit CountingStorage(std::string root) : inner_(storage::open_posix(std::move(root))) {}
  std::unique_ptr<storage::Writer> create(const std::string& key) override { return inner_->create(key); }
  std::unique_ptr<storage::Reader> open(const std::string& key, unsigned long long offset,
                                        std::optional<unsigned long long> length) override {
    ++opens;
    return inner_->open(key, offset, length);
  }
  std::vector<storage::ObjectInfo> list(const std::string& prefix) override { return inner_->list(prefix); }
  std::optional<storage::ObjectInfo> stat(const std::string& key) override { return inner_->stat(key); }
  void remove(const std::string& key) override { inner_->remove(key); }
  std::vector<storage::UnfinishedWrite> list_unfinished(std::chrono::seconds older_than) override {
    return inner_->list_unfinished(older_than);
  }
  void remove_unfinished(const storage::UnfinishedWrite& write) override { inner_->remove_unfinished(write); }
  std::string describe(const std::string& key) const override { return inner_->describe(key); }
  int opens = 0;

 private:
  std::unique_ptr<storage::Storage> inner_;
};

std::string pattern(size_t size) {
  std::string data(size, '\0');
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return data;
}

std::string read_at(io::RandomSource& source, unsigned long long offset, size_t size) {
  std::string out(size, '\0');
  size_t done = 0;
  while (done < size) {
    size_t got = source.read_at(offset + done, out.data() + done, size - done);
    if (got == 0) break;
    done += got;
  }
  out.resize(done);
  return out;
}

}  // namespace

TEST_CASE("open_random: reads by offset through ranged reads, one range for forward reads and short hops") {
  TempDir dir;
  auto counting = std::make_shared<CountingStorage>(dir.path());
  const std::string data = pattern(12 << 20);
  auto writer = counting->create("binlogs/mysql-bin.000001");
  writer->write(data);
  writer->publish();
  auto source = storage::open_random(counting, "binlogs/mysql-bin.000001", data.size());
  CHECK(source->size() == data.size());
  CHECK(read_at(*source, 0, 4) == data.substr(0, 4));
  CHECK(read_at(*source, 4, 1000) == data.substr(4, 1000));
  CHECK(read_at(*source, 70000, 19) == data.substr(70000, 19));  // a hop over an event body
  CHECK(counting->opens == 1);
  CHECK(read_at(*source, 100, 10) == data.substr(100, 10));  // back: a new range
  CHECK(counting->opens == 2);
  CHECK(read_at(*source, 9 << 20, 100) == data.substr(9 << 20, 100));  // far ahead: a new range
  CHECK(counting->opens == 3);
  CHECK(read_at(*source, data.size() - 10, 100) == data.substr(data.size() - 10));  // the end
  CHECK(source->read_at(data.size(), nullptr, 10) == 0);
}

TEST_CASE("open_random: an object shorter than its listed size is an error naming it") {
  TempDir dir;
  std::shared_ptr<storage::Storage> store = storage::open_posix(dir.path());
  auto writer = store->create("b.000001");
  writer->write("short");
  writer->publish();
  auto source = storage::open_random(store, "b.000001", 100);
  char buffer[100];
  CHECK(source->read_at(0, buffer, 5) == 5);
  std::string message = testing::message_of([&] { source->read_at(5, buffer, 10); });
  CHECK(message.find("b.000001") != std::string::npos);
  CHECK(message.find("ends at byte 5") != std::string::npos);
}
