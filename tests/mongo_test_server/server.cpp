#include "server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace mongo_test_double {

namespace {
constexpr std::int32_t op_reply = 1;
constexpr std::int32_t op_query = 2004;
constexpr std::int32_t op_msg = 2013;
constexpr std::uint32_t checksum_present = 1;

std::int32_t read_i32(const std::uint8_t* p) {
  std::int32_t value;
  std::memcpy(&value, p, 4);
  return BSON_UINT32_FROM_LE(value);
}

void put_i32(std::vector<std::uint8_t>& out, std::int32_t value) {
  std::uint32_t le = BSON_UINT32_TO_LE(static_cast<std::uint32_t>(value));
  const auto* p = reinterpret_cast<const std::uint8_t*>(&le);
  out.insert(out.end(), p, p + 4);
}

bool read_exact(int fd, std::uint8_t* out, std::size_t size) {
  while (size > 0) {
    ssize_t got = ::recv(fd, out, size, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

bool write_all(int fd, const std::vector<std::uint8_t>& bytes) {
  const std::uint8_t* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    ssize_t put = ::send(fd, p, left, MSG_NOSIGNAL);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    p += put;
    left -= static_cast<std::size_t>(put);
  }
  return true;
}

void error_reply(bson_t* reply, const CommandError& error) {
  bson_reinit(reply);
  BSON_APPEND_DOUBLE(reply, "ok", 0.0);
  BSON_APPEND_UTF8(reply, "errmsg", error.message.c_str());
  BSON_APPEND_INT32(reply, "code", error.code);
  BSON_APPEND_UTF8(reply, "codeName", error.code_name.c_str());
}

std::vector<std::uint8_t> header(std::int32_t request_id, std::int32_t response_to, std::int32_t opcode) {
  std::vector<std::uint8_t> out;
  put_i32(out, 0);  // length, patched at the end
  put_i32(out, request_id);
  put_i32(out, response_to);
  put_i32(out, opcode);
  return out;
}

void patch_length(std::vector<std::uint8_t>& message) {
  std::uint32_t le = BSON_UINT32_TO_LE(static_cast<std::uint32_t>(message.size()));
  std::memcpy(message.data(), &le, 4);
}
}  // namespace

Server::Server(std::uint16_t port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  int yes = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listen_fd_, 64) != 0) {
    int saved = errno;
    ::close(listen_fd_);
    throw std::runtime_error("bind/listen on 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(saved));
  }
  socklen_t length = sizeof address;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
}

Server::~Server() {
  stop();
  ::close(listen_fd_);
}

void Server::start() { acceptor_ = std::thread([this] { accept_loop(); }); }

void Server::stop() {
  if (stopping_.exchange(true)) return;
  ::shutdown(listen_fd_, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : clients_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& worker : workers_) worker.join();
}

void Server::accept_loop() {
  std::int32_t next_id = 1;
  while (!stopping_) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // shut down
    }
    int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    std::lock_guard lock(mutex_);
    clients_.insert(fd);
    workers_.emplace_back([this, fd, id = next_id++] { serve(fd, id); });
  }
}

void Server::serve(int fd, std::int32_t connection_id) {
  std::vector<std::uint8_t> message;
  std::int32_t next_request = 1;
  for (;;) {
    std::uint8_t head[16];
    if (!read_exact(fd, head, sizeof head)) break;
    std::int32_t length = read_i32(head);
    std::int32_t request_id = read_i32(head + 4);
    std::int32_t opcode = read_i32(head + 12);
    if (length < 16 || length > 64 * 1024 * 1024) break;
    message.resize(static_cast<std::size_t>(length) - 16);
    if (!read_exact(fd, message.data(), message.size())) break;

    bson_t reply = BSON_INITIALIZER;
    std::vector<std::uint8_t> out;
    try {
      if (opcode == op_msg) {
        std::uint32_t flags = static_cast<std::uint32_t>(read_i32(message.data()));
        std::size_t end = message.size() - ((flags & checksum_present) ? 4 : 0);
        std::size_t at = 4;
        bson_t body;
        bool have_body = false;
        std::map<std::string, std::vector<RawDocument>> sequences;
        while (at < end) {
          std::uint8_t kind = message[at++];
          if (kind == 0) {
            std::int32_t size = read_i32(&message[at]);
            bson_init_static(&body, &message[at], static_cast<std::size_t>(size));
            have_body = true;
            at += static_cast<std::size_t>(size);
          } else {
            std::size_t section_end = at + static_cast<std::size_t>(read_i32(&message[at]));
            std::string identifier(reinterpret_cast<const char*>(&message[at + 4]));
            std::size_t doc = at + 4 + identifier.size() + 1;
            while (doc < section_end) {
              std::int32_t size = read_i32(&message[doc]);
              sequences[identifier].emplace_back(&message[doc], static_cast<std::size_t>(size));
              doc += static_cast<std::size_t>(size);
            }
            at = section_end;
          }
        }
        if (!have_body) throw CommandError{40, "Location40", "OP_MSG without a body section"};
        bson_iter_t db;
        std::string database = bson_iter_init_find(&db, &body, "$db") ? bson_iter_utf8(&db, nullptr) : "admin";
        try {
          store_.run_command(database, &body, sequences, connection_id, &reply);
        } catch (const CommandError& error) {
          error_reply(&reply, error);
        }
        out = header(next_request++, request_id, op_msg);
        put_i32(out, 0);  // flagBits
        out.push_back(0);  // section kind 0
      } else if (opcode == op_query) {
        // Legacy handshake: flags, "db.$cmd", skip, return, query [, fields].
        std::string ns(reinterpret_cast<const char*>(&message[4]));
        std::size_t at = 4 + ns.size() + 1 + 8;
        bson_t query;
        bson_init_static(&query, &message[at], static_cast<std::size_t>(read_i32(&message[at])));
        bson_t command = query;
        bson_iter_t wrapped;
        if (bson_iter_init_find(&wrapped, &query, "$query") && BSON_ITER_HOLDS_DOCUMENT(&wrapped)) {
          std::uint32_t size = 0;
          const std::uint8_t* data = nullptr;
          bson_iter_document(&wrapped, &size, &data);
          bson_init_static(&command, data, size);
        }
        std::string database = ns.substr(0, ns.find('.'));
        try {
          store_.run_command(database, &command, {}, connection_id, &reply);
        } catch (const CommandError& error) {
          error_reply(&reply, error);
        }
        out = header(next_request++, request_id, op_reply);
        put_i32(out, 0);  // responseFlags
        put_i32(out, 0);  // cursorID (int64)
        put_i32(out, 0);
        put_i32(out, 0);  // startingFrom
        put_i32(out, 1);  // numberReturned
      } else {
        bson_destroy(&reply);
        break;  // OP_COMPRESSED and the rest are never negotiated
      }
    } catch (const CommandError& error) {
      bson_destroy(&reply);
      break;
    }
    out.insert(out.end(), bson_get_data(&reply), bson_get_data(&reply) + reply.len);
    bson_destroy(&reply);
    patch_length(out);
    if (!write_all(fd, out)) break;
  }
  {
    std::lock_guard lock(mutex_);
    clients_.erase(fd);
  }
  ::close(fd);
}

}  // namespace mongo_test_double
