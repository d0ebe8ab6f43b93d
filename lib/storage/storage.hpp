#pragma once
// Where backups live. A Storage holds objects under keys ("pitr/shop-base_2026-11-23.sql.gz"):
// written as a stream and published atomically, read as a stream or a byte range, listed by key
// prefix, stat'ed and removed. Drivers: a folder on this host (`open_posix`) and an S3-compatible
// bucket (`open_s3`). Keys use '/' between folders, never start with '/' and contain no "." or ".."
// segment. Every method may be called from several threads at once; writers and readers must not
// outlive the Storage that made them.
#include <chrono>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/key.hpp"
#include "io/byte_source.hpp"
#include "io/compressed_writer.hpp"
#include "io/input_stream.hpp"
#include "io/random_source.hpp"

namespace mysqlpitr::storage {

struct ObjectInfo {
  std::string key;  // relative to the storage's root / prefix
  unsigned long long size = 0;
  std::time_t mtime = 0;
};

struct Published {
  unsigned long long size = 0;
  std::string sha256;  // lowercase hex of the bytes written
};

// What one folder holds directly (storage.list_level): its objects, its sub-folders, and, in a
// folder on this host, the entries that are neither (a symbolic link, a socket), which no reader
// follows and a listing reports.
struct FolderInfo {
  std::string key;  // without a trailing '/'
  std::time_t mtime = 0;
};
struct StrayEntry {
  std::string key;
  bool link = false;  // a symbolic link (else a socket, a device, ...)
};
struct Level {
  std::vector<ObjectInfo> objects;
  std::vector<FolderInfo> folders;
  std::vector<StrayEntry> strays;
};

// A level as one list sorted by key, for a caller that judges every name it holds.
struct LevelEntry {
  enum class Kind { object, folder, link, other };
  std::string key;
  Kind kind = Kind::object;
  unsigned long long size = 0;  // objects only
  std::time_t mtime = 0;        // objects and folders
};
std::vector<LevelEntry> entries_of(const Level& level);

// A write that never finished: a temp file of a killed run, a multipart upload never completed.
struct UnfinishedWrite {
  std::string key;  // the final key it was meant for
  std::string id;   // what remove_unfinished needs (a temp file's key, an upload id)
  std::time_t started = 0;
};

// Bytes written in order; nothing is visible under the key until publish() returns. Destroyed
// without publish() (an error, an interrupt), it leaves nothing under the key and cleans up after
// itself (temp file removed, multipart upload aborted).
class Writer {
 public:
  virtual ~Writer() = default;
  virtual void write(std::string_view data) = 0;
  // Makes the object whole and durable under its final key (replacing an older one).
  virtual Published publish() = 0;
  virtual unsigned long long bytes_written() const = 0;

  // What a copy must prove before its name appears (archived binlogs): the bytes written so far
  // as the storage holds them, read back before publishing; nullptr where unpublished bytes cannot
  // be read (a bucket's multipart upload).
  virtual std::unique_ptr<io::RandomSource> written() = 0;
  // The modification time the object is published with (a folder: the file's; a bucket keeps the
  // time of the upload, and its records carry the time instead).
  virtual void set_modified(std::time_t seconds, long nanoseconds) = 0;
  // publish(), but never over an object that appeared under the key meanwhile: nullopt then, the
  // write discarded and the other object left as it was. A bucket refuses (no atomic test there).
  virtual std::optional<Published> publish_if_absent() = 0;

  // For io::CompressedWriter; the writer must outlive the sink.
  io::ByteSink sink() {
    return [this](std::string_view data) { write(data); };
  }
};

// A folder whose objects are published together (a MongoDB dump: a file per collection), never
// over a folder of its name. Its objects are written with create() and published one by one (by
// any thread); publish() then makes the folder whole under its key. Destroyed without publish(), it
// removes what it wrote. Its writers must not outlive it.
class FolderWriter {
 public:
  virtual ~FolderWriter() = default;
  // An object at `relative` ("db/c1.bson") in the folder; each relative key once (a second is an error).
  virtual std::unique_ptr<Writer> create(const std::string& relative) = 0;
  virtual void publish() = 0;
};

// An object's bytes (or a range of them) in order; usable by io::open_input.
class Reader : public io::ByteSource {
 public:
  // Bytes this reader delivers in all (the range's length, or the object's size from the offset).
  virtual unsigned long long size() const = 0;
  // Which version of the object it reads (a bucket's ETag; empty where the storage has none): a
  // reader opened later on a replaced object says another one.
  virtual std::string version() const { return {}; }
};

class Storage {
 public:
  virtual ~Storage() = default;

  virtual std::unique_ptr<Writer> create(const std::string& key) = 0;
  // From `offset`, `length` bytes (to the end when absent). A missing object is an error naming it.
  virtual std::unique_ptr<Reader> open(const std::string& key, unsigned long long offset = 0,
                                       std::optional<unsigned long long> length = std::nullopt) = 0;
  // Every finished object whose key starts with `prefix` (at any depth), sorted by key.
  virtual std::vector<ObjectInfo> list(const std::string& prefix) = 0;
  virtual std::optional<ObjectInfo> stat(const std::string& key) = 0;
  // Removes the object; an object that is not there is not an error.
  virtual void remove(const std::string& key) = 0;

  // One level of the folder `folder` ("" for the root, else ending in '/'), each part sorted by key.
  // Names as they are: the temporary name of a write in progress, or left by a killed run, is
  // listed too, so a run holding the kind's lock can find what another run left. A missing folder
  // is empty. This one: from list(), deeper keys folded into their folder (a bucket's folders exist
  // only through their objects; its unfinished writes are not objects).
  virtual Level list_level(const std::string& folder);
  // Removes the folder `key` with everything below it (never through a symbolic link). This one:
  // every object under "key/".
  virtual void remove_folder(const std::string& key);

  // Moves the object `from` to `to`; false, and nothing moved, when `to` holds something already.
  // This one (a bucket's): `from` copied into `to` (read as one version, published whole), then
  // removed. The posix driver renames (the bytes never rewritten), never over an existing file.
  virtual bool move_if_absent(const std::string& from, const std::string& to);

  // A folder to write under `key`; throws precondition_error (exit 5) when something is there
  // already. This one (a bucket's): a folder exists only through its objects, which are written
  // under their final keys straight away; its readers take it as finished only by the record its
  // writer adds once publish() returned (catalog/bucket_record.hpp). The posix driver builds the
  // folder under a hidden name and renames it whole (io::PartialFolder).
  virtual std::unique_ptr<FolderWriter> create_folder(const std::string& key);

  // Writes left unfinished (by a killed run) that started more than `older_than` ago.
  virtual std::vector<UnfinishedWrite> list_unfinished(std::chrono::seconds older_than) = 0;
  virtual void remove_unfinished(const UnfinishedWrite& write) = 0;

  // How messages name an object: a path, or an s3:// URL (never credentials).
  virtual std::string describe(const std::string& key) const = 0;
};

// A folder on this host; keys are paths relative to `root` (which must exist). Writes go through
// io::AtomicFile: temp name in the target folder, fsync, rename, fsync of the folder.
std::unique_ptr<Storage> open_posix(std::string root);

struct S3Options {
  std::string endpoint;  // "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:9000"; empty: AWS of `region`
  std::string bucket;
  std::string region = "us-east-1";
  std::string prefix;  // keys live under it ("backups/db1"); no leading or trailing '/' needed
  std::string access_key;
  std::string secret_key;  // never in messages or logs
  bool path_style = true;  // https://host/bucket/key; false: https://bucket.host/key
  bool verify_tls = true;
  std::string ca_file;  // a CA bundle for a private certificate authority; empty: the system's
  size_t part_size = 8 << 20;  // multipart part size (S3's minimum is 5 MiB)
  unsigned upload_jobs = 4;    // parts in flight per writer; memory is about (upload_jobs + 1) x part_size
  unsigned retries = 5;        // attempts after the first, with exponential backoff
  std::chrono::milliseconds retry_delay{200};  // first backoff delay, doubled each attempt
  unsigned list_page = 1000;  // keys per listing request (S3's maximum; smaller only to test paging)
};

// Throws a usage error for options that cannot work (no bucket, part_size under 5 MiB, ...).
std::unique_ptr<Storage> open_s3(S3Options options);

// A small object (a record, a manifest) read whole; a missing one is an error naming it.
std::string read_whole(Storage& storage, const std::string& key);
// A small object written whole and published (replacing an older one).
Published write_whole(Storage& storage, const std::string& key, std::string_view text);

// An object read whole: its size and SHA-256 as the storage holds it now.
Published digest_object(Storage& storage, const std::string& key);

// The object `key` of `from`, written whole into `writer` (another storage's, not yet published).
void copy_into(Storage& from, const std::string& key, Writer& writer);

// An object as a (possibly compressed, possibly encrypted) input stream, as crypto::open_input opens
// a file; an encrypted object needs its key in `keys`.
std::unique_ptr<io::InputStream> open_input(Storage& storage, const std::string& key, io::Sha256* raw_digest = nullptr,
                                            crypto::KeyRing* keys = nullptr);

// The version of an object that every reader sharing the pin must read: the first reader opened
// sets it, a later one that finds another version (the object replaced between a check and a
// replay) fails.
class VersionPin {
 public:
  // Throws when `version` is not the pinned one; pins it when none is.
  void check(const std::string& version, const std::string& name);

 private:
  std::mutex mutex_;
  std::optional<std::string> pinned_;
};

// An object of `size` bytes (as listed) read by offset, through ranged reads (random_reader.cpp);
// with a `pin`, every (re)opening must read the pinned version of the object.
std::unique_ptr<io::RandomSource> open_random(std::shared_ptr<Storage> storage, const std::string& key,
                                              unsigned long long size, std::shared_ptr<VersionPin> pin = nullptr);

}  // namespace mysqlpitr::storage
