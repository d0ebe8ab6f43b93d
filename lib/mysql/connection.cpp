#include "mysql/connection.hpp"

#include <mysqld_error.h>

#include "config/settings.hpp"

namespace mysqlpitr::mysql {

std::string ConnectionOptions::describe() const {
  if (!socket.empty()) return "socket " + socket;
  return fmt::format("{}:{}", host, port);
}

ConnectionOptions options_from_settings(const config::Settings& settings) {
  ConnectionOptions options;
  options.host = settings.mysql.host.value;
  options.port = static_cast<unsigned>(settings.mysql.port.value);
  options.socket = settings.mysql.socket.value;
  options.user = settings.mysql.user.value;
  options.password = settings.mysql.password.value;
  options.ssl_mode = settings.mysql.ssl_mode.value;
  options.ssl_ca = settings.mysql.ssl_ca.value;
  options.ssl_cert = settings.mysql.ssl_cert.value;
  options.ssl_key = settings.mysql.ssl_key.value;
  options.connect_timeout = static_cast<unsigned>(settings.mysql.connect_timeout.value);
  return options;
}

std::optional<Row> Result::next() {
  if (!result_) return std::nullopt;
  MYSQL_ROW row = mysql_fetch_row(result_.get());
  if (!row) {
    if (unsigned code = mysql_errno(connection_); code != 0)
      throw failure("reading rows: {} (error {})", mysql_error(connection_), code)
          .set_server_code(static_cast<int>(code));
    return std::nullopt;
  }
  return Row(row, mysql_fetch_lengths(result_.get()), mysql_num_fields(result_.get()));
}

std::vector<std::string> Result::field_names() const {
  std::vector<std::string> names;
  const MYSQL_FIELD* list = fields();
  for (unsigned i = 0; i < field_count(); ++i) names.emplace_back(list[i].name, list[i].name_length);
  return names;
}

Connection Connection::open(const ConnectionOptions& options) {
  std::unique_ptr<MYSQL, void (*)(MYSQL*)> handle(mysql_init(nullptr), mysql_close);
  if (!handle) throw failure("cannot initialise the MySQL client library (out of memory)");
  MYSQL* m = handle.get();
  mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &options.connect_timeout);
  if (options.read_timeout) mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &options.read_timeout);
  mysql_optionsv(m, MYSQL_OPT_CONNECT_ATTR_ADD, "program_name", "mysqlpitr");
  mysql_optionsv(m, MYSQL_OPT_CONNECT_ATTR_ADD, "program_version", MYSQLPITR_VERSION);
  if (!options.socket.empty()) {
    unsigned protocol = MYSQL_PROTOCOL_SOCKET;
    mysql_options(m, MYSQL_OPT_PROTOCOL, &protocol);
  }
  const std::string& ssl = options.ssl_mode;
  if (ssl == "disabled") {
    my_bool off = 0;
    mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &off);
  } else if (!ssl.empty() && ssl != "preferred") {
    mysql_ssl_set(m, options.ssl_key.empty() ? nullptr : options.ssl_key.c_str(),
                  options.ssl_cert.empty() ? nullptr : options.ssl_cert.c_str(),
                  options.ssl_ca.empty() ? nullptr : options.ssl_ca.c_str(), nullptr, nullptr);
    my_bool on = 1;
    mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &on);
    my_bool verify = (ssl == "verify_ca" || ssl == "verify_identity") ? 1 : 0;
    mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  unsigned long flags = CLIENT_MULTI_RESULTS;
  if (options.multi_statements) flags |= CLIENT_MULTI_STATEMENTS;
  const char* host = options.socket.empty() ? options.host.c_str() : "localhost";
  const char* socket = options.socket.empty() ? nullptr : options.socket.c_str();
  if (!mysql_real_connect(m, host, options.user.c_str(), options.password.c_str(),
                          options.database.empty() ? nullptr : options.database.c_str(), options.port, socket,
                          flags)) {
    unsigned code = mysql_errno(m);
    std::string hint;
    if (code == ER_ACCESS_DENIED_ERROR)
      hint = " (check mysql.user and the password: mysql.password, mysql.password_file or MYSQLPITR_MYSQL_PASSWORD)";
    else if (code == 2002 || code == 2003)
      hint = " (is the server running? check mysql.host/mysql.port or mysql.socket)";
    throw failure("cannot connect to the MySQL/MariaDB server at {} as '{}': {}{}", options.describe(),
                  options.user, mysql_error(m), hint);
  }
  return Connection(std::move(handle), options);
}

Error Connection::last_error(std::string_view detail) const {
  unsigned code = mysql_errno(handle_.get());
  return failure("{} (error {}){}", mysql_error(handle_.get()), code, detail).set_server_code(static_cast<int>(code));
}

void Connection::fail(std::string_view sql, Echo echo) const {
  if (echo == Echo::none) throw last_error();
  std::string text(sql.substr(0, 200));
  if (sql.size() > 200) text += "...";
  throw last_error(" in: " + text);
}

void Connection::run(std::string_view sql) {
  if (mysql_real_query(handle_.get(), sql.data(), sql.size()) != 0) fail(sql);
}

std::uint64_t Connection::execute(std::string_view sql, Echo echo) {
  MYSQL* m = handle_.get();
  if (mysql_real_query(m, sql.data(), sql.size()) != 0) fail(sql, echo);
  std::optional<std::uint64_t> changed;
  // Drain every result so the connection is ready for the next statement.
  for (;;) {
    MYSQL_RES* result = mysql_store_result(m);
    if (result) mysql_free_result(result);
    else if (mysql_field_count(m) != 0) fail(sql, echo);
    if (!changed) changed = mysql_affected_rows(m);
    int more = mysql_next_result(m);
    if (more > 0) fail(sql, echo);
    if (more < 0) break;
  }
  return *changed;
}

// MariaDB answers a BINLOG statement with an OK packet that lacks SERVER_MORE_RESULTS_EXISTS
// even when more statements follow in the packet, so the client library would stop reading
// early and every later reply would be taken for the answer to another query. Counting the
// statements keeps the session in step whatever the flags say.
void Connection::execute_batch(std::string_view sql, std::size_t count, std::vector<std::uint64_t>* affected) {
  MYSQL* m = handle_.get();
  auto fail_at = [&](std::size_t index) { throw last_error(fmt::format(" in statement {} of a batch of {}", index + 1, count)); };
  if (mysql_real_query(m, sql.data(), sql.size()) != 0) fail_at(0);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) {
      if (mysql_more_results(m)) {
        if (mysql_next_result(m) > 0) fail_at(i);
      } else if (mysql_read_query_result(m) != 0) {
        fail_at(i);
      }
    }
    if (affected) affected->push_back(mysql_affected_rows(m));  // read before the result is taken
    if (MYSQL_RES* result = mysql_store_result(m)) mysql_free_result(result);
  }
  // Anything the server still announces is drained (none expected).
  while (mysql_more_results(m) && mysql_next_result(m) == 0)
    if (MYSQL_RES* result = mysql_store_result(m)) mysql_free_result(result);
}

Result Connection::query(std::string_view sql) {
  run(sql);
  MYSQL_RES* result = mysql_store_result(handle_.get());
  if (!result && mysql_field_count(handle_.get()) != 0) fail(sql);
  return Result(handle_.get(), result);
}

Result Connection::stream(std::string_view sql) {
  run(sql);
  MYSQL_RES* result = mysql_use_result(handle_.get());
  if (!result && mysql_field_count(handle_.get()) != 0) fail(sql);
  return Result(handle_.get(), result);
}

std::optional<std::string> Connection::scalar(std::string_view sql) {
  Result result = query(sql);
  auto row = result.next();
  if (!row || row->size() == 0) return std::nullopt;
  return row->optional(0);
}

std::vector<std::vector<std::optional<std::string>>> Connection::rows(std::string_view sql) {
  Result result = query(sql);
  std::vector<std::vector<std::optional<std::string>>> out;
  while (auto row = result.next()) {
    auto& values = out.emplace_back();
    for (unsigned i = 0; i < row->size(); ++i) values.push_back(row->optional(i));
  }
  return out;
}

std::string Connection::escape(std::string_view text) {
  std::string out(text.size() * 2 + 1, '\0');
  unsigned long length = mysql_real_escape_string(handle_.get(), out.data(), text.data(), text.size());
  out.resize(length);
  return out;
}

bool session_lost(const Error& error) {
  int code = error.server_code().value_or(0);
  return code == 2006 || code == 2013 || code == 1153;
}

bool client_error(const Error& error) {
  int code = error.server_code().value_or(0);
  return code >= 2000 && code < 3000;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  out += '`';
  return out;
}

std::string quote_string(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    switch (c) {
      case '\0': out += "\\0"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '\032': out += "\\Z"; break;
      default: out += c;
    }
  }
  out += '\'';
  return out;
}

ClientLibrary::ClientLibrary() { mysql_library_init(0, nullptr, nullptr); }
ClientLibrary::~ClientLibrary() { mysql_library_end(); }

}  // namespace mysqlpitr::mysql
