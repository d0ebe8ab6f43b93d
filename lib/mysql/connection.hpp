#pragma once
// RAII over MariaDB Connector/C. The password is handed to the client library only: never to
// argv, a child process or a log line.
#include <mysql.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace mysqlpitr::config {
struct Settings;
}

namespace mysqlpitr::mysql {

struct ConnectionOptions {
  std::string host = "127.0.0.1";
  unsigned port = 3306;
  std::string socket;  // when set, used instead of host/port
  std::string user;
  std::string password;
  std::string database;
  std::string ssl_mode;  // "", disabled, preferred, required, verify_ca, verify_identity
  std::string ssl_ca, ssl_cert, ssl_key;
  unsigned connect_timeout = 10;
  unsigned read_timeout = 0;  // 0: none (dumps and loads can wait long on big tables)
  bool multi_statements = false;

  // "socket /run/mysqld/mysqld.sock" or "127.0.0.1:3306", for messages.
  std::string describe() const;
};

ConnectionOptions options_from_settings(const config::Settings& settings);

// One row of a result: views into the result's buffers, valid until the next fetch.
class Row {
 public:
  Row(MYSQL_ROW row, unsigned long* lengths, unsigned count) : row_(row), lengths_(lengths), count_(count) {}
  unsigned size() const noexcept { return count_; }
  bool is_null(unsigned i) const noexcept { return row_[i] == nullptr; }
  std::string_view view(unsigned i) const noexcept {
    return row_[i] ? std::string_view(row_[i], lengths_[i]) : std::string_view();
  }
  std::string str(unsigned i) const { return std::string(view(i)); }
  std::optional<std::string> optional(unsigned i) const {
    return row_[i] ? std::optional<std::string>(str(i)) : std::nullopt;
  }

 private:
  MYSQL_ROW row_;
  unsigned long* lengths_;
  unsigned count_;
};

class Result {
 public:
  Result(MYSQL* connection, MYSQL_RES* result) : connection_(connection), result_(result, mysql_free_result) {}
  // Next row, or nullopt at the end (throws when the server reported an error mid-stream).
  std::optional<Row> next();
  unsigned field_count() const { return result_ ? mysql_num_fields(result_.get()) : 0; }
  const MYSQL_FIELD* fields() const { return result_ ? mysql_fetch_fields(result_.get()) : nullptr; }
  std::vector<std::string> field_names() const;
  bool empty_set() const { return !result_; }

 private:
  MYSQL* connection_;
  std::unique_ptr<MYSQL_RES, void (*)(MYSQL_RES*)> result_;
};

class Connection {
 public:
  static Connection open(const ConnectionOptions& options);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;

  // How a failed statement is named in the thrown Error (which carries the server's error code,
  // Error::server_code(), in every case): by its first 200 bytes, or not at all when the caller
  // says where it failed (a replayed BINLOG statement is kilobytes of base64).
  enum class Echo { statement, none };

  // Runs one statement (or several, with multi_statements) and discards any result; returns the
  // rows the first one changed (read before the next result resets the count).
  std::uint64_t execute(std::string_view sql, Echo echo = Echo::statement);
  // Runs `count` statements sent as one multi-statement packet and reads exactly `count` results;
  // an Error names the statement's index in the batch. `affected`, when given, gets the rows
  // each statement changed.
  void execute_batch(std::string_view sql, std::size_t count, std::vector<std::uint64_t>* affected = nullptr);
  // Runs one statement; the whole result is fetched to the client (small results).
  Result query(std::string_view sql);
  // Runs one statement; rows are streamed from the server (large results).
  Result stream(std::string_view sql);
  // The first column of the first row, or nullopt for no row or NULL.
  std::optional<std::string> scalar(std::string_view sql);
  // All rows of a query as strings (NULL as nullopt), for small metadata queries.
  std::vector<std::vector<std::optional<std::string>>> rows(std::string_view sql);

  // Escapes a string for use inside '...' with the connection's character set.
  std::string escape(std::string_view text);
  std::string quote(std::string_view text) { return "'" + escape(text) + "'"; }

  std::string server_version() const { return mysql_get_server_info(handle_.get()); }
  unsigned long server_version_number() const { return mysql_get_server_version(handle_.get()); }
  MYSQL* handle() const noexcept { return handle_.get(); }
  const ConnectionOptions& options() const noexcept { return options_; }
  unsigned long long affected_rows() const { return mysql_affected_rows(handle_.get()); }
  // Warnings of the last statement (SHOW WARNINGS lists them).
  unsigned warning_count() const { return mysql_warning_count(handle_.get()); }
  // The last call's error as a failure "<server message> (error N)<detail>" carrying the code.
  Error last_error(std::string_view detail = {}) const;

 private:
  Connection(std::unique_ptr<MYSQL, void (*)(MYSQL*)> handle, ConnectionOptions options)
      : handle_(std::move(handle)), options_(std::move(options)) {}
  [[noreturn]] void fail(std::string_view sql, Echo echo = Echo::statement) const;
  void run(std::string_view sql);

  std::unique_ptr<MYSQL, void (*)(MYSQL*)> handle_;
  ConnectionOptions options_;
};

// Whether an error ended the session (server gone, connection lost, packet too large): nothing
// more can be sent on it, so retrying on it only hides the cause.
bool session_lost(const Error& error);
// Connector/C's own errors (2000-2999: lost connection, server gone) that leave the connection unusable.
bool client_error(const Error& error);

// `name` as a quoted identifier: `a``b`.
std::string quote_identifier(std::string_view name);
// A string literal without a connection (backslash escapes as NO_BACKSLASH_ESCAPES is off).
std::string quote_string(std::string_view text);

// Initialises the client library once per process (Connector/C is not thread-safe until it is).
class ClientLibrary {
 public:
  ClientLibrary();
  ~ClientLibrary();
  ClientLibrary(const ClientLibrary&) = delete;
  ClientLibrary& operator=(const ClientLibrary&) = delete;
};

}  // namespace mysqlpitr::mysql
