// A test-only front end to lib/storage, so that integration tests drive the drivers against a real
// S3 server (and compare with `aws s3`) before any command uses them. Not installed.
//
//   storage_tool put FILE KEY [--no-publish]   FILE "-" is stdin; prints "SIZE SHA256"
//   storage_tool get KEY | range KEY OFFSET LENGTH | cat KEY (decompressed; "SIZE SHA256" of the raw object on stderr)
//   storage_tool list PREFIX | stat KEY | rm KEY | unfinished AGE_SECONDS | clean AGE_SECONDS
//   storage_tool level FOLDER   one level: "object KEY SIZE", "folder KEY", "stray KEY link|other" (tab-separated)
//   storage_tool rmdir KEY      removes the folder KEY with everything below it
//   storage_tool pinned KEY GO_FILE   reads KEY's first byte through a version pin, prints "pinned",
//                                     waits for GO_FILE to exist, reads it again through a new reader
//                                     with the same pin (a check, then a replay), prints "same"
//
// The storage: STORAGE_ROOT=folder (posix), or S3_ENDPOINT, S3_BUCKET, S3_REGION, S3_PREFIX,
// S3_PATH_STYLE (1/0), S3_VERIFY_TLS (1/0), S3_CA_FILE, S3_PART_SIZE, S3_UPLOAD_JOBS, S3_RETRIES,
// S3_RETRY_DELAY_MS, S3_LIST_PAGE with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/fd.hpp"
#include "io/files.hpp"
#include "io/sha256.hpp"
#include "storage/storage.hpp"

using namespace mysqlpitr;

namespace {

std::string env(const char* name, const std::string& fallback = "") {
  const char* value = std::getenv(name);
  return value ? value : fallback;
}

std::unique_ptr<storage::Storage> open_storage() {
  if (!env("STORAGE_ROOT").empty()) return storage::open_posix(env("STORAGE_ROOT"));
  storage::S3Options options;
  options.endpoint = env("S3_ENDPOINT");
  options.bucket = env("S3_BUCKET");
  options.region = env("S3_REGION", "us-east-1");
  options.prefix = env("S3_PREFIX");
  options.access_key = env("AWS_ACCESS_KEY_ID");
  options.secret_key = env("AWS_SECRET_ACCESS_KEY");
  options.path_style = env("S3_PATH_STYLE", "1") == "1";
  options.verify_tls = env("S3_VERIFY_TLS", "1") == "1";
  options.ca_file = env("S3_CA_FILE");
  options.part_size = std::stoull(env("S3_PART_SIZE", std::to_string(options.part_size)));
  options.upload_jobs = static_cast<unsigned>(std::stoul(env("S3_UPLOAD_JOBS", std::to_string(options.upload_jobs))));
  options.retries = static_cast<unsigned>(std::stoul(env("S3_RETRIES", std::to_string(options.retries))));
  options.retry_delay = std::chrono::milliseconds(std::stoll(env("S3_RETRY_DELAY_MS", "200")));
  options.list_page = static_cast<unsigned>(std::stoul(env("S3_LIST_PAGE", "1000")));
  return storage::open_s3(std::move(options));
}

void write_out(std::string_view data) {
  if (!data.empty()) io::write_all(STDOUT_FILENO, data.data(), data.size(), "stdout");
}

int put(storage::Storage& store, const std::string& file, const std::string& key, bool publish) {
  io::UniqueFd fd(file == "-" ? ::dup(STDIN_FILENO) : ::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) throw failure("cannot open {}", file);
  auto writer = store.create(key);
  std::vector<char> buffer(1 << 20);
  for (;;) {
    ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got < 0) throw failure("cannot read {}", file);
    if (got == 0) break;
    writer->write(std::string_view(buffer.data(), static_cast<size_t>(got)));
  }
  if (!publish) return 0;
  auto published = writer->publish();
  std::cout << published.size << " " << published.sha256 << "\n";
  return 0;
}

void copy_out(io::ByteSource& source) {
  std::vector<char> buffer(1 << 20);
  while (size_t got = source.read(buffer.data(), buffer.size())) write_out(std::string_view(buffer.data(), got));
}

int run(const std::vector<std::string>& args) {
  auto store = open_storage();
  const std::string& command = args.at(0);
  if (command == "put") return put(*store, args.at(1), args.at(2), !(args.size() > 3 && args[3] == "--no-publish"));
  if (command == "get") {
    copy_out(*store->open(args.at(1)));
  } else if (command == "range") {
    copy_out(*store->open(args.at(1), std::stoull(args.at(2)), std::stoull(args.at(3))));
  } else if (command == "cat") {
    io::Sha256 digest;
    auto stream = storage::open_input(*store, args.at(1), &digest);
    std::vector<char> buffer(1 << 20);
    while (size_t got = stream->read(buffer.data(), buffer.size())) write_out(std::string_view(buffer.data(), got));
    std::cerr << stream->compressed_bytes_read() << " " << digest.hex_digest() << "\n";
  } else if (command == "list") {
    for (const auto& object : store->list(args.size() > 1 ? args[1] : ""))
      std::cout << object.key << "\t" << object.size << "\t" << object.mtime << "\n";
  } else if (command == "level") {
    auto level = store->list_level(args.size() > 1 ? args[1] : "");
    for (const auto& object : level.objects) std::cout << "object\t" << object.key << "\t" << object.size << "\n";
    for (const auto& folder : level.folders) std::cout << "folder\t" << folder.key << "\n";
    for (const auto& stray : level.strays) std::cout << "stray\t" << stray.key << "\t" << (stray.link ? "link" : "other") << "\n";
  } else if (command == "rmdir") {
    store->remove_folder(args.at(1));
  } else if (command == "stat") {
    auto object = store->stat(args.at(1));
    if (!object) return 3;
    std::cout << object->size << " " << object->mtime << "\n";
  } else if (command == "rm") {
    store->remove(args.at(1));
  } else if (command == "pinned") {
    std::shared_ptr<storage::Storage> shared = std::move(store);
    auto object = shared->stat(args.at(1));
    if (!object) return 3;
    auto pin = std::make_shared<storage::VersionPin>();
    char byte = 0;
    storage::open_random(shared, args.at(1), object->size, pin)->read_at(0, &byte, 1);
    std::cout << "pinned" << std::endl;
    while (::access(args.at(2).c_str(), F_OK) != 0) ::usleep(20000);
    storage::open_random(shared, args.at(1), object->size, pin)->read_at(0, &byte, 1);
    std::cout << "same" << std::endl;
  } else if (command == "unfinished" || command == "clean") {
    for (const auto& write : store->list_unfinished(std::chrono::seconds(std::stoll(args.at(1))))) {
      std::cout << write.key << "\t" << write.id << "\t" << write.started << "\n";
      if (command == "clean") store->remove_unfinished(write);
    }
  } else {
    std::cerr << "unknown command " << command << "\n";
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << "usage: storage_tool put|get|range|cat|list|level|stat|rm|rmdir|unfinished|clean|pinned ...\n";
    return 2;
  }
  try {
    return run(args);
  } catch (const Error& error) {
    std::cerr << "storage_tool: " << error.what() << "\n";
    return static_cast<int>(error.code());
  } catch (const std::exception& error) {
    std::cerr << "storage_tool: " << error.what() << "\n";
    return 2;
  }
}
