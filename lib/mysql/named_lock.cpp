#include "mysql/named_lock.hpp"

#include "core/error.hpp"
#include "io/sha256.hpp"

namespace mysqlpitr::mysql {

namespace {
constexpr std::size_t kMaxLockName = 64;  // MySQL 5.7+: ER_USER_LOCK_WRONG_NAME beyond
}  // namespace

std::string lock_name(std::string_view prefix, std::string_view key) {
  bool plain = prefix.size() + key.size() <= kMaxLockName;
  for (unsigned char c : key) plain = plain && c >= 0x20 && c < 0x7f;
  if (plain) return std::string(prefix) + std::string(key);
  io::Sha256 sha;
  sha.update(key);
  std::string digest = sha.hex_digest();
  std::size_t room = kMaxLockName > prefix.size() + 7 ? kMaxLockName - prefix.size() - 7 : 16;
  return std::string(prefix) + "sha256:" + digest.substr(0, std::min(room, digest.size()));
}

NamedLocks::NamedLocks(Connection connection) : connection_(std::move(connection)) {
  // The largest value both MySQL and MariaDB accept on every platform (one year).
  connection_.execute("SET SESSION wait_timeout = 31536000");
}

std::optional<std::string> NamedLocks::try_take(const std::string& name) {
  // A holder that ends between GET_LOCK and IS_USED_LOCK leaves nobody to name: ask again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto got = connection_.scalar("SELECT GET_LOCK(" + connection_.quote(name) + ", 0)");
    if (!got) throw failure("GET_LOCK('{}') failed on the server", name);
    if (*got == "1") {
      held_.push_back(name);
      return std::nullopt;
    }
    if (auto who = holder(name)) return who;
  }
  return std::string("another session");
}

std::optional<std::string> NamedLocks::holder(const std::string& name) {
  auto id = connection_.scalar("SELECT IS_USED_LOCK(" + connection_.quote(name) + ")");
  if (!id) return std::nullopt;
  std::string text = "connection " + *id;
  // PROCESSLIST shows other users' sessions only with the PROCESS privilege; the connect
  // attributes only with performance_schema on: each adds what it can.
  auto rows = connection_.rows("SELECT USER, HOST, TIME FROM information_schema.PROCESSLIST WHERE ID = " + *id);
  if (!rows.empty() && rows[0][0] && rows[0][1])
    text += fmt::format(" of {}@{}, idle {} s", *rows[0][0], *rows[0][1], rows[0][2].value_or("?"));
  try {
    std::string program, pid;
    for (const auto& row : connection_.rows("SELECT ATTR_NAME, ATTR_VALUE FROM performance_schema.session_connect_attrs "
                                            "WHERE PROCESSLIST_ID = " + *id + " AND ATTR_NAME IN ('program_name', '_pid')")) {
      if (!row[0] || !row[1]) continue;
      (*row[0] == "_pid" ? pid : program) = *row[1];
    }
    if (!program.empty() || !pid.empty())
      text += fmt::format(" ({}{}{})", program, program.empty() || pid.empty() ? "" : ", ", pid.empty() ? "" : "pid " + pid);
  } catch (const Error&) {
    // performance_schema missing or not readable: the connection id is enough to find it.
  }
  return text;
}

}  // namespace mysqlpitr::mysql
